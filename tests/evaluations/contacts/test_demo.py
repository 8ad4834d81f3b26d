"""The demo county's contact points: two county leaders short, an early change on record."""

import datetime as dt

import pytest

from evaluations import demo
from evaluations.contacts.services import coverage
from evaluations.models import ContactPoint, OrgUnit

pytestmark = pytest.mark.django_db


def test_demo_leaves_two_leaders_short_and_records_an_early_change(questionnaire):
    demo.seed()
    report = coverage(OrgUnit.objects.all(), on=dt.date(demo.YEAR, 11, 1))
    assert len(report.cadres) == 9  # the county leaders
    short = {h.owner.code: sorted(n.kind for n in h.lacking) for h in report.lacking}
    assert short == {"C008": ["household"], "C009": ["enterprise", "household", "village"]}
    assert [h.owner.code for h in report.organs] == ["350999-ZZB"]
    changed = ContactPoint.objects.exclude(change_reason="").get()
    assert changed.cadre.code == "C003" and changed.start == dt.date(demo.YEAR, 5, 10)
    assert ContactPoint.objects.get(cadre__code="C003", end=changed.start).unit != changed.unit
    assert changed.history.get().history_user.username == "zuzhibu"
