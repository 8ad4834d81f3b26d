"""The four parts of the annual composite, computed from real data by their providers."""

import datetime as dt

import pytest
from django.utils import timezone

from analytics.assessment import parts
from evaluations.appraisal import services
from evaluations.cycles.services import create_cycle
from evaluations.models import AppraisalSession, Case
from surveys.ballots import services as voting
from surveys.notes import text, texts
from tests.analytics.conftest import add_responses
from tests.evaluations.appraisal.helpers import answers_for, clear_cache, issue, secretary
from tests.factories import CadreFactory, VisitFactory, default_questionnaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(world):
    default_questionnaire()
    clear_cache()
    return world[2]["350901"]


def closed_session(branch, cadres, grades_per_ballot, voters, period="2026年度"):
    actor = secretary(branch)
    session = services.save_session(
        session=AppraisalSession(branch=branch, period=period, kind="members", scale="members"),
        subjects=[services.SubjectSpec(name=c.name, cadre=c) for c in cadres],
        groups=[services.GroupSpec(name="党员", voters=voters, weight=1)],
        opens_at=None,
        closes_at=None,
        actor=actor,
    )
    services.open_session(session=session, actor=actor)
    for code, grades in zip(
        issue(session, actor, count=len(grades_per_ballot)), grades_per_ballot, strict=True
    ):
        voting.cast_ballot(code=code, answers=answers_for(session, *grades))
    services.close_session(session=session, actor=actor)
    session.refresh_from_db()
    return session


def test_appraisal_part_is_the_weighted_points_and_carries_the_flag(county):
    good, doubtful = CadreFactory(unit=county["village"]), CadreFactory(unit=county["village"])
    # 6 ballots of 8 voters (quorum met): good gets 合格 × 6; doubtful gets 不合格 × 3 (half).
    ballots = [("qualified", "qualified")] * 3 + [("qualified", "unqualified")] * 3
    closed_session(county["village"], [good, doubtful], ballots, voters=8)
    cycle = create_cycle(unit=county["county"], year=AppraisalSession.objects.get().closed_at.year)
    part = parts.appraisal(cycle=cycle, cadre_ids=[good.pk, doubtful.pk])
    assert part.values[good.pk] == pytest.approx(80.0)  # 合格 = 0.8 points (SPEC §5)
    assert part.values[doubtful.pk] == pytest.approx((3 * 0.8 + 3 * 0) / 6 * 100)
    assert part.blocks_excellent == {doubtful.pk}
    assert any("需组织认定" in n for n in texts(part.notes[doubtful.pk]))


def test_the_appraisal_counts_in_the_year_it_covers(county):
    """城东社区's "2025年度民主评议党员" closes in 2026: it feeds the 2025 assessment (80.0),
    and 2026 says 本年度无民主测评结果 — the year the session closed decides nothing."""
    cadre = CadreFactory(unit=county["village"])
    session = closed_session(county["village"], [cadre], [("qualified",)] * 6, 8, "2025年度")
    assert session.year == 2025 and session.closed_at.year == 2026
    last = parts.appraisal(
        cycle=create_cycle(unit=county["county"], year=2025), cadre_ids=[cadre.pk]
    )
    this = parts.appraisal(
        cycle=create_cycle(unit=county["county"], year=2026), cadre_ids=[cadre.pk]
    )
    assert last.values[cadre.pk] == 80.0
    assert this.values[cadre.pk] is None and texts(this.notes[cadre.pk]) == ["本年度无民主测评结果"]


def test_a_session_states_its_year_apart_from_the_period_text(county):
    session = AppraisalSession(branch=county["village"], period="换届前评议", year=2024)
    assert session.year == 2024
    from evaluations.appraisal.models import year_of_period

    assert year_of_period("2025年度") == 2025 and year_of_period("换届前评议", 2023) == 2023


def test_a_session_below_quorum_is_noted_not_scored(county):
    cadre = CadreFactory(unit=county["village"])
    closed_session(county["village"], [cadre], [("qualified",)] * 2, voters=8)
    cycle = create_cycle(unit=county["county"], year=AppraisalSession.objects.get().closed_at.year)
    part = parts.appraisal(cycle=cycle, cadre_ids=[cadre.pk])
    assert part.values[cadre.pk] is None and "未达到法定人数" in texts(part.notes[cadre.pk])[0]


def test_satisfaction_part_needs_the_minimum_sample(county):
    enough, few = CadreFactory(unit=county["town"]), CadreFactory(unit=county["town"])
    add_responses(VisitFactory(lead=enough), [(4, 4, 4)] * 10)
    add_responses(VisitFactory(lead=few), [(5, 5, 5)] * 3)
    part = parts.satisfaction(
        cycle=create_cycle(unit=county["county"], year=2026), cadre_ids=[enough.pk, few.pk]
    )
    assert part.values[enough.pk] is not None and part.values[few.pk] is None
    assert "样本不足（3 条" in texts(part.notes[few.pk])[0]


def _visit(cadre, kind, start, days=1):
    # A record of 31 days or more counts only once reviewed (issue 13): these are reviewed.
    VisitFactory(
        lead=cadre,
        kind=kind,
        status="done",
        summary="已总结",
        start_date=start,
        end_date=start + dt.timedelta(days=days - 1),
        long_run_reviewed_at=timezone.now() if days >= 31 else None,
    )


YEAR_OVER = dt.date(2026, 1, 1)  # a run on or after 1 January 2026 judges all of 2025


def test_compliance_gives_each_rule_proportional_credit_once(county):
    """县级 rules of 001: 接访 ≥1 a month, 调研 ≥60 days a year. A: 12 monthly receptions and no
    research (share of periods: 12/13 = 92.3). B: receptions in 10 months, 60 research days
    (11/13 = 84.6). Each rule once, credit capped at 1: A (1 + 0)/2 = 50.0,
    B (10/12 + 1)/2 = 91.7."""
    a = CadreFactory(unit=county["county"], level="county")
    b = CadreFactory(unit=county["county"], level="county")
    for month in range(1, 13):
        _visit(a, "petition", dt.date(2025, month, 10))
        if month not in (4, 9):
            _visit(b, "petition", dt.date(2025, month, 10))
    _visit(b, "research", dt.date(2025, 5, 1), days=30)
    _visit(b, "research", dt.date(2025, 10, 1), days=30)
    _visit(b, "petition", dt.date(2025, 6, 20))  # a second one in June makes up for no month
    part = parts.compliance(
        cycle=create_cycle(unit=county["county"], year=2025),
        cadre_ids=[a.pk, b.pk],
        as_of=YEAR_OVER,
    )
    assert part.values[a.pk] == 50.0
    assert part.values[b.pk] == round(100 * (10 / 12 + 1) / 2, 1) == 91.7
    assert any("2 项规则各按完成比例计分" in n for n in texts(part.notes[b.pk]))


def test_research_days_short_of_the_year_earn_their_share(county):
    """45 of 60 research days: 0.75 of that rule, not 0; receptions all 12 months: 1."""
    cadre = CadreFactory(unit=county["county"], level="county")
    for month in range(1, 13):
        _visit(cadre, "petition", dt.date(2025, month, 10))
    _visit(cadre, "research", dt.date(2025, 3, 1), days=45)
    part = parts.compliance(
        cycle=create_cycle(unit=county["county"], year=2025), cadre_ids=[cadre.pk], as_of=YEAR_OVER
    )
    assert part.values[cadre.pk] == 87.5  # (1 + 45/60) / 2


def test_a_run_on_30_november_never_judges_december_or_the_open_year(county):
    """Run on 30 November 2026: receptions Jan–Oct done (10 months over, all met; November and
    December not over), research not over (annual, 进行中): the compliance part is 100, not
    10/12 or 0, and the research rule is said to be 进行中."""
    cadre = CadreFactory(unit=county["county"], level="county")
    for month in range(1, 11):
        _visit(cadre, "petition", dt.date(2026, month, 10))
    part = parts.compliance(
        cycle=create_cycle(unit=county["county"], year=2026),
        cadre_ids=[cadre.pk],
        as_of=dt.date(2026, 11, 30),
    )
    assert part.values[cadre.pk] == 100.0
    assert any("到基层调研" in n and "进行中" in n for n in texts(part.notes[cadre.pk]))


def test_a_town_head_is_not_failed_for_a_talk_the_year_still_allows(county):
    """赵敏 (镇长, 党政主要领导): the annual 宣讲 rule binds her; on 30 November it is not yet
    given. The year is not over, so she has no compliance part (not 0) and is not 不称职."""
    from analytics.assessment import runs

    zhao = CadreFactory(unit=county["town"], level="township", is_principal=True, name="赵敏")
    cycle = create_cycle(unit=county["town"], year=2026)
    part = parts.compliance(cycle=cycle, cadre_ids=[zhao.pk], as_of=dt.date(2026, 11, 30))
    assert part.values[zhao.pk] is None
    assert any("进行中" in n for n in texts(part.notes[zhao.pk]))
    run = runs.run_all(runs.start(cycle, as_of=dt.date(2026, 11, 30)))
    result = run.results.get(cadre=zhao)
    assert result.compliance is None and result.suggested_grade != "incompetent"
    assert run.inputs["as_of"] == "2026-11-30"


def test_cases_part_averages_the_three_rates(county):
    cadre = CadreFactory(unit=county["town"])
    Case.objects.create(
        unit=county["village"],
        raised_with=cadre,
        title="路灯坏了",
        raised_on=dt.date(2026, 3, 1),
        status=Case.Status.DECLINED,
    )
    Case.objects.create(
        unit=county["village"],
        raised_with=cadre,
        title="水渠堵了",
        raised_on=dt.date(2026, 3, 1),
        status=Case.Status.CLOSED,
        deadline=dt.date(2026, 3, 31),
        closed_on=dt.date(2026, 3, 20),
    )
    part = parts.cases(
        cycle=create_cycle(unit=county["county"], year=2026),
        cadre_ids=[cadre.pk],
        as_of=dt.date(2026, 11, 30),
    )
    assert part.values[cadre.pk] == pytest.approx((0.5 + 1.0) / 2 * 100)  # no ratings yet
    assert "问题 2 件" in texts(part.notes[cadre.pk])[0]


def _case(cadre, unit, raised_on, status, **kwargs):
    return Case.objects.create(
        unit=unit, raised_with=cadre, title="问题", raised_on=raised_on, status=status, **kwargs
    )


def test_a_case_declined_with_a_reason_is_no_failure(county):
    """Two cases: one closed on time, one 不予受理 because it is a court matter (reason stated).
    Before: 受理率 1/2, part (0.5 + 1)/2 = 75. Now the declined one is not counted: 100."""
    cadre = CadreFactory(unit=county["town"])
    _case(
        cadre,
        county["village"],
        dt.date(2026, 3, 1),
        Case.Status.CLOSED,
        deadline=dt.date(2026, 3, 31),
        closed_on=dt.date(2026, 3, 20),
    )
    _case(
        cadre,
        county["village"],
        dt.date(2026, 3, 2),
        Case.Status.DECLINED,
        decline_reason="属法院审理事项，已告知当事人依法起诉",
    )
    part = parts.cases(
        cycle=create_cycle(unit=county["county"], year=2026),
        cadre_ids=[cadre.pk],
        as_of=dt.date(2026, 11, 30),
    )
    assert part.values[cadre.pk] == 100.0
    assert "问题 1 件" in texts(part.notes[cadre.pk])[0]


def test_a_case_raised_days_ago_is_not_yet_due(county, settings):
    """Raised on 28 November, still waiting to be accepted on the 30th: within the 7-day grace
    period it does not count, so the cadre has no case part (not 受理率 0); with a grace period
    of 1 day it counts against 受理率: 0."""
    cadre = CadreFactory(unit=county["town"])
    _case(cadre, county["village"], dt.date(2026, 11, 28), Case.Status.RECEIVED)
    cycle = create_cycle(unit=county["county"], year=2026)
    as_of = dt.date(2026, 11, 30)
    assert parts.cases(cycle=cycle, cadre_ids=[cadre.pk], as_of=as_of).values[cadre.pk] is None
    settings.CASE_GRACE_DAYS = 1
    assert parts.cases(cycle=cycle, cadre_ids=[cadre.pk], as_of=as_of).values[cadre.pk] == 0.0


def test_no_cases_means_no_case_part_for_everyone_and_the_reasons_say_so(county):
    """A cadre without cases has no case part (not 0, not 100); its weight is shared out."""
    from analytics.assessment.grading import composite

    cadre = CadreFactory(unit=county["town"])
    part = parts.cases(
        cycle=create_cycle(unit=county["county"], year=2026),
        cadre_ids=[cadre.pk],
        as_of=dt.date(2026, 11, 30),
    )
    assert part.values[cadre.pk] is None and "权重按其余各项分配" in texts(part.notes[cadre.pk])[0]
    weights = {"satisfaction": 0.3, "appraisal": 0.4, "compliance": 0.2, "cases": 0.1}
    score, reasons = composite(
        {"satisfaction": 80.0, "appraisal": 80.0, "compliance": 80.0, "cases": None}, weights
    )
    assert score == 80.0 and "缺少问题办理数据，权重按其余各项比例重新分配" in text(reasons[0])


def test_a_run_judges_up_to_today_or_the_whole_year_once_it_is_over(county):
    """Started on 30 November 2026, a 2026 run judges periods that ended before that day; a
    2025 run started then judges all of 2025 (as-of 1 January 2026)."""
    from analytics.assessment.runs import default_as_of

    today = dt.date(2026, 11, 30)
    this = create_cycle(unit=county["county"], year=2026)
    last = create_cycle(unit=county["county"], year=2025)
    assert default_as_of(this, today) == today
    assert default_as_of(last, today) == dt.date(2026, 1, 1)
