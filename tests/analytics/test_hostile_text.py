"""Names typed into the roster reach exports as text and charts as text (issue 14 §6, §7).

Scenario: a roster row names a cadre `=HYPERLINK(...)$\\frac{$` in a unit `+1+cmd|'/C calc'!A0`.
Every CSV keeps the text behind an apostrophe, every XLSX stores a string, and the dashboard,
scores.pdf and the assessment PDF render instead of a 500."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from analytics.assessment import runs as assessment
from evaluations.cycles.services import create_cycle
from tests.analytics.conftest import add_responses
from tests.factories import CadreFactory, OrgUnitFactory, VisitFactory, staff_user

pytestmark = pytest.mark.django_db
NAME = '=HYPERLINK("http://e.x","点")$\\frac{$'
UNIT = "+1+cmd|'/C calc'!A0 $\\frac{$"


@pytest.fixture
def hostile(county, client):
    county_unit = county["350901"]["county"]
    town = OrgUnitFactory(code="350901-9", name=UNIT, level="township", parent=county_unit)
    cadre = CadreFactory(unit=town, name=NAME, post="$\\frac{$")
    add_responses(VisitFactory(lead=cadre, target_unit=town), [(4, 4, 5)] * 12)
    client.force_login(staff_user("officer", county_unit, "personnel"))
    return county_unit, cadre


def xlsx_cells(content: bytes):
    book = load_workbook(io.BytesIO(content))
    return [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]


def assert_xlsx_safe(content: bytes, *texts):
    cells = xlsx_cells(content)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    for text in texts:
        assert text in values


def test_scores_csv_and_xlsx_carry_no_formula(client, hostile):
    got = client.get(reverse("reports:export", args=["csv"]), {"year": 2026, "columns": "codes"})
    rows = list(csv.DictReader(io.StringIO(got.content.decode())))
    assert [(r["cadre"], r["unit"]) for r in rows] == [("'" + NAME, "'" + UNIT)]
    xlsx = client.get(reverse("reports:export", args=["xlsx"]), {"year": 2026})
    assert_xlsx_safe(xlsx.content, NAME, UNIT)


def test_summary_xlsx_carries_no_formula(client, hostile):
    county_unit, _ = hostile
    got = client.get(
        reverse("reports:summary"), {"year": 2026, "unit": county_unit.code, "format": "xlsx"}
    )
    assert got.status_code == 200
    assert_xlsx_safe(got.content)


def test_dashboard_and_scores_pdf_render_tex_as_text(client, hostile):
    page = client.get(reverse("reports:dashboard"), {"year": 2026})
    assert page.status_code == 200 and page.content.decode().count("data:image/png") >= 2
    pdf = client.get(reverse("reports:export", args=["pdf"]), {"year": 2026})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_assessment_table_exports(client, hostile):
    county_unit, _ = hostile
    cycle = create_cycle(unit=county_unit, year=2026)
    assessment.run_all(assessment.start(cycle))
    xlsx = client.get(reverse("reports:cycle_export", args=[cycle.pk, "xlsx"]))
    assert_xlsx_safe(xlsx.content, NAME)
    pdf = client.get(reverse("reports:cycle_export", args=[cycle.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
