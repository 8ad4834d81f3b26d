"""定期报送 as a page, a workbook and a printable PDF, for any month, quarter or year."""

import io
import subprocess
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from tests.conftest import ensure_tool
from tests.factories import CadreFactory, VisitFactory, staff_user
from tests.sheets import assert_fitted

pytestmark = pytest.mark.django_db
URL = "/staff/reports/summary/"


@pytest.fixture
def officer(client, march):
    client.force_login(march["officer"])
    return client


def get(client, **query):
    return client.get(URL, {"unit": "350901", "year": 2026, **query})


def test_the_menu_offers_months_quarters_and_the_year(officer):
    page = get(officer).content.decode()
    for label in ("全年", "第1季度", "第4季度", "1月", "12月"):
        assert f">{label}</option>" in page


def test_the_page_shows_every_part(officer):
    page = get(officer, period="3").content.decode()
    assert "清溪县 2026 年3月干部下基层情况定期报送" in page
    for part in ("下基层人员", "活动类型", "指标达标", "问题办理", "群众满意度"):
        assert f">{part}</h2>" in page
    assert "林县长" in page and "陈镇长" in page
    assert "样本不足" in page
    assert "接访日：群众反映村道路灯不亮" in page
    assert "调研茶产业" not in page  # not picked by the unit


def test_a_bad_period_is_a_form_error_not_a_404(officer):
    page = get(officer, period="13")
    assert page.status_code == 400
    assert "报送期" in page.content.decode() and "alert-danger" in page.content.decode()


def test_query_count_does_not_grow_with_visits(officer, march, django_assert_max_num_queries):
    get(officer, period="Q1")
    for _ in range(5):
        extra = CadreFactory(unit=march["a"]["town"])
        VisitFactory(lead=extra, status="done", summary="走访", target_unit=march["a"]["town"])
    with django_assert_max_num_queries(40):
        assert get(officer, period="year").status_code == 200


def test_workbook_has_a_sheet_per_part_and_a_named_file(officer):
    got = get(officer, period="Q1", format="xlsx")
    name = unquote(got["Content-Disposition"])
    assert "定期报送-清溪县-2026-第1季度.xlsx" in name
    book = load_workbook(io.BytesIO(got.content))
    parts = ["下基层人员", "活动类型", "指标达标", "问题办理", "群众满意度", "民情日记"]
    assert book.sheetnames == parts
    for sheet in book:
        assert_fitted(sheet, header_row=2)
    people = book["下基层人员"]
    header = ["干部编号", "干部", "单位", "职务", "下基层次数", "天数"]
    assert [c.value for c in people[2]] == header
    assert people["B3"].value == "林县长" and people["F3"].value == 3
    satisfaction = [row for row in book["群众满意度"].iter_rows(min_row=3, values_only=True)]
    small = next(row for row in satisfaction if row[3] == 3)
    assert small[7] is None and small[-1] == "样本不足"
    assert "接访日" in book["民情日记"]["E3"].value


def test_workbook_codes_for_scripts(officer):
    book = load_workbook(io.BytesIO(get(officer, format="xlsx", columns="codes").content))
    assert [c.value for c in book["问题办理"][2]][:3] == ["received", "accepted", "solved_on_spot"]


def test_pdf_is_named_and_prints_the_diary(officer, tmp_path):
    got = get(officer, period="3", format="pdf")
    assert got["Content-Type"] == "application/pdf"
    assert "定期报送-清溪县-2026-3月.pdf" in unquote(got["Content-Disposition"])
    ensure_tool("pdftotext", "poppler-utils")
    path = tmp_path / "report.pdf"
    path.write_bytes(got.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "下基层人员" in text and "林县长" in text and "村道路灯不亮" in text


def test_another_county_cannot_read_it(client, march):
    client.force_login(staff_user("b-officer", march["a"]["county"].parent, "discipline"))
    assert get(client).status_code == 200  # the city above reads its county
    client.force_login(staff_user("far", CadreFactory().unit, "personnel"))
    page = get(client)
    assert page.status_code == 400 and "林县长" not in page.content.decode()


def test_the_pdf_satisfaction_headers_are_whole_words(officer, tmp_path):
    """The second attack: twelve columns wrapped 有效评价 and 样本 one or two characters a
    line. On A4 the channel counts share one column, and every header is read whole."""
    from tests.pdf_layout import lines

    text = lines(get(officer, period="3", format="pdf").content, tmp_path)
    header = next(line for line in text if "扫码/纸质/协助" in line)
    assert all(word in header for word in ("单位", "干部数", "有效评价", "得分", "样本"))
