"""The compliance exports carry roster names as text, never formulas (issue 14 §6)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.evaluations.quota.helpers import cadre, monthly
from tests.factories import staff_user

pytestmark = pytest.mark.django_db
NAME = '=HYPERLINK("http://evil.example","点我")'


def test_compliance_csv_and_xlsx(client, world):
    _, _, counties = world
    here = counties["350901"]["county"]
    monthly(cadre(here, post="+1+cmd|'/C calc'!A0", name=NAME), "petition", 2025, [1, 2])
    client.force_login(staff_user("officer", here, "personnel"))
    got = client.get("/staff/compliance/download.csv", {"year": 2025})
    cells = [c for row in csv.reader(io.StringIO(got.content.decode())) for c in row]
    assert "'" + NAME in cells and NAME not in cells
    xlsx = client.get("/staff/compliance/download.xlsx", {"year": 2025})
    book = load_workbook(io.BytesIO(xlsx.content))
    found = [c for s in book.worksheets for row in s.iter_rows() for c in row if c.value == NAME]
    assert found and all(c.data_type == "s" for c in found)
