"""The tally of a democratic appraisal: a pure function from ballots and rules to figures.

It counts, weighs and flags; it never decides a grade. 《党政领导干部考核工作条例》(2019):
不简单以票取人 — people decide, with the tally beside them (SPEC §5).
"""

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext_lazy

from evaluations.appraisal.scales import CAPPED_GRADE, NEGATIVE_GRADES
from surveys.notes import note

NEEDS_REVIEW = gettext_lazy(
    "%(label)s票 %(n)d 张，占有效票 %(valid)d 张的 %(pct)s，超过 %(rule)s：需组织认定"
)
OVER_CAP = gettext_lazy("票决建议优秀 %(n)d 人，超过上限 %(limit)d 人（参加评定人数的 %(rule)s）")
BELOW_QUORUM = gettext_lazy("未达到法定人数：结果可以查看，但应注明未达到法定人数。")
# Flags and notes are stored as messages with their parameters (surveys.notes) and
# put into words in the reader's language when a page or file shows them.


@dataclass(frozen=True)
class Rules:
    quorum: Fraction  # strictly more than this share of the electorate must vote
    flag: Fraction  # negative votes above this share of valid ballots → needs 组织认定
    excellent_cap: Fraction | None  # of the graded subjects; None: no cap
    excellent_majority: Fraction  # 优秀 votes above this share → proposed 优秀
    points: dict  # grade value → points (0…1)


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _counted(ballots, groups: dict, key: str, allowed: set) -> dict[str, Counter]:
    """Per group: Counter of the valid grades given to one subject."""
    per_group = {code: Counter() for code in groups}
    for ballot in ballots:
        value = ballot["answers"].get(key)
        if ballot["group"] in per_group and value in allowed:
            per_group[ballot["group"]][value] += 1
    return per_group


def _block(counter: Counter, grades: list[str], points: dict) -> dict:
    valid = sum(counter.values())
    mean = sum(points.get(g, 0) * n for g, n in counter.items()) / valid if valid else None
    return {
        "valid": valid,
        "counts": {g: counter[g] for g in grades},
        "shares": {g: _share(counter[g], valid) for g in grades},
        "mean_points": None if mean is None else round(mean, 4),
    }


def _weighted_score(by_group: dict, groups: dict) -> float | None:
    """Group-weighted mean of the groups' mean points; groups without a valid vote drop out."""
    pairs = [
        (groups[code]["weight"], block["mean_points"])
        for code, block in by_group.items()
        if block["valid"] and groups[code]["weight"] > 0
    ]
    total = sum(w for w, _ in pairs)
    return round(sum(w * m for w, m in pairs) / total, 4) if total else None


def _subject(subject: dict, ballots, groups: dict, rules: Rules) -> dict:
    grades = [value for value, _label in subject["grades"]]
    per_group = _counted(ballots, groups, subject["key"], set(grades))
    by_group = {code: _block(c, grades, rules.points) for code, c in per_group.items()}
    pooled = _block(sum(per_group.values(), Counter()), grades, rules.points)
    negative = sum(pooled["counts"][g] for g in grades if g in NEGATIVE_GRADES)
    flags = []
    if pooled["valid"] and Fraction(negative, pooled["valid"]) > rules.flag:
        labels = [lb for v, lb in subject["grades"] if v in NEGATIVE_GRADES]
        flags.append(
            {
                "code": "needs_review",
                "reason": note(
                    NEEDS_REVIEW,
                    label=labels,
                    n=negative,
                    valid=pooled["valid"],
                    pct=f"{negative / pooled['valid']:.1%}",
                    rule=str(rules.flag),
                ),
            }
        )
    excellent = pooled["counts"].get(CAPPED_GRADE, 0)
    proposed = CAPPED_GRADE in grades and bool(
        pooled["valid"] and Fraction(excellent, pooled["valid"]) > rules.excellent_majority
    )
    return {
        "key": subject["key"],
        "name": subject["name"],
        "grades": grades,
        **{k: pooled[k] for k in ("valid", "counts", "shares")},
        "by_group": by_group,
        "score": _weighted_score(by_group, groups),
        "proposed_excellent": proposed,
        "flags": flags,
    }


def _groups(groups: list[dict], ballots, rules: Rules) -> list[dict]:
    cast = Counter(b["group"] for b in ballots)
    return [
        {
            **g,
            "ballots": cast[g["code"]],
            "turnout": _share(cast[g["code"]], g["voters"]),
            "quorum_met": cast[g["code"]] > rules.quorum * g["voters"],
        }
        for g in groups
    ]


def _cap(subjects: list[dict], rules: Rules) -> dict:
    proposed = [s for s in subjects if s["proposed_excellent"]]
    capped = [s for s in subjects if CAPPED_GRADE in s["grades"]]
    if rules.excellent_cap is None or not capped:
        return {"limit": None, "proposed": len(proposed), "over_cap": False}
    limit = int(rules.excellent_cap * len(capped))  # floor: "no more than"
    over = len(proposed) > limit
    if over:
        reason = note(OVER_CAP, n=len(proposed), limit=limit, rule=str(rules.excellent_cap))
        for s in proposed:
            s["flags"].append({"code": "over_cap", "reason": reason})
    return {"limit": limit, "proposed": len(proposed), "over_cap": over}


def tally(*, ballots: list[dict], subjects: list[dict], groups: list[dict], rules: Rules) -> dict:
    """ballots: [{"group", "answers"}]; subjects (graded ones, ballot order): [{"key", "name",
    "grades": [(value, label)]}]; groups: [{"code", "name", "voters", "weight"}]."""
    ballots = [b for b in ballots if isinstance(b.get("answers"), dict)]
    by_code = {g["code"]: g for g in groups}
    rows = [_subject(s, ballots, by_code, rules) for s in subjects]
    group_rows = _groups(groups, ballots, rules)
    counted = sum(g["ballots"] for g in group_rows)
    electorate = sum(g["voters"] for g in groups)
    quorum = counted > rules.quorum * electorate
    return {
        "electorate": electorate,
        "ballots": counted,
        "turnout": _share(counted, electorate),
        "quorum_met": quorum,
        "quorum_rule": str(rules.quorum),
        "flag_rule": str(rules.flag),
        "groups": group_rows,
        "subjects": rows,
        "excellent": _cap(rows, rules),
        "notes": [] if quorum else [note(BELOW_QUORUM)],
    }
