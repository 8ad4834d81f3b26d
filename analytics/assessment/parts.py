"""The four parts of the annual composite, each 0–100 per cadre, with notes in Chinese.

Each provider takes (cycle, cadre_ids) and returns a `Part`. A missing part is None, never a
guess; the composite then shares its weight among the rest."""

import math
from dataclasses import dataclass, field

from analytics.assessment.grading import rounded
from analytics.frames import SYSTEM, responses_frame
from analytics.satisfaction import min_sample, summarise
from evaluations.cases.metrics import case_metrics
from evaluations.models import Cadre, Case
from evaluations.quota import compliance as compliance_engine


@dataclass
class Part:
    values: dict  # cadre id -> 0–100 or None
    notes: dict  # cadre id -> [reasons in Chinese]
    blocks_excellent: set = field(default_factory=set)  # cadre ids that may not be 优秀


def satisfaction(*, cycle, cadre_ids):
    """The empirical-Bayes adjusted score (SPEC §6) among the cycle's cadres; 样本不足 → None."""
    table = summarise(responses_frame(SYSTEM, year=cycle.year, cadre_ids=cadre_ids), "cadre_id")
    values, notes = {}, {}
    for pk in cadre_ids:
        if pk in table.index and table.loc[pk, "enough"]:
            values[pk] = rounded(float(table.loc[pk, "adjusted"]))
        else:
            n = int(table.loc[pk, "n"]) if pk in table.index else 0
            values[pk] = None
            notes[pk] = [f"群众评价样本不足（{n} 条，少于 {min_sample()} 条），不计入"]
    return Part(values, notes)


def compliance(*, cycle, cadre_ids):
    """Share of the year's judged quota periods that were met (seed 001 rule sets), × 100."""
    report = compliance_engine.evaluate(
        cadres=Cadre.objects.filter(pk__in=cadre_ids), year=cycle.year
    )
    values, notes = {}, {}
    for result in report.cadres:
        judged = [r for r in result.rows if r.status in compliance_engine.CLOSED]
        met = sum(r.status == compliance_engine.Status.MET for r in judged)
        pk = result.cadre.pk
        values[pk] = rounded(100 * met / len(judged)) if judged else None
        notes[pk] = (
            [f"指标完成 {met}/{len(judged)} 个考核周期"] if judged else ["不受四下基层量化指标约束"]
        )
        notes[pk] += list(result.flags)
    return Part(values, notes)


def cases(*, cycle, cadre_ids):
    """Mean of 受理率, 按期办结率 and 满意率 of the cases raised with the cadre this year, × 100."""
    rates = case_metrics(
        Case.objects.filter(raised_with_id__in=cadre_ids, raised_on__year=cycle.year), by="cadre"
    )
    values = {pk: None for pk in cadre_ids}
    notes = {pk: ["本年度无问题台账记录"] for pk in cadre_ids}
    for r in rates:
        parts = [
            x for x in (r.acceptance_rate, r.on_time_rate, r.satisfaction_rate) if x is not None
        ]
        if r.key in values and parts:
            values[r.key] = rounded(100 * sum(parts) / len(parts))
            notes[r.key] = [
                f"问题 {r.received} 件：受理率 {_pct(r.acceptance_rate)}，"
                f"按期办结率 {_pct(r.on_time_rate)}，满意率 {_pct(r.satisfaction_rate)}"
            ]
    return Part(values, notes)


def _pct(rate) -> str:
    return "—" if rate is None or math.isnan(rate) else f"{rate:.0%}"


def appraisal(*, cycle, cadre_ids):
    """Group-weighted points of the year's closed 民主测评/评议 sessions (SPEC §5), × 100."""
    from evaluations.appraisal.scores import scores_for

    values, notes, needs_review = scores_for(cadre_ids=cadre_ids, year=cycle.year)
    return Part({k: rounded(v) for k, v in values.items()}, notes, blocks_excellent=needs_review)
