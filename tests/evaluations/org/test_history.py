"""History entries: changed fields against the object's previous record, in fixed queries."""

import datetime as dt

import pytest

from evaluations.models import UnitMeeting
from evaluations.org import history

pytestmark = pytest.mark.django_db


def test_diffs_and_names_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    _, _, counties = world
    units = [counties[c]["county"] for c in ("350901", "350902")]
    for i in range(6):
        meeting = UnitMeeting.objects.create(unit=units[0], date=dt.date(2026, 1, 5), topic="议题")
        meeting.unit, meeting.topic = units[1], f"议题{i}"
        meeting.save()
    with django_assert_num_queries(2):  # the records with their users, the units' names
        got = history.entries(UnitMeeting.history.all(), title=("date",))
    changes = [e.changes for e in got if e.action == "修改"]
    assert len(got) == 12 and len(changes) == 6
    assert ("单位", "清溪县", "远山县") in changes[0]
    assert got[0].subject == "2026-01-05" and got[0].who == "系统"
