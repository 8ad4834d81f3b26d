"""Rule-set assignments per unit and period on a staff page, with their history."""

import pytest
from django.urls import reverse

from evaluations.models import PolicyRuleSet, RuleSetAssignment, ruleset_for
from tests.factories import staff_user

pytestmark = pytest.mark.django_db
URL = "/staff/rulesets/"


@pytest.fixture
def sichuan():
    return PolicyRuleSet.objects.exclude(is_default=True).get(code__icontains="sichuan")


def test_personnel_assign_a_rule_set_to_their_county(client, world, sichuan):
    _, _, counties = world
    county = counties["350901"]["county"]
    client.force_login(staff_user("officer", county, "personnel"))
    got = client.post(URL, {"ruleset": sichuan.pk, "unit": county.pk, "first_year": 2027})
    assert got.status_code == 302
    assert ruleset_for(counties["350901"]["town"], 2027) == sichuan
    assert ruleset_for(county, 2026).is_default
    page = client.get(URL)
    assert page.status_code == 200 and sichuan.name in page.content.decode()
    [entry] = page.context["history"]
    assert entry.who == "officer" and entry.action == "新增"


def test_overlapping_years_and_reversed_years_are_refused(client, world, sichuan):
    _, _, counties = world
    county = counties["350901"]["county"]
    RuleSetAssignment.objects.create(ruleset=sichuan, unit=county, first_year=2026)
    client.force_login(staff_user("officer", county, "personnel"))
    page = client.post(URL, {"ruleset": sichuan.pk, "unit": county.pk, "first_year": 2030})
    assert "该单位在这些年度已有适用的规则集" in page.content.decode()
    page = client.post(
        URL, {"ruleset": sichuan.pk, "unit": county.pk, "first_year": 2020, "last_year": 2019}
    )
    assert "截止年度不能早于起始年度" in page.content.decode()
    assert RuleSetAssignment.objects.count() == 1


def test_end_an_assignment_and_read_who_changed_it(client, world, sichuan):
    _, _, counties = world
    county = counties["350901"]["county"]
    client.force_login(staff_user("officer", county, "personnel"))
    client.post(URL, {"ruleset": sichuan.pk, "unit": county.pk, "first_year": 2026})
    assignment = RuleSetAssignment.objects.get()
    edit = reverse("staff:ruleset_edit", args=[assignment.pk])
    data = {"ruleset": sichuan.pk, "unit": county.pk, "first_year": 2026, "last_year": 2027}
    assert client.post(edit, data).status_code == 302
    assert ruleset_for(county, 2028).is_default
    latest = client.get(URL).context["history"][0]
    assert latest.action == "修改" and ("截止年度", "—", "2027") in latest.changes


def test_other_roles_and_counties(client, world, sichuan):
    _, _, counties = world
    here, far = counties["350901"]["county"], counties["350902"]["county"]
    theirs = RuleSetAssignment.objects.create(ruleset=sichuan, unit=far, first_year=2026)
    client.force_login(staff_user("officer", here, "personnel"))
    assert sichuan.name not in str(client.get(URL).context["assignments"])
    assert client.get(reverse("staff:ruleset_edit", args=[theirs.pk])).status_code == 404
    refused = client.post(URL, {"ruleset": sichuan.pk, "unit": far.pk, "first_year": 2027})
    assert refused.status_code == 200 and RuleSetAssignment.objects.count() == 1
    client.force_login(staff_user("jijian", here, "discipline"))
    assert client.get(URL).status_code == 200
    data = {"ruleset": sichuan.pk, "unit": here.pk, "first_year": 2027}
    assert client.post(URL, data).status_code == 403
    assert RuleSetAssignment.objects.count() == 1
