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
