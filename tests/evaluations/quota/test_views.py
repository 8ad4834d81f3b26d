"""The unit compliance page (personnel staff, own jurisdiction) and a cadre's own quota page."""

import csv
import io
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from tests.evaluations.quota.helpers import D, cadre, monthly, visit
from tests.factories import staff_user
from tests.sheets import assert_fitted

pytestmark = pytest.mark.django_db
Y = 2025
# Session, user, profile, unit, nav, roles (once per visible_to), the form's units, then the
# engine's fixed reads (cadres, units, tenures, rule sets ×3, visits ×2, meetings): never per cadre.
MAX_QUERIES = 18


@pytest.fixture
def county(world):
    _, _, counties = world
    here = counties["350901"]
    deputy = cadre(here["county"], post="副县长", name="张伟")
    monthly(deputy, "petition", Y, [m for m in range(1, 13) if m != 3])
    visit(deputy, "research", D(Y, 5, 1), D(Y, 5, 10))
    there = cadre(counties["350902"]["county"], post="副县长", name="远山干部")
    return {"here": here, "deputy": deputy, "there": there, "counties": counties}


def login(client, county, code="350901", *roles, cadre=None, name="zuzhibu"):
    unit = county["counties"][code]["county"]
    client.force_login(staff_user(name, unit, *(roles or ("personnel",)), cadre=cadre))
    return client


def test_personnel_see_their_county_with_shortfalls(client, county):
    page = login(client, county).get(f"/staff/compliance/?year={Y}").content.decode()
    assert "张伟" in page and "远山干部" not in page
    assert "县(市、区)党政领导干部每月至少安排一次接访群众" in page
    assert "11/12 期达标" in page and "2025-03" in page  # the missed month, highlighted
    assert "10/60" in page  # research days done / required
    assert "清溪县" in page and "每周轮值接访" in page


def test_another_county_sees_nothing_of_this_one(client, county):
    login(client, county, "350902", name="yuanshan")
    page = client.get(f"/staff/compliance/?year={Y}").content.decode()
    assert "张伟" not in page and "远山干部" in page
    other = client.get(f"/staff/compliance/?year={Y}&unit=350901").content.decode()
    assert "张伟" not in other and "远山干部" in other  # not a choice: the own county instead
    download = client.get(f"/staff/compliance/download.csv?year={Y}").content.decode()
    assert "张伟" not in download and "远山干部" in download


def test_a_cadre_only_account_sees_only_itself(client, county):
    colleague = cadre(county["here"]["county"], post="副县长", name="李娜")
    login(client, county, "350901", "cadre", cadre=colleague, name="lina")
    page = client.get(f"/staff/compliance/?year={Y}").content.decode()
    assert "李娜" in page and "张伟" not in page


@pytest.mark.parametrize("extra", [5, 30])
def test_query_count_does_not_grow_with_cadres(
    client, county, extra, django_assert_max_num_queries
):
    for i in range(extra):
        someone = cadre(county["here"]["town"], "township", "副镇长", name=f"干部{i}")
        visit(someone, "petition", D(Y, 4, 1 + i % 28), companions=[county["deputy"]])
    login(client, county)
    with django_assert_max_num_queries(MAX_QUERIES):
        page = client.get(f"/staff/compliance/?year={Y}")
    assert page.status_code == 200 and f"干部{extra - 1}" in page.content.decode()


def test_downloads_csv_and_excel_for_the_scope(client, county):
    login(client, county)
    response = client.get(f"/staff/compliance/download.csv?year={Y}&unit=350901")
    disposition = unquote(response["Content-Disposition"])
    assert disposition.endswith("指标达标-" + county["here"]["county"].name + "-2025.csv")
    assert response.content.startswith("\ufeff".encode())  # Excel on Chinese Windows
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["干部编号", "姓名", "单位"]
    march = next(r for r in rows if r[1] == "张伟" and r[5] == "2025-03")
    assert march[6:] == ["1", "0", "1", "未达标"]
    response = client.get(f"/staff/compliance/download.xlsx?year={Y}")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["干部", "单位"]
    for sheet in book:
        assert_fitted(sheet, header_row=1)
    assert any(row[4] == "2025-W01" for row in book["单位"].iter_rows(values_only=True))
    assert client.get(f"/staff/compliance/download.pdf?year={Y}").status_code == 404
    codes = client.get(f"/staff/compliance/download.csv?year={Y}&columns=codes").content.decode()
    header, *rows = csv.reader(io.StringIO(codes))
    assert header[:3] == ["cadre_code", "cadre", "unit"]  # no BOM for scripts
    assert any(r[1] == "张伟" and r[5] == "2025-03" and r[-1] == "short" for r in rows)


def test_my_quota_shows_my_progress_for_the_year(client, county):
    login(client, county, "350901", "cadre", cadre=county["deputy"], name="zhangwei")
    page = client.get(f"/staff/me/quota/?year={Y}").content.decode()
    assert "我的2025年度下基层指标进度" in page
    assert "已达标 11 期，共 12 期" in page and "2025-03 未达标" in page
    assert '<progress class="w-100" max="100" value="16"' in page  # 10 of 60 research days
    assert "远山干部" not in page


def test_my_quota_needs_a_cadre_account(client, county):
    login(client, county)
    assert client.get("/staff/me/quota/").status_code == 403


def test_pages_need_a_login(client, county):
    for url in ("/staff/compliance/", "/staff/me/quota/", "/staff/compliance/download.csv"):
        assert client.get(url).status_code == 302
