"""The admin cannot silently edit a done visit's dates, hours or companions (SPEC §7)."""

import datetime as dt

import pytest
from django.contrib.auth.models import User

from tests.factories import VisitFactory

pytestmark = pytest.mark.django_db


def test_a_done_visits_dates_are_read_only_in_the_admin(client, questionnaire):
    done = VisitFactory(status="done", summary="座谈", hours=8)
    planned = VisitFactory()
    client.force_login(User.objects.create_superuser("root", password="pw-for-tests-1"))
    html = client.get(f"/admin/evaluations/visit/{done.pk}/change/").content.decode()
    assert 'name="end_date"' not in html and 'name="hours"' not in html
    html = client.get(f"/admin/evaluations/visit/{planned.pk}/change/").content.decode()
    assert 'name="end_date"' in html
    assert done.end_date == dt.date(2026, 11, 20)
