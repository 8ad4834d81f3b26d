"""The four parts of the annual composite, computed from real data by their providers."""

import datetime as dt

import pytest

from analytics.assessment import parts
from evaluations.appraisal import services
from evaluations.cycles.services import create_cycle
from evaluations.models import AppraisalSession, Case
from surveys.ballots import services as voting
from tests.analytics.conftest import add_responses
from tests.evaluations.appraisal.helpers import answers_for, clear_cache, issue, secretary
from tests.factories import CadreFactory, VisitFactory, default_questionnaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(world):
    default_questionnaire()
    clear_cache()
    return world[2]["350901"]


def closed_session(branch, cadres, grades_per_ballot, voters):
    actor = secretary(branch)
    session = services.save_session(
        session=AppraisalSession(branch=branch, period="2026年度", kind="members", scale="members"),
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
    assert any("需组织认定" in n for n in part.notes[doubtful.pk])


def test_a_session_below_quorum_is_noted_not_scored(county):
    cadre = CadreFactory(unit=county["village"])
    closed_session(county["village"], [cadre], [("qualified",)] * 2, voters=8)
    cycle = create_cycle(unit=county["county"], year=AppraisalSession.objects.get().closed_at.year)
    part = parts.appraisal(cycle=cycle, cadre_ids=[cadre.pk])
    assert part.values[cadre.pk] is None and "未达到法定人数" in part.notes[cadre.pk][0]


def test_satisfaction_part_needs_the_minimum_sample(county):
    enough, few = CadreFactory(unit=county["town"]), CadreFactory(unit=county["town"])
    add_responses(VisitFactory(lead=enough), [(4, 4, 4)] * 10)
    add_responses(VisitFactory(lead=few), [(5, 5, 5)] * 3)
    part = parts.satisfaction(
        cycle=create_cycle(unit=county["county"], year=2026), cadre_ids=[enough.pk, few.pk]
    )
    assert part.values[enough.pk] is not None and part.values[few.pk] is None
    assert "样本不足（3 条" in part.notes[few.pk][0]


def test_compliance_part_is_the_share_of_periods_met(county):
    cadre = CadreFactory(unit=county["county"], level="county")
    for month in (1, 2, 3):  # petitions in three months of a year with twelve
        VisitFactory(
            lead=cadre,
            kind="petition",
            status="done",
            summary="接访",
            start_date=dt.date(2025, month, 10),
            end_date=dt.date(2025, month, 10),
        )
    part = parts.compliance(
        cycle=create_cycle(unit=county["county"], year=2025), cadre_ids=[cadre.pk]
    )
    assert 0 < part.values[cadre.pk] < 100
    assert any("考核周期" in n for n in part.notes[cadre.pk])


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
    part = parts.cases(cycle=create_cycle(unit=county["county"], year=2026), cadre_ids=[cadre.pk])
    assert part.values[cadre.pk] == pytest.approx((0.5 + 1.0) / 2 * 100)  # no ratings yet
    assert "问题 2 件" in part.notes[cadre.pk][0]
