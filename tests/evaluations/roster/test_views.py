"""The roster pages: template download and upload, for personnel of their own county only."""

import io

import pytest
from openpyxl import load_workbook

from evaluations.models import Cadre, OrgUnit
from tests.evaluations.roster.helpers import CADRES, UNITS, filled
from tests.factories import CadreFactory, staff_user

pytestmark = pytest.mark.django_db
IMPORT = "/staff/roster/import/"


@pytest.fixture
def counties(world):
    return world[2]


def login(client, counties, code="350901", *roles, name="zuzhibu", cadre=None):
    unit = counties[code]["county"]
    client.force_login(staff_user(name, unit, *(roles or ("personnel",)), cadre=cadre))
    return client


def upload(client, file, **data):
    return client.post(IMPORT, {"file": file, **data})


def test_download_fill_and_upload_the_template(client, counties):
    login(client, counties)
    response = client.get("/staff/roster/template.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["单位", "干部", "说明"]
    page = upload(client, filled(UNITS, CADRES, template=response.content))
    assert page.status_code == 200
    text = page.content.decode()
    assert "导入成功" in text and "新记录任职经历 3 条" in text
    assert Cadre.objects.get(code="K002").unit.code == "350901-2"
    assert f'href="{IMPORT}"' in client.get("/staff/visits/").content.decode()  # the nav link


def test_a_bad_row_shows_the_numbered_list_and_imports_nothing(client, counties):
    login(client, counties)
    bad = [*CADRES[:2], ("K003", "高洁", "350901-2-1", "科长", "书记", "", "", "", "")]
    page = upload(client, filled(UNITS, bad))
    assert page.status_code == 400
    text = page.content.decode()
    assert "未导入任何数据" in text
    assert "干部 第4行：职级“科长”不是有效选项（可选：省级、市级、县级、乡科级、一般干部）" in text
    assert not OrgUnit.objects.filter(code="350901-2").exists()
    assert not Cadre.objects.filter(code="K001").exists()


def test_dry_run_counts_without_importing(client, counties):
    login(client, counties)
    text = upload(client, filled(UNITS, CADRES), dry_run="on").content.decode()
    assert "检查通过（只检查，未导入）" in text
    assert not Cadre.objects.filter(code="K001").exists()


def test_another_countys_rows_are_refused(client, counties):
    login(client, counties, "350902", name="yuanshan")
    page = upload(client, filled(UNITS, CADRES))
    text = page.content.decode()
    assert page.status_code == 400
    assert "单位 第2行：单位“350901-2-1”不在您的管辖范围（远山县）内" in text
    assert "干部 第2行：单位“350901”不在您的管辖范围（远山县）内" in text
    assert not Cadre.objects.exists()


def test_a_plain_cadre_cannot_import_or_download(client, counties):
    cadre = CadreFactory(unit=counties["350901"]["county"])
    login(client, counties, "350901", "cadre", name="zhangwei", cadre=cadre)
    assert client.get(IMPORT).status_code == 403
    assert client.get("/staff/roster/template.xlsx").status_code == 403
    assert upload(client, filled(UNITS, CADRES)).status_code == 403
    assert not OrgUnit.objects.filter(code="350901-2").exists()
    assert f'href="{IMPORT}"' not in client.get("/staff/visits/").content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(IMPORT)
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


@pytest.mark.parametrize("content", [b"\x00\x01garbage", "干部编号,姓名\n".encode()])
def test_a_garbage_file_is_a_chinese_error_not_a_500(client, counties, content):
    login(client, counties)
    file = io.BytesIO(content)
    file.name = "roster.xlsx"
    page = upload(client, file)
    assert page.status_code == 400
    assert "文件不是有效的 Excel（.xlsx）文件，请使用下载的模板填写。" in page.content.decode()
