"""One county's March 2026: two cadres went down (one research trip across the month's end, one
reception day), three problems were raised, three residents rated, one 民情日记 was picked."""

import datetime as dt

from django.utils import timezone

from evaluations.cases import services as cases
from evaluations.visits import services as visits
from tests.analytics.conftest import add_responses
from tests.factories import CadreFactory, VisitFactory, staff_user

MARCH = timezone.make_aware(dt.datetime(2026, 3, 12, 10))


def done(**kwargs):
    return VisitFactory(status="done", summary=kwargs.pop("summary", "走访了解情况。"), **kwargs)


def march_in(counties) -> dict:
    a, b = counties["350901"], counties["350902"]
    lead = CadreFactory(unit=a["county"], name="林县长", post="县长")
    companion = CadreFactory(unit=a["town"], name="陈镇长", post="镇长", level="township")
    research = done(
        lead=lead,
        kind="research",
        target_unit=a["village"],
        start_date=dt.date(2026, 3, 30),
        end_date=dt.date(2026, 4, 2),
        summary="调研茶产业：茶农反映收购价低。",
    )
    research.companions.add(companion)
    reception = done(
        lead=lead,
        kind="petition",
        target_unit=a["town"],
        start_date=dt.date(2026, 3, 10),
        end_date=dt.date(2026, 3, 10),
        people_received=20,
        summary="接访日：群众反映村道路灯不亮，当场协调解决。",
    )
    VisitFactory(lead=lead, start_date=dt.date(2026, 3, 20), end_date=dt.date(2026, 3, 20))
    done(lead=CadreFactory(unit=b["county"]), start_date=dt.date(2026, 3, 5))
    spot, timely, waiting = (
        cases.raise_case(title=t, visit=reception, cadre=lead, raised_on=dt.date(2026, 3, 10))
        for t in ("路灯不亮", "水渠堵塞", "低保复核")
    )
    cases.solve_on_spot(case=spot, result="当场协调电工修好")
    cases.accept(case=timely)
    cases.close(case=timely, result="已疏通", on=dt.date(2026, 3, 20))
    cases.raise_case(title="四月的问题", visit=research, cadre=lead, raised_on=dt.date(2026, 4, 1))
    add_responses(reception, [(5, 5, 4)] * 3, overall="satisfied", when=MARCH)
    officer = staff_user("zuzhibu", a["county"], "personnel")
    visits.pick_for_report(visit=reception, actor=officer, picked=True)
    return {
        "a": a,
        "lead": lead,
        "companion": companion,
        "research": research,
        "reception": reception,
        "officer": officer,
        "waiting": waiting,
    }
