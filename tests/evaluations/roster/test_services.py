"""Roster import (花名册导入): template round trip, all or nothing, upsert by natural key,
tenures on a change of post, jurisdiction, and files that are not rosters."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook

from evaluations.models import Cadre, OrgUnit, Tenure
from evaluations.roster import template as roster_template
from evaluations.roster.services import import_roster
from tests.evaluations.roster.helpers import CADRES, UNITS, filled

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


def run(units=(), cadres=(), **kwargs):
    return import_roster(filled(units, cadres), today=TODAY, **kwargs)


def snapshot():
    return (
        sorted(OrgUnit.objects.values_list("code", "name", "level", "path")),
        sorted(Cadre.objects.values_list("code", "name", "unit__code", "level", "post")),
        sorted(Tenure.objects.values_list("cadre__code", "post", "start", "end")),
    )


def test_template_has_two_sheets_drop_downs_and_an_example_sheet():
    wb = load_workbook(io.BytesIO(roster_template.template_bytes()))
    assert wb.sheetnames == ["单位", "干部", "说明"]
    assert [c.value for c in wb["单位"][1]] == ["单位代码", "单位名称", "层级", "上级单位代码"]
    assert [c.value for c in wb["干部"][1]][-2:] == ["任职开始日期", "职务类别"]
    assert wb["单位"].max_row == 1 and wb["干部"].max_row == 1  # no example among the data
    lists = {str(v.sqref): v.formula1 for v in wb["干部"].data_validations.dataValidation}
    assert lists["D2:D5001"] == '"省级,市级,县级,乡科级,一般干部"'
    assert lists["F2:F5001"] == '"是,否"'
    levels = wb["单位"].data_validations.dataValidation[0].formula1
    assert "乡镇(街道)" in levels and "机关部门" in levels
    assert wb["单位"]["A1"].font.bold
    examples = [row[0] for row in wb["说明"].iter_rows(values_only=True)]
    assert "C001" in examples and "350999-001" in examples


def test_round_trip_creates_units_parents_first_and_cadres_with_tenures(world):
    result = run(UNITS, CADRES)
    assert result.ok, result.errors
    assert result.units == {"created": 3, "updated": 0, "unchanged": 0}
    assert result.cadres == {"created": 3, "updated": 0, "unchanged": 0}
    village = OrgUnit.objects.get(code="350901-2-1")
    assert village.path == "/35/3509/350901/350901-2/350901-2-1/"
    assert village.level == "village" and village.parent.name == "新镇"
    town_head = Cadre.objects.get(code="K002")
    assert (town_head.level, town_head.is_principal, town_head.is_party_member) == (
        "township",
        True,
        True,  # blank 党员 means 是
    )
    assert not Cadre.objects.get(code="K003").is_party_member
    starts = dict(Tenure.objects.values_list("cadre__code", "start"))
    assert starts == {"K001": dt.date(2024, 1, 1), "K002": dt.date(2025, 3, 1), "K003": TODAY}


def test_a_bad_row_in_the_middle_imports_nothing_and_names_every_row(world):
    before = snapshot()
    cadres = [
        CADRES[0],
        ("K002", "孙磊", "350901-2", "科长", "新镇镇长", "是", "否", "是", "2025-03-01"),
        ("K003", "", "350901-2-1", "一般干部", "书记", "也许", "", "", "2025-02-30"),
        ("K001", "重复", "350901", "县级", "县长", "", "", "", ""),
        ("K004", "王五", "NOPE", "县级", "副县长", "", "", "", ""),
    ]
    units = [*UNITS, ("350901-9", "孤镇", "乡镇(街道)", "X")]
    result = run(units, cadres)
    assert not result.ok
    assert snapshot() == before  # nothing at all was written
    assert result.errors == [
        "单位 第5行：上级单位代码“X”不存在",
        "干部 第3行：职级“科长”不是有效选项（可选：省级、市级、县级、乡科级、一般干部）",
        "干部 第4行：“姓名”不能为空",
        "干部 第4行：党政主要领导“也许”应填“是”或“否”",
        "干部 第4行：任职开始日期“2025-02-30”不是有效日期（例如 2024-01-31 或 2024.01）",
        "干部 第5行：干部编号“K001”与第2行重复",
        "干部 第6行：单位代码“NOPE”不存在",
    ]


def test_parent_cycles_and_self_parents_are_refused(world):
    units = [
        ("A", "甲", "乡镇(街道)", "B"),
        ("B", "乙", "乡镇(街道)", "A"),
        ("C", "丙", "村", "C"),
    ]
    result = run(units)
    assert result.errors == [
        "单位 第2行：上级单位关系形成循环：A → B → A",
        "单位 第3行：上级单位关系形成循环：B → A → B",
        "单位 第4行：上级单位代码不能是本单位",
    ]
    assert not OrgUnit.objects.filter(code__in=["A", "B", "C"]).exists()


def test_reimport_updates_by_natural_key_instead_of_duplicating(world):
    assert run(UNITS, CADRES).ok
    first = snapshot()
    again = run(UNITS, CADRES)
    assert again.units == {"created": 0, "updated": 0, "unchanged": 3}
    assert again.cadres == {"created": 0, "updated": 0, "unchanged": 3}
    assert snapshot() == first
    renamed = [("350901-2", "新镇街道", "乡镇(街道)", "350901")]
    moved = [("K003", "高洁", "350901-2-1", "一般干部", "新村党支部书记", "", "", "是", "")]
    third = run(renamed, moved)
    assert third.units["updated"] == 1 and third.cadres["updated"] == 1
    assert OrgUnit.objects.filter(code="350901-2").count() == 1
    assert OrgUnit.objects.get(code="350901-2").name == "新镇街道"
    assert Cadre.objects.get(code="K003").is_party_member
    assert Tenure.objects.filter(cadre__code="K003").count() == 1  # 党员 is no change of post


def test_a_change_of_level_closes_the_tenure_and_opens_a_new_one(world):
    assert run(UNITS, CADRES).ok
    promoted = [("K002", "孙磊", "350901", "县级", "副县长", "否", "否", "是", "2026-03-01")]
    result = run(cadres=promoted)
    assert result.cadres["updated"] == 1 and result.tenures_opened == 1
    tenures = list(
        Tenure.objects.filter(cadre__code="K002").values_list("level", "unit__code", "start", "end")
    )
    assert tenures == [
        ("township", "350901-2", dt.date(2025, 3, 1), dt.date(2026, 2, 28)),
        ("county", "350901", dt.date(2026, 3, 1), None),
    ]
    cadre = Cadre.objects.get(code="K002")
    assert (cadre.level, cadre.unit.code, cadre.post) == ("county", "350901", "副县长")


def test_a_new_post_may_not_start_before_the_current_one(world):
    assert run(UNITS, CADRES).ok
    early = [("K002", "孙磊", "350901-2", "乡科级", "新镇党委书记", "是", "否", "是", "2025-03-01")]
    result = run(cadres=early)
    assert result.errors == ["干部 第2行：任职开始日期2025-03-01须晚于现任职务的开始日期2025-03-01"]
    assert Cadre.objects.get(code="K002").post == "新镇镇长"


def test_a_moved_unit_takes_its_subtree_along(world):
    assert run(UNITS, CADRES).ok
    result = run([("350901-2", "新镇", "乡镇(街道)", "350902")])
    assert result.ok and result.units["updated"] == 1
    assert OrgUnit.objects.get(code="350901-2-1").path == "/35/3509/350902/350901-2/350901-2-1/"


def test_rows_outside_the_uploaders_jurisdiction_are_refused(world):
    _, _, counties = world
    here, there = counties["350901"]["county"], counties["350902"]["county"]
    Cadre.objects.create(code="Y001", name="远山干部", unit=there, level="county", post="县长")
    units = [
        *UNITS,
        ("350902-7", "远山新镇", "乡镇(街道)", "350902"),
        ("350901", "清溪", "县(市、区)", ""),
    ]
    cadres = [
        *CADRES,
        ("K009", "越界", "350902", "县级", "副县长", "", "", "", ""),
        ("Y001", "远山干部", "350901", "县级", "县长", "", "", "", ""),
    ]
    result = run(units, cadres, within=here)
    assert result.errors == [
        "单位 第5行：单位“350902-7”不在您的管辖范围（清溪县）内",
        "单位 第6行：不能通过导入改变本单位“清溪县”的上级单位",
        "干部 第5行：单位“350902”不在您的管辖范围（清溪县）内",
        "干部 第6行：干部编号“Y001”已被管辖范围以外的干部使用",
    ]
    assert not Cadre.objects.filter(code__startswith="K").exists()
    assert Cadre.objects.get(code="Y001").unit == there
    assert run(UNITS, CADRES, within=here).ok  # the same rows inside the county are fine


def test_an_existing_unit_of_another_county_cannot_be_taken_over(world):
    _, _, counties = world
    here = counties["350901"]["county"]
    result = run([("350902-1", "抢来的镇", "乡镇(街道)", "350901")], within=here)
    assert result.errors == ["单位 第2行：单位代码“350902-1”已被管辖范围以外的单位使用"]
    assert OrgUnit.objects.get(code="350902-1").path.startswith("/35/3509/350902/")


def test_dry_run_reports_counts_and_writes_nothing(world):
    before = snapshot()
    result = run(UNITS, CADRES, dry_run=True)
    assert result.ok and result.cadres["created"] == 3 and result.dry_run
    assert snapshot() == before


def _zip_without_workbook() -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    out.seek(0)
    return out


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"%PDF-1.4 not a spreadsheet",
        "单位代码,单位名称\n1,2".encode(),
        _zip_without_workbook(),
    ],
)
def test_a_file_that_is_not_an_xlsx_gets_one_chinese_error(world, content):
    file = content if isinstance(content, io.BytesIO) else io.BytesIO(content)
    result = import_roster(file)
    assert result.errors == ["文件不是有效的 Excel（.xlsx）文件，请使用下载的模板填写。"]


def test_size_rows_sheets_and_columns_are_checked(world, monkeypatch):
    monkeypatch.setattr(roster_template, "MAX_BYTES", 1000)
    assert run(UNITS).errors == ["文件大小超过上限（1000\xa0字节），请分批导入。"]
    monkeypatch.setattr(roster_template, "MAX_BYTES", 5 * 2**20)
    monkeypatch.setattr(roster_template, "MAX_ROWS", 2)
    assert run(UNITS).errors == ["“单位”工作表超过 2 行，请分批导入。"]
    assert run().errors == ["文件中没有可导入的数据行。"]
    wb = load_workbook(filled())
    wb["单位"].delete_cols(2)
    del wb["干部"]
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    assert import_roster(out).errors == ["“单位”工作表缺少列：单位名称（请使用下载的模板）"]
