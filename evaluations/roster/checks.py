"""Reading and checking the roster workbook, before anything is written (see roster.py).

Errors are Chinese sentences that name the sheet and the Excel row number (the header is row 1),
e.g. “干部 第5行：职级“科长”不是有效选项（可选：省级、市级、县级、乡科级、一般干部）”."""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl.utils.cell import get_column_letter, range_boundaries
from openpyxl.xml.functions import iterparse

from evaluations.models import Cadre, Tenure
from evaluations.roster import template as tpl

# Codes become the materialised path ("/350000/350900/"): no slash, no blank inside.
CODE_FORBIDDEN = re.compile(r"[/\s]")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
# A month without a day, as rosters write it (2021.03, 2021-3, 2021年3月): its first day.
YEAR_MONTH = re.compile(r"^(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*月?$")
MERGE_CELL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"
# A sheet is read at most this far, blank rows included (a bound on a hostile file's cost).
SCAN_LIMIT = 20 * tpl.MAX_ROWS


@dataclass
class UnitRow:
    row: int
    code: str
    name: str
    level: str
    parent_code: str | None
    ok: bool = True  # False: a cell is wrong; only its references are still checked
    numeric: frozenset = frozenset()  # code columns typed as numbers (zeros may be lost)


@dataclass
class CadreRow:
    row: int
    code: str
    name: str
    unit_code: str
    level: str
    post: str
    is_principal: bool
    is_standing_committee: bool
    is_party_member: bool
    start: dt.date | None
    post_category: str = ""  # blank: the default for the post (org.post_category_for)
    ok: bool = True
    numeric: frozenset = frozenset()


@dataclass
class Plan:
    """What passed every check: units ordered parents first, cadres, and what they replace."""

    units: list[UnitRow]
    cadres: list[CadreRow]
    existing_cadres: dict[str, Cadre] = field(default_factory=dict)
    open_tenures: dict[int, Tenure] = field(default_factory=dict)


def _plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return tpl.YES if value else tpl.NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value).replace("\u3000", " ").strip()


def merged_ranges(wb, sheet: str) -> list[str]:
    """The merged ranges of a sheet ("D3:D5"), read from its XML: a read-only workbook does
    not expose them, and a merged cell reads as blank below its first row."""
    path = getattr(wb[sheet], "_worksheet_path", None)
    archive = getattr(wb, "_archive", None)
    if not path or archive is None:
        return []
    with archive.open(path) as xml:
        return [el.get("ref") for _event, el in iterparse(xml) if el.tag == MERGE_CELL]


def merge_errors(wb, sheet: str, header: list[str], errors: list[str]) -> None:
    """One error per data row covered by a merged cell, naming the column and first row."""
    for ref in merged_ranges(wb, sheet):
        first_col, first_row, last_col, last_row = range_boundaries(ref)
        if last_row < 2:
            continue  # the header row: harmless
        columns = [
            header[c - 1] if c - 1 < len(header) and header[c - 1] else get_column_letter(c)
            for c in range(first_col, last_col + 1)
        ]
        for number in range(max(first_row + 1, 2), last_row + 1):
            params = {
                "sheet": sheet,
                "row": number,
                "column": "、".join(columns),
                "ref": ref,
                "first": first_row,
            }
            errors.append(
                _(
                    "%(sheet)s 第%(row)d行：“%(column)s”是合并单元格（%(ref)s），合并后只有第"
                    "%(first)d行有值，其余行会被当作空白；请取消合并，逐行填写"
                )
                % params
            )


def sheet_rows(wb, sheet: str, columns, errors: list[str]) -> list[tuple[int, dict]]:
    """(Excel row number, {column: raw value}) for the non-blank rows of one sheet."""
    if sheet not in wb.sheetnames:
        return []
    rows = wb[sheet].iter_rows(values_only=True)
    header = [_plain(v) for v in next(rows, ())]
    missing = [c for c in columns if c not in header and c not in tpl.OPTIONAL_COLUMNS]
    if missing:
        params = {"sheet": sheet, "columns": "、".join(missing)}
        errors.append(_("“%(sheet)s”工作表缺少列：%(columns)s（请使用下载的模板）") % params)
        return []
    index = {c: header.index(c) for c in columns if c in header}
    found = []
    for number, values in enumerate(rows, start=2):
        if all(_plain(v) == "" for v in values):
            if number > SCAN_LIMIT:
                break
            continue
        if len(found) >= tpl.MAX_ROWS or number > SCAN_LIMIT:
            params = {"sheet": sheet, "max": tpl.MAX_ROWS}
            errors.append(_("“%(sheet)s”工作表超过 %(max)d 行，请分批导入。") % params)
            return []
        cells = {c: values[index[c]] if index.get(c, len(values)) < len(values) else None
                 for c in columns}  # fmt: skip
        found.append((number, cells))
    merge_errors(wb, sheet, header, errors)
    return found


class _Cells:
    """One row's cells, read column by column; each problem becomes a numbered error."""

    def __init__(self, sheet: str, number: int, cells: dict, errors: list[str]):
        self.sheet, self.number, self.cells, self.errors = sheet, number, cells, errors
        self.ok = True
        self.numeric: set[str] = set()

    def error(self, message: str, **params):
        self.ok = False
        where = _("%(sheet)s 第%(row)d行：") % {"sheet": self.sheet, "row": self.number}
        self.errors.append(where + (message % params if params else message))

    def text(self, column: str, max_length: int, *, required=True) -> str:
        value = _plain(self.cells[column])
        if required and not value:
            self.error(_("“%(column)s”不能为空"), column=column)
        elif len(value) > max_length:
            self.error(_("“%(column)s”不能超过%(max)d个字"), column=column, max=max_length)
        return value

    def code(self, column: str, *, required=True) -> str:
        if isinstance(self.cells[column], int | float) and not isinstance(self.cells[column], bool):
            self.numeric.add(column)  # Excel kept it as a number: "001" reads as 1
        value = self.text(column, 40, required=required)
        if CODE_FORBIDDEN.search(value):
            self.error(_("%(column)s“%(value)s”不能包含“/”或空格"), column=column, value=value)
        return value

    def choice(self, column: str, labels: dict[str, str], *, words=None, required=True) -> str:
        value = _plain(self.cells[column])
        words = words or {}
        if value in words:
            return words[value]
        if not value:
            if required:
                self.error(_("“%(column)s”不能为空"), column=column)
        elif value not in labels and value not in labels.values():
            options = "、".join(labels)
            self.error(
                _("%(column)s“%(value)s”不是有效选项（可选：%(options)s）"),
                column=column,
                value=value,
                options=options,
            )
        return labels.get(value, value)

    def flag(self, column: str) -> bool:
        value = _plain(self.cells[column])
        if not value:
            return tpl.FLAG_DEFAULTS[column]
        if value not in (tpl.YES, tpl.NO):
            self.error(_("%(column)s“%(value)s”应填“是”或“否”"), column=column, value=value)
        return value == tpl.YES

    def date(self, column: str) -> dt.date | None:
        value = self.cells[column]
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = _plain(value)
        if not text:
            return None
        for fmt in DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        return self._year_month(column, text, numeric=isinstance(value, float))

    def _year_month(self, column: str, text: str, *, numeric: bool) -> dt.date | None:
        """2021.03 is March 2021; typed as a number, 2021.10 arrives as 2021.1: ambiguous."""
        found = YEAR_MONTH.match(text)
        month = int(found[2]) if found else 0
        if numeric and found and found[2] == "1":
            self.error(
                _(
                    "%(column)s“%(value)s”可能是1月也可能是10月（数字格式会去掉末尾的0），"
                    "请写成文本，例如 2021.10 或 2021-10-01"
                ),
                column=column,
                value=text,
            )
            return None
        if found and 1 <= month <= 12:
            return dt.date(int(found[1]), month, 1)
        self.error(
            _("%(column)s“%(value)s”不是有效日期（例如 2024-01-31 或 2024.01）"),
            column=column,
            value=text,
        )
        return None


def _duplicate(cells: _Cells, column: str, value: str, first: dict[str, int]):
    if value in first:
        cells.error(
            _("%(column)s“%(value)s”与第%(first)d行重复"),
            column=column,
            value=value,
            first=first[value],
        )
    else:
        first[value] = cells.number


def unit_rows(rows, errors: list[str]) -> list[UnitRow]:
    levels, first, parsed = tpl.unit_levels(), {}, []
    for number, raw in rows:
        cells = _Cells(tpl.UNIT_SHEET, number, raw, errors)
        code = cells.code("单位代码")
        if code:
            _duplicate(cells, "单位代码", code, first)
        row = UnitRow(
            row=number,
            code=code,
            name=cells.text("单位名称", 100),
            level=cells.choice("层级", levels),
            parent_code=cells.code("上级单位代码", required=False) or None,
        )
        if row.parent_code and row.parent_code == code:
            cells.error(_("上级单位代码不能是本单位"))
        row.ok, row.numeric = cells.ok, frozenset(cells.numeric)
        parsed.append(row)
    return parsed


def cadre_rows(rows, errors: list[str]) -> list[CadreRow]:
    levels, first, parsed = tpl.cadre_levels(), {}, []
    categories = tpl.post_categories()
    for number, raw in rows:
        cells = _Cells(tpl.CADRE_SHEET, number, raw, errors)
        code = cells.code("干部编号")
        if code:
            _duplicate(cells, "干部编号", code, first)
        row = CadreRow(
            row=number,
            code=code,
            name=cells.text("姓名", 40),
            unit_code=cells.code("单位代码"),
            level=cells.choice("职级", levels, words=tpl.CADRE_LEVEL_WORDS),
            post=cells.text("职务", 100),
            is_principal=cells.flag("党政主要领导"),
            is_standing_committee=cells.flag("常委会委员"),
            is_party_member=cells.flag("党员"),
            start=cells.date("任职开始日期"),
            post_category=cells.choice("职务类别", categories, required=False),
        )
        row.ok, row.numeric = cells.ok, frozenset(cells.numeric)
        parsed.append(row)
    return parsed
