"""Roster workbooks for the import tests: the downloadable template, filled with openpyxl."""

import datetime as dt
import io

from openpyxl import load_workbook

from evaluations.roster.template import CADRE_SHEET, UNIT_SHEET, template_bytes


def filled(units=(), cadres=(), *, template: bytes | None = None) -> io.BytesIO:
    """The template with these rows under the headers of its two sheets (row 2 onward)."""
    wb = load_workbook(io.BytesIO(template or template_bytes()))
    for row in units:
        wb[UNIT_SHEET].append(list(row))
    for row in cadres:
        wb[CADRE_SHEET].append(list(row))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "roster.xlsx"
    return out


# Rows under the personas' county 清溪县 (350901), children before their parents on purpose.
UNITS = [
    ("350901-2-1", "新村", "村", "350901-2"),
    ("350901-2", "新镇", "乡镇(街道)", "350901"),
    ("350901-ZZB", "中共清溪县委组织部", "机关部门", 350901),  # typed as a number
]
CADRES = [
    ("K001", "林志明", "350901", "县级", "县委书记", "是", "是", "是", dt.date(2024, 1, 1)),
    ("K002", "孙磊", "350901-2", "乡科级", "新镇镇长", "是", "否", "", "2025-03-01"),
    ("K003", "高洁", "350901-2-1", "一般干部", "新村党支部书记", "", "", "否", ""),
]
