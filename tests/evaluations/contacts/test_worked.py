"""Contact points are worked, not just named (issue 13, point 6): visits per point per year,
points inside the owner's own area, and Sichuan's duties from seed 003."""

import datetime as dt

import pytest

from evaluations.contacts.services import (
    ContactError,
    change_contact_point,
    coverage,
    establish_contact_point,
)
from evaluations.models import Cadre, ContactPoint, OrgUnit, PolicyRuleSet, RuleSetAssignment
from evaluations.quota import compliance
from evaluations.quota.compliance import Status
from tests.factories import CadreFactory, VisitFactory, staff_user

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 6, 30)


@pytest.fixture
def places(world, questionnaire):
    _province, city, counties = world
    return {**counties["350901"], "city": city, "far": counties["350902"]}


def test_coverage_shows_visits_per_point_this_year(client, places):
    """001 §三: "县级领导干部每人…结对帮扶1个村(社区)…要经常深入联系点，开展蹲点调研" — the
    coverage page shows how often each point was visited this year, beside has/needs."""
    deputy = CadreFactory(name="王副县长", unit=places["county"], level="county")
    village = ContactPoint.objects.create(
        cadre=deputy, kind="village", unit=places["village"], start=dt.date(2025, 1, 1)
    )
    idle = ContactPoint.objects.create(
        cadre=deputy, kind="township", unit=places["town"], start=dt.date(2025, 1, 1)
    )
    for day, status in (
        (dt.date(2026, 3, 3), "done"),
        (dt.date(2026, 5, 12), "done"),
        (dt.date(2026, 6, 20), "planned"),  # not yet worked
        (dt.date(2025, 9, 1), "done"),  # last year
    ):
        VisitFactory(lead=deputy, contact_point=village, target_unit=places["village"],
                     start_date=day, end_date=day, status=status,
                     summary="蹲点" if status == "done" else "")  # fmt: skip
    (holder,) = coverage(OrgUnit.objects.subtree(places["county"]), on=ON).cadres
    counts = {p.pk: p.visits_in_year for p in holder.points}
    assert counts == {village.pk: 2, idle.pk: 0}
    client.force_login(staff_user("zuzhibu", places["county"], "personnel"))
    html = client.get("/staff/contacts/", {"on": "2026-06-30"}).content.decode()
    assert "本年到点2次" in html and "本年到点0次" in html


def test_a_point_outside_the_cadres_own_area_is_refused(places):
    """001 §三: 联系点 are chosen among "与本职工作密切相关的农村、社区、企业等基层单位": a
    清溪县 leader's village lies in 清溪县, not in 远山县."""
    deputy = CadreFactory(name="王副县长", unit=places["county"], level="county")
    with pytest.raises(ContactError) as refused:
        establish_contact_point(
            cadre=deputy, kind="village", unit=places["far"]["village"], on=ON, actor=None
        )
    assert refused.value.code == "outside_area"
    assert "不在王副县长的责任区域（清溪县）内" in str(refused.value)
    kept = establish_contact_point(
        cadre=deputy, kind="village", unit=places["village"], on=ON, actor=None
    )
    with pytest.raises(ContactError, match="责任区域"):
        change_contact_point(
            point=kept, new_unit=places["far"]["village"], on=ON, reason="调整", actor=None
        )


def test_a_city_leader_may_pick_any_county_of_the_city(places):
    vice_mayor = CadreFactory(name="副市长", unit=places["city"], level="city")
    point = establish_contact_point(
        cadre=vice_mayor, kind="county", unit=places["far"]["county"], on=ON, actor=None
    )
    assert point.unit == places["far"]["county"]


def test_sichuan_committee_members_keep_contact_points_and_receive_petitioners(places):
    """003: "常委会委员应当带头落实市县领导联系指导乡镇(街道)、村(社区)工作制度，定期到联系点
    开展工作…带头落实领导干部定期下访接访制度" — members need a township and a village point;
    their receptions are recorded (no number given, so not scored)."""
    sichuan = PolicyRuleSet.objects.get(code="sichuan-2017")
    RuleSetAssignment.objects.create(ruleset=sichuan, unit=places["city"], first_year=2017)
    member = CadreFactory(name="县委常委", unit=places["county"], level="county",
                          is_standing_committee=True)  # fmt: skip
    CadreFactory(name="副县长", unit=places["county"], level="county")
    (holder,) = coverage(OrgUnit.objects.subtree(places["county"]), on=ON).cadres
    assert holder.owner == member
    assert {n.kind: n.needs for n in holder.needs} == {"township": 1, "village": 1}
    VisitFactory(lead=member, kind="petition", status="done", summary="下访",
                 start_date=dt.date(2026, 4, 2), end_date=dt.date(2026, 4, 2))  # fmt: skip
    report = compliance.evaluate(cadres=Cadre.objects.filter(pk=member.pk), year=2026)
    (summary,) = [s for s in report.cadres[0].rules if s.rule.code == "petition-committee"]
    assert (summary.status, summary.done) == (Status.SHOWN_ONLY, 1)
