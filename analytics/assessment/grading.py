"""Suggested grades from composite scores: bands, hard rules and 优秀 caps, each with reasons
kept as notes (surveys.notes: a message and its figures, shown in the reader's
language). Pure functions on plain data, tested rule by rule (issue: 年度考核).

No grade is decided here: the department confirms or overrides every suggestion (组织评定);
不简单以票取人 (《党政领导干部考核工作条例》2019)."""

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from evaluations.cycles.services import CAP_SOURCES
from surveys.notes import note, shipped

PARTS = ("satisfaction", "appraisal", "compliance", "cases")
PART_LABELS = {
    "satisfaction": _("群众满意度"),
    "appraisal": _("民主测评"),
    "compliance": _("四下基层指标"),
    "cases": _("问题办理"),
}
GRADE_LABELS = {
    "excellent": _("优秀"),
    "competent": _("称职"),
    "basic": _("基本称职"),
    "incompetent": _("不称职"),
    "undetermined": _("不确定等次"),
}
# The reasons, as messages whose figures are filled in when a page or file shows them.
MISSING = _("缺少%(parts)s数据，权重按其余各项比例重新分配")
TOO_FEW = _("可用评价依据少于 %(n)d 项，群众评价等单项不能作为唯一依据，需组织评定")
PART_SHOWN = _("%(part)s %(value).1f×%(weight).3f")
COMPOSITE = _("综合得分 %(score).1f = %(parts)s（保留 %(digits)d 位小数，按此分数定档）")
NEAR = _(
    "综合得分 %(score).1f 距%(grade)s分数线 %(bound)s 仅 %(gap).1f 分，接近分数线，请组织重点审核"
)
ON_LEAVE = _("长期离岗（病休等），本年度不确定等次")
BY_BAND = _("按分数线（%(grade)s ≥ %(bound)s）建议为%(grade)s")
BELOW_BANDS = _("低于基本称职分数线，建议为不称职")
NEEDS_CONFIRMATION = _("民主测评“不称职/差”票超过有效票三分之一，需组织认定")
NOT_EXCELLENT = _("需组织认定者不建议评为优秀，建议为称职")
OVER_CAP_TIED = _(
    "优秀比例上限 %(fraction).0f%%（%(source)s），本类别 %(n)d 人中最多 %(allowed)d 人优秀；"
    "与他人同分且超出比例，建议为称职，由组织评定"
)
OVER_CAP = _(
    "优秀比例上限 %(fraction).0f%%（%(source)s），本类别 %(n)d 人中最多 %(allowed)d 人优秀；"
    "按综合得分排序超出比例，建议为称职"
)
# Residents' ratings never decide alone (2024 rules against formalism: online votes or likes
# are never the sole basis of an evaluation): a composite needs at least this many parts.
MIN_PARTS = 2
# Issue 12 §2: one stated precision. Parts and the composite are rounded once, to one decimal,
# and that value decides the band and is what every page, sheet, XLSX and PDF prints.
PRECISION = 1
# A composite this close to a band's bound is reported as near it, so the department looks again.
NEAR_BOUND = 1.0


def rounded(value) -> float | None:
    """The one rounding of a score (0–100) to PRECISION decimals, half up on the decimal value
    (65.65 → 65.7, whatever float noise); None stays None."""
    if value is None:
        return None
    step = Decimal(1).scaleb(-PRECISION)
    return float(Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP))


@dataclass
class Candidate:
    cadre_id: int
    name: str
    category: str
    parts: dict  # part -> 0–100 score or None
    needs_confirmation: bool = False  # 民主测评 flag: 需组织认定
    on_leave: bool = False
    composite: float | None = None
    grade: str = "undetermined"
    reasons: list = field(default_factory=list)


def composite(parts: dict, weights: dict) -> tuple[float | None, list[dict]]:
    """Weighted mean of the parts present; missing parts' weights are shared among the rest."""
    present = {k: v for k, v in parts.items() if v is not None and weights.get(k, 0) > 0}
    missing = [PART_LABELS[k] for k in PARTS if k not in present and weights.get(k, 0) > 0]
    reasons = []
    if missing:
        reasons.append(note(MISSING, parts=missing))
    if len(present) < MIN_PARTS:
        return None, [*reasons, note(TOO_FEW, n=MIN_PARTS)]
    present = {k: rounded(v) for k, v in present.items()}
    total = sum(weights[k] for k in present)
    # Exact decimal arithmetic on the parts and weights shown, then rounded once: scores that
    # print alike are alike, so bands and ties at a cap are real.
    exact = sum(Decimal(str(weights[k])) * Decimal(str(v)) for k, v in present.items())
    score = rounded(exact / sum(Decimal(str(weights[k])) for k in present))
    shown = [
        note(PART_SHOWN, part=PART_LABELS[k], value=v, weight=weights[k] / total)
        for k, v in present.items()
    ]
    return score, [*reasons, note(COMPOSITE, score=score, parts=shown, digits=PRECISION)]


def band(score: float, bands: list[tuple[float, str]]) -> str:
    for bound, grade in bands:
        if score >= bound:
            return grade
    return "incompetent"


def _near_bounds(score: float, bands) -> list[dict]:
    """Say so when the shown composite lies within NEAR_BOUND of a band's bound."""
    return [
        note(NEAR, score=score, grade=GRADE_LABELS[g], bound=f"{b:g}", gap=abs(score - b))
        for b, g in bands
        if abs(score - b) < NEAR_BOUND
    ]


def allowed_excellent(fraction: float, headcount: int) -> int:
    """How many 优秀 a cap allows: the floor of fraction × headcount (7 × 25% = 1.75 → 1)."""
    return math.floor(fraction * headcount + 1e-9)


def suggest(
    candidates: list[Candidate], *, weights: dict, bands: list, caps: dict
) -> list[Candidate]:
    """Fill composite, grade and reasons for every candidate. `caps`: category -> (fraction,
    source) for 优秀; the headcount is every candidate of the category in the cycle."""
    for c in candidates:
        _grade_one(c, weights, bands)
    for category, (fraction, source) in caps.items():
        _apply_cap([c for c in candidates if c.category == category], fraction, source)
    return candidates


def _grade_one(c: Candidate, weights, bands) -> None:
    if c.on_leave:
        c.grade = "undetermined"
        c.reasons.append(note(ON_LEAVE))
        return
    c.composite, reasons = composite(c.parts, weights)
    c.reasons.extend(reasons)
    if c.composite is None:
        c.grade = "undetermined"
        return
    c.grade = band(c.composite, bands)
    bound = next((b for b, g in bands if g == c.grade), None)
    c.reasons.append(
        note(BY_BAND, grade=GRADE_LABELS[c.grade], bound=f"{bound:g}")
        if bound is not None
        else note(BELOW_BANDS)
    )
    c.reasons.extend(_near_bounds(c.composite, bands))
    if c.needs_confirmation:
        c.reasons.append(note(NEEDS_CONFIRMATION))
        if c.grade == "excellent":
            c.grade = "competent"
            c.reasons.append(note(NOT_EXCELLENT))


def _apply_cap(group: list[Candidate], fraction: float, source: str) -> None:
    allowed = allowed_excellent(fraction, len(group))
    excellent = sorted((c for c in group if c.grade == "excellent"), key=lambda c: -c.composite)
    if len(excellent) <= allowed:
        return
    cutoff = excellent[allowed].composite
    # A tie straddles the cap when someone inside it has the score of the first one outside.
    straddles = any(c.composite == cutoff for c in excellent[:allowed])
    for rank, c in enumerate(excellent):
        tied_at_cut = straddles and c.composite == cutoff
        if rank < allowed and not tied_at_cut:
            continue
        c.grade = "competent"
        message = OVER_CAP_TIED if tied_at_cut else OVER_CAP
        figures = {"fraction": fraction * 100, "n": len(group), "allowed": allowed}
        source_note = shipped(source, CAP_SOURCES)  # the default caps' source, in any language
        c.reasons.append(note(message, source=source_note, **figures))
