"""Quotas bind by post category and body, and a part year keeps its research quota (issue 13,
points 1–3), on scenarios built from seed 001's and 003's own numbers."""

import pytest

from evaluations.models import (
    Cadre,
    OrgUnit,
    PolicyRuleSet,
    QuotaRule,
    RuleSetAssignment,
    Tenure,
    UnitMeeting,
)
from evaluations.org.models import PostCategory
from evaluations.quota import compliance
from evaluations.quota.compliance import Status
from tests.evaluations.quota.helpers import D, cadre, monthly, tree, visit
from tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db
Y = 2025


@pytest.fixture
def units():
    world = tree()
    world["city_organ"] = OrgUnitFactory(
        code="3509-FGW", name="市发改委", level=OrgUnit.Level.ORGAN, parent=world["city"]
    )
    world["town_office"] = OrgUnitFactory(
        code="350901-1-DZB", name="城关镇党政办", level=OrgUnit.Level.ORGAN, parent=world["town"]
    )
    return world


def evaluate(*cadres, units=()):
    qs = Cadre.objects.filter(pk__in=[c.pk for c in cadres])
    return compliance.evaluate(cadres=qs, units=units, year=Y)


def rules_of(report, who) -> dict:
    found = next(r for r in report.cadres if r.cadre.pk == who.pk)
    return {s.rule.code: s for s in found.rules}


def test_a_city_department_head_of_county_rank_is_not_a_county_leader(units):
    """001 §一: "县(市、区)党政领导干部每月至少安排一次接访群众" … "省市县有关部门领导干部要结合
    工作实际定期接待群众来访"; §三: "市、县级领导干部不少于2个月". A 市发改委主任 holds 县处级
    rank but leads a department, not a county: no monthly reception, no 60 research days; his
    receptions are recorded, not scored."""
    director = cadre(units["city_organ"], "county", "市发改委主任", principal=True)
    deputy = cadre(units["county"], "county", "副县长")
    monthly(director, "petition", Y, [3, 9])
    report = evaluate(director, deputy)
    assert director.post_category == PostCategory.DEPARTMENT
    bound = rules_of(report, director)
    assert set(bound) == {"petition-department", "publicity-principal"}
    assert bound["petition-department"].status == Status.SHOWN_ONLY
    assert bound["petition-department"].done == 2
    assert {"petition-county", "research-county"} <= set(rules_of(report, deputy))


def test_a_cppcc_vice_chairman_is_not_bound_by_the_party_and_government_quota(units):
    """001 §一 binds "县(市、区)党政领导干部" to a reception a month; 人大/政协 leaders are
    not 党政 leaders. §三 "县级领导干部…不少于2个月" binds every county leader, them too."""
    vice = cadre(units["county"], "county", "县政协副主席")
    assert vice.post_category == PostCategory.CONGRESS_CPPCC
    bound = rules_of(evaluate(vice), vice)
    assert "petition-county" not in bound
    assert bound["research-county"].required == 60


def test_a_recorded_category_overrides_the_default(units):
    """The roster can say what the unit cannot: a 县委办主任 seated in the county is a
    department leader, so the county's monthly reception does not bind him."""
    head = cadre(units["county"], "county", "县委办主任", post_category=PostCategory.DEPARTMENT)
    assert "petition-county" not in rules_of(evaluate(head), head)


def test_shipped_rules_name_the_categories_of_the_seeds():
    """The shipped rows say whom they bind in the seeds' own words."""
    fujian = {r.code: r for r in QuotaRule.objects.filter(ruleset__code="fujian-2013")}
    assert fujian["petition-county"].post_categories == ["party_gov"]
    assert fujian["research-county"].post_categories == ["party_gov", "congress_cppcc"]
    assert fujian["petition-department"].post_categories == ["department"]
    assert fujian["petition-department"].minimum is None
    assert fujian["study-department"].seat_levels == ["province", "city", "county"]
    sichuan = {r.code: r for r in QuotaRule.objects.filter(ruleset__code="sichuan-2017")}
    assert sichuan["petition-committee"].requires_standing_committee
    assert sichuan["petition-committee"].label == "常委会委员应当带头落实领导干部定期下访接访制度"


def test_monthly_study_binds_county_committee_and_departments_not_township_offices(units):
    """001 §二: "县(市、区)委常委会、省市县部门单位党组(党委)每月要专题研究一次基层和群众
    反映的突出问题" — a township's 党政办 is not a 省市县 department."""
    for unit in (units["county"], units["organ"], units["city_organ"], units["town_office"]):
        UnitMeeting.objects.create(unit=unit, date=D(Y, 5, 6), topic="专题研究群众反映的问题")
    scope = OrgUnit.objects.filter(
        pk__in=[units[k].pk for k in ("county", "organ", "city_organ", "town_office")]
    )
    report = evaluate(units=scope)
    studied = {u.unit.code: [m.rule.code for m in u.meetings] for u in report.units}
    assert studied["350901"] == ["study-county-committee"]
    assert studied["350901-ZZB"] == ["study-department"]
    assert studied["3509-FGW"] == ["study-department"]
    assert "350901-1-DZB" not in studied


def test_a_promotion_mid_year_keeps_a_prorated_research_quota_on_each_post(units):
    """001 §三: "市、县级领导干部不少于2个月". 县级 January–June, 市级 from 1 July: each post
    owes its share, 60 × 6 / 12 = 30 days, counted on the days it was held."""
    promoted = cadre(units["city"], "city", "副市长")
    Tenure.objects.create(
        cadre=promoted, unit=units["county"], level="county", post="副县长",
        start=D(2021, 3, 1), end=D(Y, 6, 30),
    )  # fmt: skip
    Tenure.objects.create(
        cadre=promoted, unit=units["city"], level="city", post="副市长", start=D(Y, 7, 1)
    )
    visit(promoted, "research", D(Y, 6, 11), D(Y, 7, 10))  # 20 days as 县级, 10 as 市级
    visit(promoted, "residence", D(Y, 9, 1), D(Y, 9, 20))  # 20 more as 市级
    bound = rules_of(evaluate(promoted), promoted)
    county, city = bound["research-county"].rows[0], bound["research-city"].rows[0]
    assert (county.required, county.done, county.status) == (30, 20, Status.SHORT)
    assert (city.required, city.done, city.status) == (30, 30, Status.MET)


@pytest.mark.parametrize(
    ("level", "unit", "start", "required"),
    [
        ("county", "county", D(Y, 4, 1), 45),  # 60 × 9 / 12
        ("county", "county", D(Y, 4, 15), 40),  # April not served whole: 60 × 8 / 12
        ("provincial", "province", D(Y, 6, 1), 18),  # 30 × 7 / 12 = 17.5, rounded up
    ],
)
def test_a_mid_year_start_owes_its_share_rounded_up(units, level, unit, start, required):
    """001 §三: "省级领导干部到基层调研每年不少于1个月，市、县级领导干部不少于2个月": whole
    calendar months served count; a part day is owed whole (不少于)."""
    joiner = cadre(units[unit], level, "领导")
    Tenure.objects.create(cadre=joiner, unit=units[unit], level=level, post="领导", start=start)
    code = {"county": "research-county", "provincial": "research-provincial"}[level]
    (row,) = rules_of(evaluate(joiner), joiner)[code].rows
    assert (row.required, row.status) == (required, Status.SHORT)


def test_sichuan_city_member_promoted_mid_year_keeps_ninety_days_share(units):
    """003: "市(州)常委会委员每年到基层调查研究不少于90天" — a member from 1 October owes
    90 × 3 / 12 = 22.5 → 23 days."""
    sichuan = PolicyRuleSet.objects.get(code="sichuan-2017")
    RuleSetAssignment.objects.create(ruleset=sichuan, unit=units["city"], first_year=2017)
    member = cadre(units["city"], "city", "市委常委、秘书长", committee=True)
    Tenure.objects.create(
        cadre=member, unit=units["city"], level="city", post="市委常委、秘书长",
        is_standing_committee=True, start=D(Y, 10, 1),
    )  # fmt: skip
    visit(member, "research", D(Y, 10, 8), D(Y, 10, 31))  # 24 days
    (row,) = rules_of(evaluate(member), member)["research-city-committee"].rows
    assert (row.required, row.done, row.status) == (23, 24, Status.MET)
