"""The staff list of visits (issue 18 point 1): search, filters, sorting, pages of 50 and the
filtered list as Excel, all inside the viewer's jurisdiction and in a bounded number of queries."""

import io
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from evaluations import demo
from evaluations.models import Cadre, Visit
from surveys.listing import PAGE_SIZE
from tests.factories import staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, questionnaire):
    demo.seed()
    county = Cadre.objects.get(code="C001").unit
    client.force_login(staff_user("officer", county, "personnel"))
    return client


def rows_of(page) -> int:
    return page.content.decode().count("<tr><td>")


def test_the_list_is_paged_searched_filtered_and_sorted(officer, django_assert_max_num_queries):
    total = Visit.objects.count()
    assert total > PAGE_SIZE  # the demo's 382 rows were once one page
    with django_assert_max_num_queries(12):
        first = officer.get("/staff/visits/")
    assert rows_of(first) == PAGE_SIZE and f"共 {total} 条" in first.content.decode()
    assert "page=2" in first.content.decode()
    lead = Visit.objects.filter(lead__name="张伟").count()
    found = officer.get("/staff/visits/?q=张伟").content.decode()
    assert f"共 {lead} 条" in found
    research = Visit.objects.filter(kind="research").count()
    assert f"共 {research} 条" in officer.get("/staff/visits/?kind=research").content.decode()
    oldest = Visit.objects.order_by("start_date", "pk").first()
    page = officer.get("/staff/visits/?sort=date").content.decode()
    assert page.index(oldest.date_label()) < page.index("</tbody>")
    assert officer.get("/staff/visits/?kind=nonsense&sort=nonsense").status_code == 200


def test_the_filtered_list_exports_to_excel_with_chinese_headers(officer):
    response = officer.get("/staff/visits/?kind=research&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "下基层活动" in unquote(response["Content-Disposition"])
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("开始日期", "结束日期", "类型", "带队干部")
    assert len(rows) - 2 == Visit.objects.filter(kind="research").count()  # all, not one page
    assert {row[2] for row in rows[2:]} == {"调查研究"}
