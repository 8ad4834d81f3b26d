"""Every report page runs as many queries with 32 cadres and ~1,000 ratings as with 4 cadres
and a few dozen (issue 16 §3): the ratings are counted by the database, never per cadre."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analytics.assessment import runs as assessment
from evaluations.cycles.services import create_cycle
from tests.analytics.conftest import add_responses
from tests.factories import CadreFactory, RatingLinkFactory, VisitFactory, staff_user

pytestmark = pytest.mark.django_db

_names = itertools.count()
KINDS = ("research", "petition", "onsite")
SCORES = [(5, 4, 4), (3, 3, 2), (4, 5, 5), (2, 3, 3), (5, 5, 5)]


def _grow(county, *, cadres: int, per_visit: int):
    """`cadres` more cadres in the town and the county, each with a visit of every kind rated
    in three months, one with a contact card."""
    made = []
    for i in range(cadres):
        unit = county["town"] if i % 2 else county["county"]
        cadre = CadreFactory(unit=unit, level="township" if i % 2 else "county")
        cadre.name = f"干部{next(_names)}"
        if i % 3 == 0:
            cadre.contact_link = RatingLinkFactory()
        cadre.save()
        for month, kind in zip((3, 6, 9), KINDS, strict=True):
            visit = VisitFactory(lead=cadre, target_unit=unit, kind=kind)
            when = timezone.make_aware(dt.datetime(2026, month, 10, 10))
            add_responses(visit, (SCORES * per_visit)[:per_visit], when=when, comment="好")
        made.append(cadre)
    return made


PAGES = {
    "dashboard": "/staff/reports/?year=2026",
    "dashboard of a unit": "/staff/reports/?year=2026&unit={town_code}",
    "scores.csv": "/staff/reports/scores.csv?year=2026",
    "scores.xlsx": "/staff/reports/scores.xlsx?year=2026",
    "scores.pdf": "/staff/reports/scores.pdf?year=2026",
    "cadre report": "/staff/reports/cadres/{cadre}/?year=2026",
    # The 评价渠道 filter (issue 19 §5) is one condition of the same queries.
    "dashboard by channel": "/staff/reports/?year=2026&channel=web&channel=assisted",
    "scores.csv by channel": "/staff/reports/scores.csv?year=2026&channel=paper",
    "cadre report by channel": "/staff/reports/cadres/{cadre}/?year=2026&channel=web",
    "summary": "/staff/reports/summary/?year=2026",
    "summary.xlsx": "/staff/reports/summary/?year=2026&format=xlsx",
    "summary of a quarter": "/staff/reports/summary/?year=2026&period=Q3",
    "assessment cycles": "/staff/reports/assessment/",
    "assessment cycle": "/staff/reports/assessment/{cycle}/",
    "assessment sheet": "/staff/reports/assessment/{cycle}/cadres/{cadre}/",
    "assessment table.xlsx": "/staff/reports/assessment/{cycle}/table.xlsx",
    "assessment table.pdf": "/staff/reports/assessment/{cycle}/table.pdf",
    "assessment run": "/staff/reports/runs/{run}/",
}


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


@pytest.fixture
def scene(county):
    home = county["350901"]
    first = _grow(home, cadres=4, per_visit=2)  # every level with a peer
    cycle = create_cycle(unit=home["county"], year=2026)
    return home, first[0], cycle


def _url(page, home, cadre, cycle) -> str:
    run = assessment.run_all(assessment.start(cycle))
    return PAGES[page].format(
        town_code=home["town"].code, cadre=cadre.pk, cycle=cycle.pk, run=run.pk
    )


@pytest.mark.parametrize("page", PAGES)
def test_report_page_queries_do_not_grow_with_cadres_or_ratings(client, scene, page):
    home, cadre, cycle = scene
    client.force_login(staff_user("officer", home["county"], "personnel"))
    url = _url(page, home, cadre, cycle)
    _count(client, url)  # warm: session, content types
    small = _count(client, url)
    _grow(home, cadres=28, per_visit=10)
    add_responses(VisitFactory(lead=cadre, target_unit=cadre.unit), SCORES * 6)
    url = _url(page, home, cadre, cycle)
    assert _count(client, url) <= small, page


def test_own_report_queries_do_not_grow_with_ratings(client, scene):
    home, cadre, _ = scene
    client.force_login(staff_user("cadre", home["town"], "cadre", cadre=cadre))
    _count(client, "/staff/reports/me/?year=2026")
    small = _count(client, "/staff/reports/me/?year=2026")
    _grow(home, cadres=10, per_visit=10)
    add_responses(VisitFactory(lead=cadre, target_unit=cadre.unit), SCORES * 12)
    assert _count(client, "/staff/reports/me/?year=2026") <= small
