"""`manage.py compliance_report`: one row per cadre, rule and period, as CSV or Excel."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tests.evaluations.quota.helpers import D, cadre, monthly, tree, visit

pytestmark = pytest.mark.django_db
Y = 2025
HEADER = [
    "干部编号",
    "姓名",
    "单位",
    "规则代码",
    "要求",
    "周期",
    "应完成",
    "已完成",
    "差额",
    "状态",
]


@pytest.fixture
def people():
    units = tree()
    deputy = cadre(units["county"], post="副县长", name="张伟", code="C1")
    monthly(deputy, "petition", Y, [m for m in range(1, 13) if m != 7])
    visit(deputy, "research", D(Y, 3, 1), D(Y, 3, 31))
    head = cadre(units["town"], "township", "镇长", name="赵敏", code="C2")
    visit(head, "petition", D(Y, 5, 5))
    cadre(units["city"], "city", "副市长", name="王市", code="C3")
    return units


def run_csv(*args) -> list[list[str]]:
    out = io.StringIO()
    call_command("compliance_report", "--year", str(Y), *args, stdout=out)
    text = out.getvalue()
    assert text.startswith("\ufeff")  # Excel on Chinese Windows
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_csv_to_stdout_one_row_per_cadre_rule_and_period(people):
    header, *rows = run_csv()
    assert header == HEADER
    by_key = {(r[0], r[3], r[5]): r[6:] for r in rows}
    assert by_key[("C1", "petition-county", "2025-07")] == ["1", "0", "1", "未达标"]
    assert by_key[("C1", "petition-county", "2025-08")] == ["1", "1", "0", "达标"]
    assert by_key[("C1", "research-county", "2025")] == ["60", "31", "29", "未达标"]
    assert by_key[("C2", "petition-township", "2025")] == ["", "1", "", "只记录不考核"]
    assert by_key[("C3", "petition-city", "2025Q2")] == ["1", "0", "1", "未达标"]
    assert len([r for r in rows if r[0] == "C1"]) == 12 + 1  # monthly petition + research days


def test_unit_narrows_to_the_subtree(people):
    _, *rows = run_csv("--unit", "350901-1")
    assert {r[0] for r in rows} == {"C2"}
    with pytest.raises(CommandError, match="No org unit"):
        run_csv("--unit", "nowhere")


def test_xlsx_reads_back_with_openpyxl(people, tmp_path):
    target = tmp_path / "compliance.xlsx"
    call_command("compliance_report", "--year", str(Y), "--format", "xlsx", "-o", str(target))
    book = load_workbook(target)
    cadres = list(book["干部"].iter_rows(values_only=True))
    assert list(cadres[0]) == HEADER
    research = next(r for r in cadres if r[0] == "C1" and r[3] == "research-county")
    assert research[6:] == (60, 31, 29, "未达标")
    units = list(book["单位"].iter_rows(values_only=True))
    study = [r for r in units if r[0] == "350901" and r[2] == "study-county-committee"]
    assert len(study) == 12 and study[0][8] == "未达标"  # no 专题研究 meeting recorded
    with pytest.raises(CommandError, match="needs --output"):
        call_command("compliance_report", "--year", str(Y), "--format", "xlsx")


def test_csv_to_a_file(people, tmp_path):
    target = tmp_path / "compliance.csv"
    call_command("compliance_report", "--year", str(Y), "-o", str(target), stderr=io.StringIO())
    rows = list(csv.reader(target.open(encoding="utf-8-sig")))
    assert rows[0] == HEADER and len(rows) > 20


def test_codes_for_scripts(people, tmp_path):
    out = io.StringIO()
    call_command("compliance_report", "--year", str(Y), "--columns", "codes", stdout=out)
    header, *rows = csv.reader(io.StringIO(out.getvalue()))
    assert header[:4] == ["cadre_code", "cadre", "unit", "rule_code"]
    assert header[-1] == "status"
    statuses = {r[-1] for r in rows}
    assert "short" in statuses or "met" in statuses
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in "".join(header))
