"""定期报送: one row per child unit for the level above, for a year, a quarter or a month."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.analytics.conftest import add_responses, cadre_with_visit
from tests.factories import staff_user

pytestmark = pytest.mark.django_db


def at(month):
    return timezone.make_aware(dt.datetime(2026, month, 10, 9))


@pytest.fixture
def city_view(county):
    for code in ("350901", "350902"):
        _, visit = cadre_with_visit(county[code]["town"])
        add_responses(visit, [(5, 5, 5)] * 4, overall="satisfied", when=at(2))
        add_responses(visit, [(1, 1, 1)] * 2, overall="dissatisfied", when=at(8))
    return county


def test_city_summary_has_one_row_per_county(client, city_view):
    city = city_view["350901"]["county"].parent
    client.force_login(staff_user("city", city, "personnel"))
    page = client.get(f"/staff/reports/summary/?unit={city.code}&year=2026")
    rows = page.context["report"].satisfaction
    assert [r["code"] for r in rows] == ["350901", "350902"]
    assert [r["n"] for r in rows] == [6, 6]
    assert rows[0]["satisfaction"] == pytest.approx(4 / 6)


def test_quarter_keeps_only_its_months(client, city_view):
    city = city_view["350901"]["county"].parent
    client.force_login(staff_user("city", city, "personnel"))
    rows = (
        client.get(f"/staff/reports/summary/?unit={city.code}&year=2026&period=Q1")
        .context["report"]
        .satisfaction
    )
    assert [r["n"] for r in rows] == [4, 4] and rows[0]["satisfaction"] == 1.0
    rows = (
        client.get(f"/staff/reports/summary/?unit={city.code}&year=2026&period=8")
        .context["report"]
        .satisfaction
    )
    # Two ratings a county in August: under the smallest cell, withheld like every report.
    assert [r["n"] for r in rows] == [2, 2] and rows[0]["satisfaction"] is None


def test_summary_xlsx_and_scope(client, city_view):
    county = city_view["350901"]["county"]
    client.force_login(staff_user("officer", county, "personnel"))
    book = load_workbook(
        io.BytesIO(
            client.get(f"/staff/reports/summary/?unit={county.code}&year=2026&format=xlsx").content
        )
    )
    assert book["群众满意度"]["A3"].value == city_view["350901"]["town"].name
    # Another county's unit or a period that is none: the form says so (400), nothing leaks.
    other = client.get("/staff/reports/summary/?unit=350902&year=2026")
    assert other.status_code == 400 and "远山县" not in other.content.decode()
    bad = client.get(f"/staff/reports/summary/?unit={county.code}&period=13")
    assert bad.status_code == 400 and "报送期" in bad.content.decode()


def test_a_unit_row_withholds_what_its_one_cadres_report_withholds(client, county):
    """The second attack: a unit with one rated cadre (3 ratings, 2 of them answering 总体评价)
    showed 满意率 33 % that every report about that cadre withholds."""
    _, visit = cadre_with_visit(county["350901"]["town"])
    add_responses(visit, [(5, 5, 5)], overall="satisfied", when=at(3))
    add_responses(visit, [(1, 1, 1)], overall="dissatisfied", when=at(3))
    add_responses(visit, [(3, 3, 3)], overall="", when=at(3))
    client.force_login(staff_user("officer", county["350901"]["county"], "personnel"))
    page = client.get("/staff/reports/summary/?unit=350901&year=2026")
    [row] = [r for r in page.context["report"].satisfaction if r["n"]]
    assert row["n"] == 3 and row["satisfaction"] is None and row["small"]
    assert row["rated_cadres"] == 1 and row["n_web"] == 3
