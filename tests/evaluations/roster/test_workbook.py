"""What a real workbook does (issue 13, point 7): merged cells, levels that cannot nest, posts
starting in the future, usual words for 职级, year-month dates, codes that lost their zeros —
each its own row-numbered Chinese error; and the 职务类别 column (point 1)."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from evaluations.models import Cadre, OrgUnit, Tenure
from evaluations.roster.services import import_roster
from evaluations.roster.template import CADRE_SHEET, UNIT_SHEET
from tests.evaluations.roster.helpers import filled
from tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


def run(units=(), cadres=()):
    return import_roster(filled(units, cadres), today=TODAY)


def cadre(code, unit, level, post, start="", category=""):
    return (code, f"干部{code}", unit, level, post, "", "", "", start, category)


def test_a_merged_parent_cell_is_refused_on_the_command_line(world, tmp_path):
    """Merged 上级单位代码 D2:D3: only D2 holds the value, so 上坪村 would have become a root
    unit. The command refuses the file, names row 3, and 上坪村 stays where it was."""
    village = OrgUnit.objects.get(code="350901-1-1")
    before = village.path
    wb = load_workbook(filled([("350901-1-2", "下坪村", "村", "350901-1")]))
    wb[UNIT_SHEET].append(["350901-1-1", "上坪社区", "社区", None])
    wb[UNIT_SHEET].merge_cells("D2:D3")
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    with pytest.raises(CommandError):
        call_command("import_roster", str(path), stderr=(err := io.StringIO()))
    assert err.getvalue().splitlines() == [
        "单位 第3行：“上级单位代码”是合并单元格（D2:D3），合并后只有第2行有值，其余行会被当作"
        "空白；请取消合并，逐行填写"
    ]
    village.refresh_from_db()
    assert village.path == before and village.level == "village"


def test_levels_that_cannot_nest_are_refused(world):
    """SPEC §2: 省 › 市(州) › 县(市、区) › 乡镇(街道) › 村(社区): no county under a village,
    no 省级 cadre in a village; a 乡镇党委书记 of 副县级 rank (高配) may sit in a township."""
    result = run(
        [("350901-1-1-X", "错县", "县(市、区)", "350901-1-1")],
        [
            cadre("P1", "350901-1-1", "省级", "副省长"),
            cadre("T1", "350901-1", "县级", "镇党委书记（副县级）"),
        ],
    )
    assert result.errors == [
        "单位 第2行：层级为“县(市、区)”的单位不能设在村“350901-1-1”之下（单位层级依次为 省 › "
        "市(州) › 县(市、区) › 乡镇(街道) › 村(社区)）",
        "干部 第2行：职级为“省级”的干部不能在村“350901-1-1”任职，请核对职级或单位代码",
    ]


def test_a_tenure_starting_in_the_future_is_refused(world):
    result = run(cadres=[cadre("F1", "350901", "县级", "副县长", start="2026-12-01")])
    assert result.errors == ["干部 第2行：任职开始日期2026-12-01晚于今天，尚未开始的任职不能导入"]


def test_usual_words_for_rank_and_year_month_dates(world):
    """Rosters write 正科级 and 副处级, and dates as 2021.03."""
    result = run(
        cadres=[
            cadre("W1", "350901-1", "正科级", "镇长", start="2021.03"),
            cadre("W2", "350901", "副处级", "副县长", start="2022年7月"),
        ]
    )
    assert result.ok, result.errors
    assert Cadre.objects.get(code="W1").level == "township"
    assert Cadre.objects.get(code="W2").level == "county"
    starts = dict(Tenure.objects.values_list("cadre__code", "start"))
    assert starts == {"W1": dt.date(2021, 3, 1), "W2": dt.date(2022, 7, 1)}


def test_a_year_month_typed_as_a_number_that_lost_its_zero_is_refused(world):
    result = run(cadres=[cadre("N1", "350901", "县级", "副县长", start=2021.1)])
    assert result.errors == [
        "干部 第2行：任职开始日期“2021.1”可能是1月也可能是10月（数字格式会去掉末尾的0），"
        "请写成文本，例如 2021.10 或 2021-10-01"
    ]


def test_a_code_typed_as_a_number_says_its_zeros_may_be_lost(world):
    OrgUnitFactory(
        code="007", name="七号单位", level="organ", parent=OrgUnit.objects.get(code="35")
    )
    result = run(
        [("008", "八号单位", "机关部门", 35)],
        [cadre("Z1", 7, "县级", "主任"), cadre("Z2", "007", "县级", "主任")],
    )
    hint = "（该单元格是数字格式，开头的0会丢失，如“001”变成“1”：请把该列设为文本后重新填写）"
    assert result.errors == [f"干部 第2行：单位代码“7”不存在{hint}"]


def test_the_post_category_column_and_its_default(world):
    """001 §一 separates 党政领导班子成员 from 部门领导干部: blank, the category follows the
    unit (a department); written, it is taken as written."""
    OrgUnitFactory(code="3509-FGW", name="市发改委", level="organ",
                   parent=OrgUnit.objects.get(code="3509"))  # fmt: skip
    result = run(
        cadres=[
            cadre("D1", "3509-FGW", "县处级", "市发改委主任"),
            cadre("D2", "350901", "县级", "县委办主任", category="部门领导"),
            cadre("D3", "350901", "县级", "县政协副主席"),
        ]
    )
    assert result.ok, result.errors
    categories = dict(Cadre.objects.values_list("code", "post_category"))
    assert categories == {"D1": "department", "D2": "department", "D3": "congress_cppcc"}
    assert set(Tenure.objects.values_list("post_category", flat=True)) == {
        "department",
        "congress_cppcc",
    }


def test_a_workbook_from_the_older_template_still_imports(world):
    wb = load_workbook(filled())
    sheet = wb[CADRE_SHEET]
    sheet.delete_cols(10)
    sheet.append(["O1", "老模板", "350901", "县级", "副县长", "", "", "", ""])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    result = import_roster(out, today=TODAY)
    assert result.ok, result.errors
    assert Cadre.objects.get(code="O1").post_category == "party_gov"


def test_an_own_code_typed_as_a_number_matching_a_zero_padded_code_is_refused(world):
    """Excel turned the 干部编号 "007" into 7: importing it would create a second cadre."""
    OrgUnitFactory(
        code="007", name="七号单位", level="organ", parent=OrgUnit.objects.get(code="35")
    )
    result = run([(7, "七号单位", "机关部门", "35")], [cadre(7, "350901", "县级", "副县长")])
    assert result.errors == [
        "单位 第2行：单位代码“7”是数字格式，开头的0可能已丢失：已有“007”，"
        "请把该列设为文本后重新填写",
    ]
    assert not OrgUnit.objects.filter(code="7").exists()
    cadres = [cadre("007", "350901", "县级", "副县长"), cadre(7, "350901", "县级", "副县长")]
    assert run(cadres=cadres).errors == [
        "干部 第3行：干部编号“7”是数字格式，开头的0可能已丢失：已有“007”，"
        "请把该列设为文本后重新填写",
    ]
