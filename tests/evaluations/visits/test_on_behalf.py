"""The organisation department records a visit for a leader, marked as entered by whom."""

import pytest
from django.urls import reverse

from evaluations.models import Visit
from tests.factories import CadreFactory, staff_user

pytestmark = pytest.mark.django_db


def form_data(lead, unit, **extra):
    return {
        "lead": lead.pk,
        "kind": "petition",
        "target_unit": unit.pk,
        "place": "县信访局",
        "start_date": "2026-11-20",
        "end_date": "2026-11-20",
        "purpose": "接待来访群众",
        **extra,
    }


def test_personnel_record_for_a_leader(client, world, questionnaire):
    county = world[2]["350901"]
    leader = CadreFactory(unit=county["county"], name="王副县长")
    officer = staff_user("zuzhibu", county["county"], "personnel")
    client.force_login(officer)
    assert client.get(reverse("staff:visit_new")).status_code == 403  # his own page: no cadre
    got = client.post(reverse("staff:visit_on_behalf"), form_data(leader, county["town"]))
    assert got.status_code == 302
    visit = Visit.objects.get()
    assert visit.lead == leader and visit.entered_by == officer and visit.rating_link
    page = client.get(reverse("staff:visits")).content.decode()
    assert "代录：zuzhibu" in page
    # The leader sees it among his own visits, with who entered it, and completes it himself.
    client.force_login(staff_user("wang", county["county"], "cadre", cadre=leader))
    mine = client.get(reverse("staff:my_visit", args=[visit.pk])).content.decode()
    assert 'id="entered-by">zuzhibu<' in mine


def test_not_for_himself_nor_outside_nor_by_other_roles(client, world, questionnaire):
    county, far = world[2]["350901"], world[2]["350902"]
    me = CadreFactory(unit=county["county"])
    officer = staff_user("zuzhibu", county["county"], "personnel", cadre=me)
    client.force_login(officer)
    own = client.post(reverse("staff:visit_on_behalf"), form_data(me, county["town"]))
    assert "本人的活动请在“我的活动”中登记" in own.content.decode()
    stranger = CadreFactory(unit=far["county"])
    outside = client.post(reverse("staff:visit_on_behalf"), form_data(stranger, far["town"]))
    assert outside.status_code == 200 and not Visit.objects.exists()
    client.force_login(staff_user("jijian", county["county"], "discipline"))
    leader = CadreFactory(unit=county["county"])
    data = form_data(leader, county["town"])
    assert client.post(reverse("staff:visit_on_behalf"), data).status_code == 403
    assert not Visit.objects.exists()
