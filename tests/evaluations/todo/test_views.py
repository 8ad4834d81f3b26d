"""The workbench home shows the to-do lists of the user's roles in a bounded number of queries."""

import pytest
from django.urls import reverse

from evaluations.cases import services as cases
from tests.analytics.conftest import add_responses
from tests.factories import CadreFactory, VisitFactory, staff_user

pytestmark = pytest.mark.django_db


def test_home_lists_items_with_links_in_bounded_queries(
    client, world, questionnaire, django_assert_max_num_queries
):
    _, _, counties = world
    a = counties["350901"]
    for n in range(4):
        lead = CadreFactory(unit=a["county"])
        visit = VisitFactory(lead=lead, target_unit=a["village"])
        add_responses(visit, [(1, 1, 1)], review="flagged")
        cases.raise_case(visit=visit, cadre=lead, title=f"问题{n}")
    client.force_login(staff_user("zzb", a["county"], "personnel", "discipline"))
    with django_assert_max_num_queries(40):
        page = client.get(reverse("staff:home"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-todo="review"' in html and 'data-todo="flags"' in html
    assert f'href="{reverse("staff:review")}"' in html
    assert 'data-todo="grades"' in html  # added by analytics through the registry
