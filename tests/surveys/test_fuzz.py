"""Whatever a client posts, the resident's page answers clearly and never with a 500."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.models import Response
from tests.surveys.helpers import open_form

FIELDS = ["attitude", "style", "results", "overall", "gifts", "problem", "category", "comment", "x"]
values = st.one_of(
    st.sampled_from(["1", "3", "5", "6", "0", "satisfied", "yes", "", "none"]),
    st.text(max_size=600),
)


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.dictionaries(st.sampled_from(FIELDS), values, max_size=9), keep_ticket=st.booleans())
def test_any_post_gets_a_clear_answer(visit, monkeypatch, data, keep_ticket):
    monkeypatch.setattr("surveys.rules.SPEEDER_SECONDS", 0)
    phone = Client()
    _, ticket = open_form(phone, visit.rating_link)
    before = Response.objects.count()
    data = {k: v.replace("\x00", "") if k == "ticket" else v for k, v in data.items()}
    if keep_ticket:
        data["ticket"] = ticket
    page = phone.post(visit.rating_link.get_absolute_url(), data, follow=True)
    assert page.status_code in (200, 400, 409)
    stored = Response.objects.count() - before
    assert stored == (1 if page.status_code == 200 else 0)
