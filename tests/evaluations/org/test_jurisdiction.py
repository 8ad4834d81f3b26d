"""Every staff query narrows to the user's unit subtree; a cadre sees only their own records."""

import pytest

from evaluations.models import Cadre, OrgUnit, Visit
from evaluations.org.jurisdiction import has_role
from tests.factories import CadreFactory, VisitFactory, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world, questionnaire):
    province, city, counties = world
    here, there = counties["350901"], counties["350902"]
    ours = VisitFactory(lead=CadreFactory(unit=here["town"]), target_unit=here["village"])
    theirs = VisitFactory(lead=CadreFactory(unit=there["town"]), target_unit=there["village"])
    return province, city, here, there, ours, theirs


def test_county_officer_sees_own_subtree_only(data):
    _, _, here, _, ours, _theirs = data
    officer = staff_user("officer", here["county"], "personnel")
    assert list(Visit.objects.visible_to(officer)) == [ours]
    assert set(OrgUnit.objects.visible_to(officer)) == {
        here["county"],
        here["town"],
        here["village"],
    }
    assert list(Cadre.objects.visible_to(officer)) == [ours.lead]


def test_city_officer_sees_both_counties(data):
    _, city, _, _, ours, theirs = data
    officer = staff_user("city", city, "personnel")
    assert set(Visit.objects.visible_to(officer)) == {ours, theirs}


def test_cadre_sees_own_records_only(data):
    _, _, here, _, ours, _ = data
    colleague_visit = VisitFactory(lead=CadreFactory(unit=here["town"]))
    user = staff_user("cadre", here["town"], "cadre", cadre=ours.lead)
    assert list(Visit.objects.visible_to(user)) == [ours]
    colleague_visit.companions.add(ours.lead)
    assert set(Visit.objects.visible_to(user)) == {ours, colleague_visit}
    assert list(Cadre.objects.visible_to(user)) == [ours.lead]


def test_account_without_unit_sees_nothing(data, django_user_model):
    user = django_user_model.objects.create_user("stray", password="x-long-password")
    assert not Visit.objects.visible_to(user).exists()
    assert not has_role(user, "personnel")


def test_outsider_cannot_see_or_print_another_county(client, data):
    _, _, _, there, ours, _ = data
    client.force_login(staff_user("outsider", there["county"], "personnel"))
    html = client.get("/staff/visits/").content.decode()
    assert ours.purpose not in html or ours.lead.name not in html
    assert ours.lead.name not in html
    assert client.get(f"/staff/visits/{ours.pk}/poster.pdf").status_code == 404


def test_visit_list_query_count_is_bounded(client, data, django_assert_max_num_queries):
    _, _, here, _, _, _ = data
    for _ in range(25):
        VisitFactory(lead=CadreFactory(unit=here["town"]))
    client.force_login(staff_user("officer", here["county"], "personnel"))
    # The year filter reads the years that have visits: one query, however many visits.
    with django_assert_max_num_queries(9):
        assert client.get("/staff/visits/").status_code == 200


def test_roles_are_groups(data):
    _, _, here, _, _, _ = data
    officer = staff_user("officer", here["county"], "personnel")
    assert has_role(officer, "personnel") and not has_role(officer, "secretary")
    assert officer.staff_profile.roles() == {"personnel"}
