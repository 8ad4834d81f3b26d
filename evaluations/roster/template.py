"""The roster workbook (花名册): its sheets, columns and choice labels, and the blank template
that personnel departments download, fill in and upload (SPEC §1: imports rosters from Excel)."""

import datetime as dt
import io

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from evaluations.models import Cadre, OrgUnit
from evaluations.org.models import PostCategory

UNIT_SHEET = "单位"
CADRE_SHEET = "干部"
HELP_SHEET = "说明"
UNIT_COLUMNS = ("单位代码", "单位名称", "层级", "上级单位代码")
CADRE_COLUMNS = (
    "干部编号",
    "姓名",
    "单位代码",
    "职级",
    "职务",
    "党政主要领导",
    "常委会委员",
    "党员",
    "任职开始日期",
    "职务类别",
)
# Columns a workbook made from an older template may lack: read as blank.
OPTIONAL_COLUMNS = ("职务类别",)
YES, NO = "是", "否"
# Words a personnel department writes for 职级 (公务员职级), and the level each means.
CADRE_LEVEL_WORDS = {
    "省部级": "provincial",
    "正部级": "provincial",
    "副部级": "provincial",
    "厅局级": "city",
    "正厅级": "city",
    "副厅级": "city",
    "县处级": "county",
    "正处级": "county",
    "副处级": "county",
    "正科级": "township",
    "副科级": "township",
    "科级": "township",
    "科员": "general",
    "办事员": "general",
}
# A flag left blank takes the model's default: not a principal, not on the committee, a member.
FLAG_DEFAULTS = {"党政主要领导": False, "常委会委员": False, "党员": True}

# Limits of one upload: beyond them a roster is imported in parts (a clear error, never a 500).
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# Rows of the template that carry data validation (the drop-down lists).
VALIDATED_ROWS = MAX_ROWS + 1

EXAMPLE_UNITS = [
    ("350999", "清溪县", "县(市、区)", "350900"),
    ("350999-001", "城关镇", "乡镇(街道)", "350999"),
    ("350999-001-02", "南门村", "村", "350999-001"),
]
EXAMPLE_CADRES = [
    ("C001", "林志明", "350999", "县级", "县委书记", YES, YES, YES, dt.date(2024, 1, 1), ""),
    (
        "C012",
        "孙磊",
        "350999-001",
        "乡科级",
        "城关镇副镇长",
        NO,
        NO,
        YES,
        dt.date(2025, 3, 1),
        "乡镇领导",
    ),
]
NOTES = [
    "填写说明",
    "1. 在“单位”和“干部”两个工作表中填写，从第2行开始，每行一条，不要改动第1行的列名。",
    "2. 单位代码、干部编号是唯一标识：再次导入同一代码会更新原有记录，不会重复新增。",
    "3. 上级单位代码填写本文件中或系统中已有的单位代码；上级单位可以写在下级单位之后。",
    "4. 层级、职级请从下拉列表中选择；是/否列留空时：党政主要领导、常委会委员按“否”，党员按“是”。",
    "5. 干部的单位、职级、职务或党政主要领导、常委会委员发生变化时，系统结束原任职经历，"
    "并从“任职开始日期”（留空则为导入当日）起记录新的任职经历。",
    "6. 只要有一行有错误，整个文件都不会导入；请按错误清单中的行号修改后重新上传。",
    f"7. 每次最多导入 {MAX_ROWS} 行、文件不超过 {MAX_BYTES // (1024 * 1024)} MB。",
    "8. 只能导入本单位管辖范围内的单位和干部。",
    "9. 职级可填“正科级”“副处级”“厅局级”等常用写法；"
    "任职开始日期可只写年月（如 2021.03，按当月1日）。",
    "10. 职务类别（党政领导班子成员、人大/政协领导、部门领导、乡镇领导、其他）"
    "决定适用哪些下基层指标；留空时按单位层级和职务名称推断："
    "机关部门为部门领导，乡镇为乡镇领导，职务含人大、政协为人大/政协领导。",
    "11. 不要合并单元格：合并后只有第一行有值，其余行会被当作空白。",
]


def choice_labels(choices) -> dict[str, str]:
    """Chinese label -> stored value, whatever the request's language."""
    with translation.override("zh-hans"):
        return {str(label): value for value, label in choices.choices}


def unit_levels() -> dict[str, str]:
    return choice_labels(OrgUnit.Level)


def cadre_levels() -> dict[str, str]:
    return choice_labels(Cadre.Level)


def post_categories() -> dict[str, str]:
    return choice_labels(PostCategory)


def _header(ws, columns, widths):
    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="C00000")
        cell.alignment = Alignment(horizontal="center")
    for letter, width in zip("ABCDEFGHIJ", widths, strict=False):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"


def _choices(ws, column: str, labels, title: str):
    rule = DataValidation(
        type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True, showErrorMessage=True
    )
    rule.error = f"请从下拉列表中选择{title}"
    rule.errorTitle = title
    ws.add_data_validation(rule)
    rule.add(f"{column}2:{column}{VALIDATED_ROWS}")


def _text_columns(ws, letters: str):
    # Codes as text, so "001" keeps its zeros instead of becoming the number 1.
    for letter in letters:
        ws.column_dimensions[letter].number_format = "@"


def _help_sheet(wb):
    ws = wb.create_sheet(HELP_SHEET)
    for line in NOTES:
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append([f"示例：“{UNIT_SHEET}”工作表"])
    ws.append(list(UNIT_COLUMNS))
    for row in EXAMPLE_UNITS:
        ws.append(list(row))
    ws.append([])
    ws.append([f"示例：“{CADRE_SHEET}”工作表"])
    ws.append(list(CADRE_COLUMNS))
    for row in EXAMPLE_CADRES:
        ws.append(list(row))
        ws.cell(ws.max_row, CADRE_COLUMNS.index("任职开始日期") + 1).number_format = "yyyy-mm-dd"
    ws.column_dimensions["A"].width = 16
    for row in ws.iter_rows():
        if row[0].value in UNIT_COLUMNS[:1] + CADRE_COLUMNS[:1]:
            for cell in row:
                cell.font = Font(bold=True)


def template_bytes() -> bytes:
    """The blank roster workbook: two data sheets with drop-downs, and a sheet of examples."""
    wb = Workbook()
    units = wb.active
    units.title = UNIT_SHEET
    _header(units, UNIT_COLUMNS, (18, 28, 14, 18))
    _text_columns(units, "AD")
    _choices(units, "C", unit_levels(), "层级")
    cadres = wb.create_sheet(CADRE_SHEET)
    _header(cadres, CADRE_COLUMNS, (14, 12, 18, 12, 28, 14, 12, 8, 14, 18))
    _text_columns(cadres, "AC")
    _choices(cadres, "D", cadre_levels(), "职级")
    for letter in "FGH":
        _choices(cadres, letter, (YES, NO), "是或否")
    cadres.column_dimensions["I"].number_format = "yyyy-mm-dd"
    _choices(cadres, "J", post_categories(), "职务类别")
    _help_sheet(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
