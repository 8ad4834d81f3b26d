"""A county's personnel officer prepares March's 定期报送 in a real Chromium: picks a 民情日记,
chooses the month from the menu, reads every part, downloads the workbook and the PDF."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.analytics.periodic.helpers import march_in
from tests.browser.test_staff_journeys import pdf_text
from tests.factories import default_questionnaire

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_prepares_the_march_report(desktop, world, tmp_path):
    default_questionnaire()
    march = march_in(world[2])
    march["reception"].picked_at = march["reception"].picked_by = None
    march["reception"].save(update_fields=["picked_at", "picked_by"])
    page = desktop(march["officer"])
    page.get_by_role("link", name="定期报送").first.click()
    page.get_by_label("报送期").select_option(label="3月")
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "清溪县 2026 年3月干部下基层情况定期报送"
    )
    expect(page.locator("#periodic-people")).to_contain_text("林县长")
    expect(page.locator("#periodic-satisfaction")).to_contain_text("样本不足")
    expect(page.get_by_text("本期未选送民情日记。")).to_be_visible()

    page.get_by_role("link", name="选择报送的民情日记").click()
    row = page.locator(f"#diary-{march['reception'].pk}")
    row.get_by_role("button", name="选入报送").click()
    expect(page.locator(".alert-success")).to_contain_text("报送材料已更新。")
    expect(page.locator(f"#diary-{march['reception'].pk}")).to_contain_text("已选入")
    page.get_by_role("link", name="返回清溪县 2026 年3月定期报送").click()
    expect(page.locator("article")).to_contain_text("接访日：群众反映村道路灯不亮")

    with page.expect_download() as xlsx:
        page.get_by_role("link", name="下载 Excel").click()
    assert xlsx.value.suggested_filename == "定期报送-清溪县-2026-3月.xlsx"
    book = load_workbook(io.BytesIO(Path(xlsx.value.path()).read_bytes()))
    assert book["民情日记"]["B3"].value == "林县长"
    with page.expect_download() as pdf:
        page.get_by_role("link", name="下载 PDF（打印）").click()
    assert pdf.value.suggested_filename == "定期报送-清溪县-2026-3月.pdf"
    assert "村道路灯不亮" in pdf_text(Path(pdf.value.path()).read_bytes(), tmp_path)
