"""The four parts of the annual composite, each 0–100 per cadre, with notes (messages and their
figures, surveys.notes, put into words in the reader's language when shown).

Each provider takes (cycle, cadre_ids, as_of) and returns a `Part`; `as_of` is the run's
first day not judged (runs.default_as_of). A missing part is None, never a
guess; the composite then shares its weight among the rest."""

import datetime as dt
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from analytics import sufficient
from analytics.assessment.grading import rounded
from analytics.frames import SYSTEM
from analytics.reference import LEVEL_LABELS, with_reference
from analytics.satisfaction import min_sample
from evaluations.cases.metrics import case_metrics
from evaluations.models import Cadre, Case
from evaluations.quota import compliance as compliance_engine
from surveys.notes import note

ADJUSTED = _("群众满意度为经验贝叶斯调整后得分，参照组：%(group)s")
TOO_FEW = _("群众评价样本不足（%(n)d 条，少于 %(minimum)d 条），不计入")
# Issue 19 §5: the score says how many of its responses came by each channel.
CHANNELS = _("评价渠道：手机扫码 %(web)d 条，纸质问卷 %(paper)d 条，协助填写 %(assisted)d 条")
RULE_DONE = _("%(rule)s：已结束周期完成 %(done).0f%%")
RULE_OPEN = _("%(rule)s：考核周期尚未结束（进行中），不计分")
NO_RULES = _("不受四下基层量化指标约束")
QUOTA_DONE = _("指标完成 %(value).1f：%(n)d 项规则各按完成比例计分（上限 100%%）")
NO_CASES = _("本年度无计入考核的问题台账记录，不计问题办理分，其权重按其余各项分配")
CASES = _(
    "问题 %(n)d 件：受理率 %(accepted)s，按期办结率 %(on_time)s，满意率 %(satisfied)s"
    "（不予受理且说明理由的、登记未满 %(days)d 天待受理的不计入）"
)


@dataclass
class Part:
    values: dict  # cadre id -> 0–100 or None
    notes: dict  # cadre id -> [notes]
    blocks_excellent: set = field(default_factory=set)  # cadre ids that may not be 优秀
    inputs: dict = field(default_factory=dict)  # what else the run keeps (JSON)


def _finite(x) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None


def satisfaction(*, cycle, cadre_ids, as_of=None):
    """The empirical-Bayes adjusted score (SPEC §6) within each cadre's reference group
    (analytics.reference: same rank, province and rule set, the year), the same figure the
    reports show; 样本不足 → None. Each cadre's group and the group's prior (m, ICC, cadres
    rated) are kept with the run."""
    data = sufficient.cells(SYSTEM, year=cycle.year, cadre_ids=cadre_ids, months=False)
    table = sufficient.summarise_cells(data, "cadre_id")
    table = with_reference(table, year=cycle.year, known=data, labels=True)
    values, notes, reference, groups, channels = {}, {}, {}, {}, {}
    for pk in cadre_ids:
        if pk in table.index:
            counts = channels[str(pk)] = _channel_counts(table.loc[pk])
        if pk in table.index and table.loc[pk, "enough"]:
            values[pk] = rounded(float(table.loc[pk, "adjusted"]))
            label = reference[str(pk)] = table.loc[pk, "reference"]
            groups[label] = {k: _finite(table.loc[pk, k]) for k in ("m", "icc", "group_cadres")}
            notes[pk] = [note(ADJUSTED, group=_group_note(label, table.loc[pk, "reference_level"]))]
        else:
            n = int(table.loc[pk, "n"]) if pk in table.index else 0
            values[pk] = None
            notes[pk] = [note(TOO_FEW, n=n, minimum=min_sample())]
        if pk in table.index:
            notes[pk].append(note(CHANNELS, **counts))
    inputs = {"reference": reference, "groups": groups, "channels": channels}
    return Part(values, notes, inputs=inputs)


def _channel_counts(row) -> dict:
    return {
        "web": int(row.get("n_web", 0) or 0),
        "paper": int(row.get("n_paper", 0) or 0),
        "assisted": int(row.get("n_assisted", 0) or 0),
    }


def _group_note(label: str, level: str):
    """'福建省 · fujian-2013 · 县级' with the rank kept as a message (surveys.notes)."""
    place_and_rules = label.rsplit(" · ", 1)[0]
    rank = LEVEL_LABELS.get(level, level)
    return note("%(group)s · %(level)s", group=place_and_rules, level=rank)


def rule_credit(summary, as_of: dt.date) -> float | None:
    """Issue 12 §3: one scored rule's credit, the mean over its periods already over on `as_of`
    of done ÷ required capped at 1; None while none of its periods is over (进行中)."""
    over = [
        r for r in summary.rows if r.status in compliance_engine.JUDGED and r.period.end < as_of
    ]
    if not summary.rule.is_scored or not over:
        return None
    shares = [min(1.0, r.done / float(r.required)) if r.required else 1.0 for r in over]
    return sum(shares) / len(shares)


def _compliance_one(result, as_of) -> tuple[float | None, list]:
    credits, notes = [], []
    for summary in result.rules:
        credit = rule_credit(summary, as_of)
        if credit is not None:
            credits.append(credit)
            notes.append(note(RULE_DONE, rule=summary.rule.shown_label, done=credit * 100))
        elif summary.rule.is_scored and summary.judged:
            notes.append(note(RULE_OPEN, rule=summary.rule.shown_label))
    if not credits:
        return None, notes or [note(NO_RULES)]
    value = 100 * sum(credits) / len(credits)
    return value, [note(QUOTA_DONE, value=value, n=len(credits)), *notes]


def compliance(*, cycle, cadre_ids, as_of):
    """Mean over the scored rules (seed 001 rule sets) of each rule's credit (`rule_credit`),
    × 100; only periods over on `as_of` count, a rule still 进行中 is left out, none → None."""
    report = compliance_engine.evaluate(
        cadres=Cadre.objects.filter(pk__in=cadre_ids), year=cycle.year, as_of=as_of
    )
    values, notes = {}, {}
    for result in report.cadres:
        pk = result.cadre.pk
        value, notes[pk] = _compliance_one(result, as_of)
        values[pk] = rounded(value)
        notes[pk] += list(result.flags)
    return Part(values, notes)


# Issue 12 §4: a case waiting to be accepted counts against 受理率 only after this many days.
def case_grace_days() -> int:
    return settings.CASE_GRACE_DAYS


def counted_cases(*, cadre_ids, year: int, as_of: dt.date):
    """The cases raised with the cadres in `year` before `as_of` that judge their handling: a
    case declined with a stated reason (不予受理) is no failure of the cadre, and a case still
    waiting for acceptance is not yet due within the grace period."""
    raised = Case.objects.filter(
        raised_with_id__in=cadre_ids, raised_on__year=year, raised_on__lt=as_of
    )
    fresh = as_of - dt.timedelta(days=case_grace_days())
    return raised.exclude(status=Case.Status.DECLINED, decline_reason__gt="").exclude(
        status=Case.Status.RECEIVED, raised_on__gt=fresh
    )


def cases(*, cycle, cadre_ids, as_of):
    """Mean of the rates that apply among 受理率, 按期办结率 and 满意率 of `counted_cases`, × 100;
    a cadre with no counted case has no case part (its weight is shared out)."""
    rates = case_metrics(
        counted_cases(cadre_ids=cadre_ids, year=cycle.year, as_of=as_of), by="cadre", today=as_of
    )
    values = {pk: None for pk in cadre_ids}
    notes = {pk: [note(NO_CASES)] for pk in cadre_ids}
    for r in rates:
        parts = [
            x for x in (r.acceptance_rate, r.on_time_rate, r.satisfaction_rate) if x is not None
        ]
        if r.key in values and parts:
            values[r.key] = rounded(100 * sum(parts) / len(parts))
            rates = {
                "accepted": _pct(r.acceptance_rate),
                "on_time": _pct(r.on_time_rate),
                "satisfied": _pct(r.satisfaction_rate),
            }
            notes[r.key] = [note(CASES, n=r.received, days=case_grace_days(), **rates)]
    return Part(values, notes)


def _pct(rate) -> str:
    return "—" if rate is None or math.isnan(rate) else f"{rate:.0%}"


def appraisal(*, cycle, cadre_ids, as_of=None):
    """Group-weighted points of the year's closed 民主测评/评议 sessions (SPEC §5), × 100."""
    from evaluations.appraisal.scores import scores_for

    values, notes, needs_review = scores_for(cadre_ids=cadre_ids, year=cycle.year)
    return Part({k: rounded(v) for k, v in values.items()}, notes, blocks_excellent=needs_review)
