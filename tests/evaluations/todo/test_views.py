"""The workbench home shows the to-do lists of the user's roles in a bounded number of queries."""

import pytest
from django.urls import reverse

from evaluations.cases import services as cases
from evaluations.models import Reminder
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


def test_inbox_lists_own_reminders_and_marks_them_read(client, world):
    county = world[2]["350901"]["county"]
    me = staff_user("me", county, "personnel")
    other = staff_user("other", county, "personnel")
    mine = Reminder.objects.create(
        user=me, kind="case_due", key="case:1", text="问题“修桥”的办结期限将到", url="/staff/cases/"
    )
    Reminder.objects.create(user=other, kind="case_due", key="case:2", text="别人的提醒", url="/")
    client.force_login(me)
    home = client.get(reverse("staff:home")).content.decode()
    assert 'data-inbox="1"' in home and "修桥" in home
    page = client.get(reverse("staff:inbox")).content.decode()
    assert "修桥" in page and "别人的提醒" not in page
    client.post(reverse("staff:inbox_read"), {"reminder": [mine.pk]})
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert 'data-inbox="0"' in client.get(reverse("staff:home")).content.decode()
    assert Reminder.objects.get(user=other).read_at is None
