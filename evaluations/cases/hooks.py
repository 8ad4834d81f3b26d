"""Where the problem ledger meets the response engine, which knows nothing of cases: a resident's
反映问题 answer opens a case (receiver of surveys' `response_stored`), the thanks page gives that
resident the case's own rating link (a follow-up), and the link's page describes the case (a
describer). All three are wired in EvaluationsConfig.ready()."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from evaluations.cases import services as cases
from evaluations.models import Case, Visit
from surveys.subjects import FollowUp, Subject

# The optional question of the default questionnaire (surveys/defaults.py) that carries it.
PROBLEM_REPORT = "problem_report"
TITLE_CHARS = 60


def title_from(report: str) -> str:
    """The first line of what the resident wrote, short enough for the ledger's list."""
    first = next(line.strip() for line in report.splitlines() if line.strip())
    return first if len(first) <= TITLE_CHARS else first[: TITLE_CHARS - 1] + "…"


def case_from_response(sender, *, response, cleaned, **kwargs) -> Case | None:
    report = (cleaned.get(PROBLEM_REPORT) or "").strip()
    if not report or not Visit.objects.filter(rating_link=response.link_id).exists():
        return None
    if Case.objects.filter(response=response).exists():
        return None
    return cases.raise_case(title=title_from(report), description=report, response=response)


def case_follow_up(response) -> FollowUp | None:
    """The resident who raised a problem keeps the link to rate how it was handled."""
    case = Case.objects.select_related("rating_link").filter(response=response).first()
    if case is None or case.rating_link is None:
        return None
    text = _(
        "您反映的问题已登记：“%(title)s”。请收藏或截图保存下面的链接，"
        "可随时查看办理状态；问题办结后，可用它对办理情况进行评价（一次一评）。"
    ) % {"title": case.title}
    return FollowUp(text=text, url=case.rating_link.public_url())


def describe_case_link(link) -> Subject | None:
    case = Case.objects.select_related("unit").filter(rating_link=link).first()
    if case is None:
        return None
    facts = [
        (_("问题"), case.title),
        (_("反映日期"), date_format(case.raised_on, "DATE_FORMAT")),
        (_("所在单位"), case.unit.name),
        (_("办理状态"), case.get_status_display()),
    ]
    if case.status in cases.OPEN and case.deadline:
        facts.append((_("办结期限"), date_format(case.deadline, "DATE_FORMAT")))
    if case.result:
        facts.append((_("办理结果"), case.result))
    return Subject(heading=_("请评价您反映的问题的办理情况"), facts=facts)
