"""Grade scales and default rules of democratic appraisal (民主评议 / 民主测评), as data.

Every default can be changed per session; the sources are cited beside each value (SPEC §5).
"""

from fractions import Fraction

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MEMBERS = "members", _("民主评议党员")
    LEADERSHIP = "leadership", _("领导班子和领导干部民主测评")


class Scale(models.TextChoices):
    MEMBERS = "members", _("优秀 / 合格 / 基本合格 / 不合格")
    TEAM = "team", _("好 / 较好 / 一般 / 差")
    COMPETENCE = "competence", _("优秀 / 称职 / 基本称职 / 不称职")


# SPEC §5: the grades of each scale, best first.
GRADES = {
    Scale.MEMBERS: [
        ("excellent", _("优秀")),
        ("qualified", _("合格")),
        ("basic_qualified", _("基本合格")),
        ("unqualified", _("不合格")),
    ],
    Scale.TEAM: [
        ("good", _("好")),
        ("fairly_good", _("较好")),
        ("average", _("一般")),
        ("poor", _("差")),
    ],
    Scale.COMPETENCE: [
        ("excellent", _("优秀")),
        ("competent", _("称职")),
        ("basic_competent", _("基本称职")),
        ("incompetent", _("不称职")),
    ],
}
# Which scales each kind of session may use for individuals (SPEC §5).
KIND_SCALES = {
    Kind.MEMBERS: [Scale.MEMBERS],
    Kind.LEADERSHIP: [Scale.COMPETENCE, Scale.TEAM],
}
# A leadership team as a whole (领导班子) is always rated 好 / 较好 / 一般 / 差 (SPEC §5).
TEAM_SCALE = Scale.TEAM

# SPEC §5 (seen in local practice): grade-to-point mapping for the weighted score.
DEFAULT_POINTS = {
    "excellent": 1.0,
    "good": 1.0,
    "competent": 0.8,
    "fairly_good": 0.8,
    "basic_competent": 0.6,
    "average": 0.6,
    "incompetent": 0.0,
    "poor": 0.0,
    "qualified": 0.8,
    "basic_qualified": 0.6,
    "unqualified": 0.0,
}
# SPEC §5: 不合格 (不称职, 差) votes are the ones that can call for 组织认定.
NEGATIVE_GRADES = frozenset({"unqualified", "incompetent", "poor"})
# SPEC §5: the cap on 优秀 (national practice) concerns this grade.
CAPPED_GRADE = "excellent"

# SPEC §5 (党员大会: more than half of the members present): quorum, a strict "more than".
DEFAULT_QUORUM = "1/2"
# SPEC §5 (default, configurable; no national vote threshold exists): 不合格 / 不称职 / 差 votes
# above one third of valid ballots → needs 组织认定.
DEFAULT_FLAG = "1/3"
# SPEC §5 (national practice): 优秀 generally no more than one third of the members graded.
DEFAULT_EXCELLENT_CAP = "1/3"
# A subject counts as proposed 优秀 by the vote when 优秀 votes are more than this share of the
# valid ballots (a simple majority); proposals beyond the cap are flagged, never cut.
DEFAULT_EXCELLENT_MAJORITY = "1/2"


def parse_fraction(text: str) -> Fraction:
    """'1/3', '0.5' or '50%' → an exact Fraction in [0, 1]; ValueError otherwise."""
    text = (text or "").strip().replace("％", "%")
    value = Fraction(text[:-1]) / 100 if text.endswith("%") else Fraction(text)
    if not 0 <= value <= 1:
        raise ValueError(text)
    return value


def grades_of(scale: str) -> list[tuple[str, str]]:
    """(value, label) best first; the labels stay lazy, so what stores them (the ballot, the
    tally's flags) keeps the message and each reader sees their own language."""
    return list(GRADES[scale])
