"""专题研究 meetings on a staff page, inside the jurisdiction (issue 14 §4)."""

import pytest
from django.urls import reverse

from evaluations.models import UnitMeeting
from tests.factories import staff_user

pytestmark = pytest.mark.django_db


def test_personnel_record_their_own_units_meetings_only(client, world):
    _, _, counties = world
    here, far = counties["350901"]["county"], counties["350902"]["county"]
    client.force_login(staff_user("officer", here, "personnel"))
    url = reverse("staff:meetings")
    assert client.get(url).status_code == 200
    ok = client.post(
        url, {"unit": here.pk, "date": "2026-03-05", "topic": "研究群众反映的饮水问题"}
    )
    assert ok.status_code == 302
    refused = client.post(url, {"unit": far.pk, "date": "2026-03-05", "topic": "越权"})
    assert refused.status_code == 200 and "越权" not in {m.topic for m in UnitMeeting.objects.all()}
    assert list(UnitMeeting.objects.values_list("unit", flat=True)) == [here.pk]


def test_discipline_reads_but_cannot_record(client, world):
    _, _, counties = world
    here = counties["350901"]["county"]
    client.force_login(staff_user("jijian", here, "discipline"))
    url = reverse("staff:meetings")
    assert client.get(url).status_code == 200
    assert (
        client.post(url, {"unit": here.pk, "date": "2026-03-05", "topic": "x"}).status_code == 403
    )
    assert not UnitMeeting.objects.exists()


def test_correct_and_remove_a_meeting_with_history(client, world):
    _, _, counties = world
    here = counties["350901"]["county"]
    officer = staff_user("officer", here, "personnel")
    client.force_login(officer)
    client.post(reverse("staff:meetings"), {"unit": here.pk, "date": "2026-03-05", "topic": "饮水"})
    meeting = UnitMeeting.objects.get()
    edit = reverse("staff:meeting_edit", args=[meeting.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {"unit": here.pk, "date": "2026-03-06", "topic": "饮水安全"})
    meeting.refresh_from_db()
    assert (str(meeting.date), meeting.topic) == ("2026-03-06", "饮水安全")
    client.post(reverse("staff:meeting_delete", args=[meeting.pk]))
    assert not UnitMeeting.objects.exists()
    page = client.get(reverse("staff:meetings"))
    history = page.context["history"]
    assert [e.action for e in history] == ["删除", "修改", "新增"]
    assert ("日期", "2026-03-05", "2026-03-06") in history[1].changes
    assert {e.who for e in history} == {"officer"}
    assert "饮水安全" in page.content.decode()


def test_no_edit_outside_the_subtree_or_without_the_role(client, world):
    _, _, counties = world
    far = UnitMeeting.objects.create(
        unit=counties["350902"]["county"], date="2026-03-05", topic="远山"
    )
    here = counties["350901"]["county"]
    client.force_login(staff_user("officer", here, "personnel"))
    assert client.get(reverse("staff:meeting_edit", args=[far.pk])).status_code == 404
    assert client.post(reverse("staff:meeting_delete", args=[far.pk])).status_code == 404
    mine = UnitMeeting.objects.create(unit=here, date="2026-03-05", topic="本县")
    client.force_login(staff_user("jijian", here, "discipline"))
    assert client.post(reverse("staff:meeting_delete", args=[mine.pk])).status_code == 403
    assert UnitMeeting.objects.count() == 2


@pytest.mark.parametrize(
    ("day", "message"), [("2099-05-01", "会议还没有召开"), ("0001-01-01", "日期有误")]
)
def test_a_meeting_not_yet_held_or_from_year_one_is_refused(client, world, day, message):
    """Scenario: meetings dated 2027-05-01 and 0001-01-01 were recorded as 已登记 and would
    count toward the monthly 专题研究 requirement."""
    _, _, counties = world
    here = counties["350901"]["county"]
    client.force_login(staff_user("officer", here, "personnel"))
    page = client.post(reverse("staff:meetings"), {"unit": here.pk, "date": day, "topic": "研究"})
    assert page.status_code == 200 and message in page.content.decode()
    assert not UnitMeeting.objects.exists()
