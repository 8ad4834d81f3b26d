"""The compliance engine, rule by rule, on hand-made cases (SPEC §3; README "Quota compliance")."""

import datetime as dt
from decimal import Decimal

import pytest

from evaluations.models import (
    Cadre,
    OrgUnit,
    PolicyRuleSet,
    QuotaRule,
    RuleSetAssignment,
    Tenure,
    UnitMeeting,
    ruleset_for,
)
from evaluations.quota import compliance
from evaluations.quota.compliance import Status
from surveys.notes import text
from tests.evaluations.quota.helpers import D, cadre, monthly, tree, visit

pytestmark = pytest.mark.django_db
Y = 2025


@pytest.fixture
def units():
    return tree()


def evaluate(*cadres, year=Y, units=(), as_of=None):
    qs = Cadre.objects.filter(pk__in=[c.pk for c in cadres])
    return compliance.evaluate(cadres=qs, units=units, year=year, as_of=as_of)


def result(report, who):
    return next(r for r in report.cadres if r.cadre.pk == who.pk)


def table(report, who, code):
    """{period label: (required, done, shortfall, status)} of one cadre's rule."""
    rows = [r for r in result(report, who).rows if r.rule.code == code]
    return {r.period.label: (r.required, r.done, r.shortfall, r.status) for r in rows}


def codes(report, who):
    return {s.rule.code for s in result(report, who).rules}


def test_fujian_county_cadre_monthly_petition_with_a_missed_month(units):
    deputy = cadre(units["county"])
    monthly(deputy, "petition", Y, [m for m in range(1, 13) if m != 3])
    report = evaluate(deputy)
    months = table(report, deputy, "petition-county")
    assert len(months) == 12
    assert months["2025-03"] == (1, 0, 1, Status.SHORT)
    assert months["2025-04"] == (1, 1, 0, Status.MET)
    assert sum(status == Status.MET for *_, status in months.values()) == 11
    summary = next(s for s in result(report, deputy).rules if s.rule.code == "petition-county")
    assert summary.short_labels == ["2025-03"] and summary.shortfall == 1
    assert result(report, deputy).compliant is False
    assert "petition-city" not in codes(report, deputy)


def test_research_days_split_across_a_year_boundary(units):
    deputy = cadre(units["county"])
    visit(deputy, "research", D(2024, 12, 30), D(2025, 1, 2))  # 2 days in each year
    assert table(evaluate(deputy, year=2024), deputy, "research-county")["2024"][1] == 2
    assert table(evaluate(deputy, year=2025), deputy, "research-county")["2025"][1] == 2


def test_days_split_across_a_month_boundary_and_overlaps_count_once(units):
    """An administrator's own rule set (monthly research days) for one county."""
    ruleset = PolicyRuleSet.objects.create(code="test-monthly", name="月度调研", source="测试")
    QuotaRule.objects.create(
        ruleset=ruleset,
        code="research-monthly",
        label="每月调研不少于3天",
        source="测试",
        cadre_levels=["county"],
        visit_kinds=["research", "residence"],
        measure="days",
        period="month",
        minimum=3,
    )
    RuleSetAssignment.objects.create(ruleset=ruleset, unit=units["county"], first_year=Y)
    deputy = cadre(units["county"])
    visit(deputy, "research", D(Y, 1, 30), D(Y, 2, 2))  # Jan 30, 31 | Feb 1, 2
    visit(deputy, "residence", D(Y, 2, 2), D(Y, 2, 3))  # Feb 2 again, Feb 3
    months = table(evaluate(deputy), deputy, "research-monthly")
    assert months["2025-01"] == (3, 2, 1, Status.SHORT)
    assert months["2025-02"] == (3, 3, 0, Status.MET)
    assert codes(evaluate(deputy), deputy) == {"research-monthly"}  # Fujian no longer applies


@pytest.mark.parametrize(("days", "status", "short"), [(59, Status.SHORT, 1), (60, Status.MET, 0)])
def test_sixty_research_days_for_a_county_leader(units, days, status, short):
    deputy = cadre(units["county"])
    start = D(Y, 3, 1)
    visit(deputy, "residence", start, start + dt.timedelta(days=days - 1))
    assert table(evaluate(deputy), deputy, "research-county")["2025"] == (60, days, short, status)


@pytest.fixture
def sichuan(units):
    ruleset = PolicyRuleSet.objects.get(code="sichuan-2017")
    RuleSetAssignment.objects.create(ruleset=ruleset, unit=units["city"], first_year=2017)
    return units


def test_sichuan_ninety_days_binds_city_standing_committee_members_only(sichuan):
    member = cadre(sichuan["city"], "city", "市委常委、秘书长", committee=True)
    short = cadre(sichuan["city"], "city", "市委常委、宣传部部长", committee=True)
    deputy_mayor = cadre(sichuan["city"], "city", "副市长")
    visit(member, "research", D(Y, 4, 1), D(Y, 6, 29))  # 90 days
    visit(short, "research", D(Y, 4, 1), D(Y, 6, 28))  # 89 days
    visit(deputy_mayor, "research", D(Y, 4, 1), D(Y, 6, 29))
    report = evaluate(member, short, deputy_mayor)
    assert table(report, member, "research-city-committee")["2025"] == (90, 90, 0, Status.MET)
    assert table(report, short, "research-city-committee")["2025"] == (90, 89, 1, Status.SHORT)
    assert codes(report, deputy_mayor) == set()
    assert result(report, deputy_mayor).compliant is None


def test_sichuan_county_members_more_time_is_shown_not_scored(sichuan):
    member = cadre(sichuan["county"], "county", "县委常委", committee=True)
    visit(member, "research", D(Y, 5, 1), D(Y, 5, 20))
    report = evaluate(member)
    row = table(report, member, "research-county-committee")["2025"]
    assert row == (None, 20, None, Status.SHOWN_ONLY)
    assert result(report, member).compliant is None  # nothing scored


def test_township_leaders_receive_at_any_time_recorded_not_scored(units):
    head = cadre(units["town"], "township", "镇长")
    monthly(head, "petition", Y, [2, 5, 9])
    report = evaluate(head)
    assert table(report, head, "petition-township")["2025"] == (None, 3, None, Status.SHOWN_ONLY)
    summary = result(report, head).rules[0]
    assert summary.status == Status.SHOWN_ONLY and summary.done == 3


def test_publicity_binds_principal_leaders_only(units):
    secretary = cadre(units["county"], post="县委书记", principal=True, committee=True)
    deputy = cadre(units["county"])
    visit(secretary, "publicity", D(Y, 6, 1))
    report = evaluate(secretary, deputy)
    assert table(report, secretary, "publicity-principal")["2025"] == (1, 1, 0, Status.MET)
    assert "publicity-principal" not in codes(report, deputy)


def test_mid_year_joiner_is_judged_on_full_months_only(units):
    """Tenure from 1 April: Apr–Dec judged for the monthly rule; the year's research days
    prorated to the nine months served (60 × 9 / 12 = 45)."""
    joiner = cadre(units["county"])
    Tenure.objects.create(
        cadre=joiner, unit=units["county"], level="county", post="副县长", start=D(Y, 4, 1)
    )
    monthly(joiner, "petition", Y, range(4, 13))
    report = evaluate(joiner)
    months = table(report, joiner, "petition-county")
    assert {k for k, v in months.items() if v[3] == Status.NOT_APPLICABLE} == {
        "2025-01",
        "2025-02",
        "2025-03",
    }
    assert all(months[f"2025-{m:02d}"] == (1, 1, 0, Status.MET) for m in range(4, 13))
    assert table(report, joiner, "research-county")["2025"] == (45, 0, 45, Status.SHORT)
    assert result(report, joiner).compliant is False


def test_level_change_mid_year_judges_each_tenure_on_its_own_periods(units):
    promoted = cadre(units["city"], "city", "副市长")
    Tenure.objects.create(
        cadre=promoted,
        unit=units["county"],
        level="county",
        post="副县长",
        start=D(2020, 1, 1),
        end=D(Y, 6, 30),
    )
    Tenure.objects.create(
        cadre=promoted, unit=units["city"], level="city", post="副市长", start=D(Y, 7, 1)
    )
    monthly(promoted, "petition", Y, [1, 2, 3, 4, 5, 6, 8, 11])
    report = evaluate(promoted)
    county = table(report, promoted, "petition-county")
    assert [county[f"2025-{m:02d}"][3] for m in (6, 7)] == [Status.MET, Status.NOT_APPLICABLE]
    city = table(report, promoted, "petition-city")
    assert [v[3] for v in city.values()] == [Status.NOT_APPLICABLE] * 2 + [Status.MET] * 2
    assert table(report, promoted, "research-county")["2025"] == (30, 0, 30, Status.SHORT)
    assert table(report, promoted, "research-city")["2025"] == (30, 0, 30, Status.SHORT)


def test_a_new_post_at_the_same_level_keeps_the_year_rule(units):
    moved = cadre(units["county"], post="常务副县长")
    for start, end, post in ((D(2020, 1, 1), D(Y, 6, 30), "副县长"), (D(Y, 7, 1), None, "常务")):
        Tenure.objects.create(
            cadre=moved, unit=units["county"], level="county", post=post, start=start, end=end
        )
    visit(moved, "research", D(Y, 6, 1), D(Y, 7, 30))  # 60 days over both tenures
    assert table(evaluate(moved), moved, "research-county")["2025"] == (60, 60, 0, Status.MET)


def test_a_visit_counts_for_the_lead_and_each_companion(units):
    lead, first, second = (cadre(units["county"]) for _ in range(3))
    visit(lead, "petition", D(Y, 3, 12), companions=[first, second])
    report = evaluate(lead, first, second)
    for who in (lead, first, second):
        assert table(report, who, "petition-county")["2025-03"] == (1, 1, 0, Status.MET)


def test_a_planned_visit_does_not_count(units):
    deputy = cadre(units["county"])
    visit(deputy, "petition", D(Y, 3, 12), status="planned")
    visit(deputy, "research", D(Y, 3, 1), D(Y, 4, 29), status="planned")
    report = evaluate(deputy)
    assert table(report, deputy, "petition-county")["2025-03"][1] == 0
    assert table(report, deputy, "research-county")["2025"][1] == 0


def test_rota_weeks_covered_by_standing_committee_members_or_deputy_heads(units):
    deputy = cadre(units["county"], post="副县长")  # a deputy head by post title
    member = cadre(units["organ"], post="县委常委、组织部部长", committee=True)
    congress = cadre(units["county"], post="县人大常委会副主任")  # neither
    town_head = cadre(units["town"], "township", "镇长")  # not a county leader
    visit(deputy, "petition", D(Y, 1, 7))  # week 2
    visit(member, "petition", D(Y, 1, 28))  # week 5
    visit(member, "research", D(Y, 2, 4))  # week 6: not a reception
    visit(congress, "petition", D(Y, 2, 11))  # week 7
    visit(town_head, "petition", D(Y, 2, 18))  # week 8
    visit(deputy, "petition", D(Y, 3, 4), companions=[member])  # week 10, one reception
    units_qs = OrgUnit.objects.filter(pk__in=[units["county"].pk, units["city"].pk])
    report = evaluate(deputy, member, congress, town_head, units=units_qs)
    county = next(u for u in report.units if u.unit == units["county"])
    weeks = {r.period.label: (r.done, r.status) for r in county.rota.rows}
    assert len(weeks) == 52 and county.rota.met_periods == 3
    assert weeks["2025-W02"] == (1, Status.MET) and weeks["2025-W10"] == (1, Status.MET)
    assert weeks["2025-W07"] == (0, Status.SHORT) and weeks["2025-W08"] == (0, Status.SHORT)
    city = next(u for u in report.units if u.unit == units["city"])
    assert city.rota.met_periods == 0  # county leaders do not cover the city's rota


def test_rota_week_one_starts_in_the_previous_december(units):
    deputy = cadre(units["county"])
    visit(deputy, "petition", D(2024, 12, 31))  # ISO week 2025-W01
    units_qs = OrgUnit.objects.filter(pk=units["county"].pk)
    county = evaluate(deputy, units=units_qs).units[0]
    assert county.rota.rows[0].period.label == "2025-W01" and county.rota.rows[0].done == 1


def test_unit_meetings_each_month_for_the_county_committee_and_departments(units):
    for month in range(1, 11):
        UnitMeeting.objects.create(unit=units["county"], date=D(Y, month, 15), topic="专题研究")
    UnitMeeting.objects.create(unit=units["organ"], date=D(Y, 2, 3), topic="专题研究")
    UnitMeeting.objects.create(unit=units["organ"], date=D(Y, 2, 23), topic="专题研究")
    scope = OrgUnit.objects.filter(pk__in=[units["county"].pk, units["organ"].pk])
    report = evaluate(units=scope)
    by_unit = {u.unit.code: u.meetings for u in report.units}
    (county,) = by_unit["350901"]
    assert county.rule.code == "study-county-committee"
    assert county.met_periods == 10 and county.short_labels == ["2025-11", "2025-12"]
    (organ,) = by_unit["350901-ZZB"]
    assert organ.rule.code == "study-department"
    assert organ.rows[1].done == 2 and organ.met_periods == 1


def test_unit_share_of_bound_cadres_compliant(units):
    good, bad = cadre(units["county"]), cadre(units["county"])
    cadre(units["village"], "general", "村委委员")  # bound by nothing: not counted
    for who in (good, bad):
        visit(who, "research", D(Y, 3, 1), D(Y, 4, 29))
    monthly(good, "petition", Y, range(1, 13))
    monthly(bad, "petition", Y, range(1, 12))
    report = compliance.evaluate(cadres=Cadre.objects.all(), units=OrgUnit.objects.all(), year=Y)
    county = next(u for u in report.units if u.unit == units["county"])
    assert (county.bound, county.compliant, county.share) == (2, 1, 0.5)


def test_research_days_met_only_on_paper_are_flagged_not_subtracted(units):
    deputy = cadre(units["county"])
    visit(deputy, "research", D(Y, 3, 1), D(Y, 4, 19), hours=Decimal(300))  # 50 days, 6 h a day
    visit(deputy, "research", D(Y, 9, 1), D(Y, 9, 10), hours=Decimal(10))  # 10 days, 1 h a day
    report = evaluate(deputy)
    assert table(report, deputy, "research-county")["2025"] == (60, 60, 0, Status.MET)
    (flag,) = map(text, result(report, deputy).flags)
    assert "其中10天所在活动每天不足4小时" in flag and "扣除后只有50天" in flag
    assert result(report, deputy).thin_days == 10


def test_thin_days_that_do_not_decide_compliance_are_counted_not_flagged(units):
    deputy = cadre(units["county"])
    visit(deputy, "research", D(Y, 3, 1), D(Y, 4, 29), hours=Decimal(480))
    visit(deputy, "research", D(Y, 9, 1), D(Y, 9, 2), hours=Decimal(2))
    report = evaluate(deputy)
    assert result(report, deputy).flags == [] and result(report, deputy).thin_days == 2


def test_periods_not_over_are_open_not_short(units):
    deputy = cadre(units["county"])
    monthly(deputy, "petition", Y, [1, 2, 3])
    report = evaluate(deputy, as_of=D(Y, 4, 15))
    months = table(report, deputy, "petition-county")
    assert months["2025-03"][3] == Status.MET and months["2025-04"][3] == Status.OPEN
    assert table(report, deputy, "research-county")["2025"][3] == Status.OPEN
    assert result(report, deputy).compliant is True  # every period that is over is met


def test_a_cadre_without_tenure_rows_is_judged_on_current_fields(units):
    head = cadre(units["county"], post="县长", principal=True, committee=True)
    assert not Tenure.objects.filter(cadre=head).exists()
    assert {"petition-county", "research-county", "publicity-principal"} == codes(
        evaluate(head), head
    )


def test_batched_rule_sets_agree_with_ruleset_for(sichuan):
    RuleSetAssignment.objects.create(
        ruleset=PolicyRuleSet.objects.get(code="fujian-2013"),
        unit=sichuan["county"],
        first_year=2024,
        last_year=2025,
    )
    all_units = list(OrgUnit.objects.all())
    for year in (2016, 2023, 2025, 2026):
        batched = compliance.rules_by_unit(all_units, year)
        for unit in all_units:
            expected = ruleset_for(unit, year)
            assert {r.ruleset_id for r in batched[unit.pk]} == {expected.pk}


def test_periods_are_calendar_months_quarters_and_iso_weeks():
    assert [p.label for p in compliance.periods("quarter", Y)] == [
        "2025Q1",
        "2025Q2",
        "2025Q3",
        "2025Q4",
    ]
    feb = compliance.periods("month", 2024)[1]
    assert (feb.label, feb.start, feb.end) == ("2024-02", D(2024, 2, 1), D(2024, 2, 29))
    weeks = compliance.periods("week", 2026)
    assert len(weeks) == 53 and weeks[-1].end == D(2027, 1, 3)


def test_demo_county_has_monthly_meetings_with_gaps(questionnaire):
    from evaluations import demo

    demo.seed()
    county = OrgUnit.objects.get(code=demo.COUNTY_CODE)
    report = compliance.evaluate(
        cadres=Cadre.objects.all(), units=OrgUnit.objects.all(), year=demo.YEAR
    )
    (study,) = next(u for u in report.units if u.unit == county).meetings
    assert study.met_periods >= 8 and len(study.short_labels) >= 2
    li_na = next(r for r in report.cadres if r.cadre.code == "C009")  # took up her post on 1 April
    months = {r.period.label: r.status for r in li_na.rows if r.rule.code == "petition-county"}
    assert months["2026-03"] == Status.NOT_APPLICABLE and months["2026-04"] != Status.NOT_APPLICABLE
