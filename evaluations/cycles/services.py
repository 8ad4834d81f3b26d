"""Setting up an annual assessment cycle with the default 优秀 caps as data rows."""

from django.db import transaction
from django.utils.translation import gettext_noop as _
from simple_history.utils import bulk_create_with_history

from evaluations.models import AssessmentCycle, CapRule

# The sources are marked for translation: stored in Chinese, read in the reader's language while
# nobody has edited them (issue 18 §8, `CAP_SOURCES`).
DEFAULT_CAPS = [
    # 《党政领导干部考核工作条例》(2019) 第三十三条: 领导干部优秀等次一般不超过 25%; 班子优秀的
    # 可到 30%; 班子一般且主要负责人非优秀的不超过 20%; 班子较差的不超过 15%.
    ("leading", "", False, "0.25", _("党政领导干部考核工作条例(2019)")),
    ("leading", "excellent", False, "0.30", _("党政领导干部考核工作条例(2019)：班子优秀")),
    (
        "leading",
        "fair",
        True,
        "0.20",
        _("党政领导干部考核工作条例(2019)：班子一般且主要负责人非优秀"),
    ),
    ("leading", "poor", False, "0.15", _("党政领导干部考核工作条例(2019)：班子较差")),
    # 《公务员考核规定》(2020): 优秀等次一般掌握在参加年度考核人数的 20% 以内.
    ("other", "", False, "0.20", _("公务员考核规定(2020)")),
]
CAP_SOURCES = frozenset(row[-1] for row in DEFAULT_CAPS)


@transaction.atomic
def create_cycle(*, unit, year: int) -> AssessmentCycle:
    cycle, created = AssessmentCycle.objects.get_or_create(unit=unit, year=year)
    if created:
        # With history rows, so the first change of a default cap shows what it was (SPEC §8).
        bulk_create_with_history(
            [
                CapRule(
                    cycle=cycle,
                    category=cat,
                    team_grade=team,
                    principal_not_excellent=principal,
                    fraction=fraction,
                    source=source,
                )
                for cat, team, principal, fraction, source in DEFAULT_CAPS
            ],
            CapRule,
        )
    return cycle


class DecisionError(Exception):
    pass


@transaction.atomic
def decide(
    *,
    cycle: AssessmentCycle,
    cadre,
    grade: str,
    reason: str,
    suggested_grade: str,
    suggested_score,
    user,
):
    """组织评定: confirm the suggestion, or override it with a recorded reason."""
    from django.utils.translation import gettext as _

    from evaluations.models import AssessmentDecision, Grade

    if cycle.status == AssessmentCycle.Status.CLOSED:
        raise DecisionError(_("本年度考核已结束，不能再修改等次。"))
    if grade not in Grade.values:
        raise DecisionError(_("等次无效。"))
    reason = (reason or "").strip()
    if grade != suggested_grade and not reason:
        raise DecisionError(_("改变建议等次时必须写明理由。"))
    decision, _created = AssessmentDecision.objects.update_or_create(
        cycle=cycle,
        cadre=cadre,
        defaults={
            "grade": grade,
            "reason": reason,
            "suggested_grade": suggested_grade,
            "suggested_score": suggested_score,
            "decided_by": user,
        },
    )
    return decision


@transaction.atomic
def confirm_suggestions(*, cycle: AssessmentCycle, results, user) -> int:
    """按建议评定 for several cadres at once: each gets its suggested grade, all or none.
    `results` are (cadre, suggested grade, suggested score) triples."""
    count = 0
    for cadre, grade, score in results:
        decide(
            cycle=cycle,
            cadre=cadre,
            grade=grade,
            reason="",
            suggested_grade=grade,
            suggested_score=score,
            user=user,
        )
        count += 1
    return count
