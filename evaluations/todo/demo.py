"""Demo data of the to-do page: what 张伟 (zhangwei) still has to do — a visit waiting for its
summary, a case due in two days — and the reminders the daily command would have written."""

import datetime as dt

from django.utils import timezone

from evaluations.cases import services as cases
from evaluations.models import Visit
from evaluations.todo import services
from surveys.models import Questionnaire, RatingLink

CADRE = "C008"  # 张伟, the demo's cadre account
TOKEN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _token(rng) -> str:
    """Tokens from the demo's seeded generator: the same demo in every fresh database."""
    return "".join(rng.choice(TOKEN_ALPHABET) for _ in range(16))


def seed_todo(*, rng, units, cadres, visits) -> None:
    today = timezone.localdate()
    me = cadres[CADRE]
    target = next(u for u in units.values() if u.level == "village")
    day = today - dt.timedelta(days=2)
    link = RatingLink.objects.create(
        title=f"{me.name} {target.name}",
        questionnaire=Questionnaire.objects.get(code="default"),
        token=_token(rng),
        valid_from=timezone.now() - dt.timedelta(days=2),
        valid_until=timezone.now() + dt.timedelta(days=30),
    )
    visit = Visit.objects.create(
        kind=Visit.Kind.ONSITE_OFFICE,
        lead=me,
        target_unit=target,
        place=f"{target.name}村委会",
        start_date=day,
        end_date=day,
        hours=4,
        purpose="现场协调村道硬化工程进度",
        rating_link=link,
    )
    case = cases.raise_case(
        title="村道硬化工程停工",
        description="施工方称材料款未到位，已停工一周。",
        visit=visit,
        cadre=me,
        raised_on=day,
    )
    cases.accept(case=case)
    cases.assign(case=case, responsible=me, deadline=today + dt.timedelta(days=2))
    case.refresh_from_db()
    if case.rating_link_id:
        RatingLink.objects.filter(pk=case.rating_link_id).update(token=_token(rng))
    services.remind(today=today)
