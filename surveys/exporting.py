"""Exports people can open, one mechanism for every table: Chinese headers, values rounded as the
page shows them, a UTF-8 BOM so Excel on Chinese Windows reads a CSV, and file names that say
which unit and period. Scripts ask for the English codes and full precision (`codes`)."""

import io
from typing import NamedTuple

from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from surveys import cells

BOM = "\ufeff"
STYLES = ("zh", "codes")  # zh: for people (the default); codes: for scripts


class Column(NamedTuple):
    key: str  # the key in a report row
    code: str  # the machine-readable header
    fmt: str  # Excel number format
    header: str = ""  # the header people read (marked for translation where defined)
    digits: int | None = None  # rounding as on screen (of the stored value: 0.912 is 91.2%)


def style(asked) -> str:
    """The style a request or command asked for; people's (zh) unless it is a known one."""
    return asked if asked in STYLES else "zh"


def headers(columns, style: str = "zh") -> list[str]:
    return [c.code if style == "codes" or not c.header else str(c.header) for c in columns]


def cell(row: dict, column: Column, style: str = "zh"):
    value = row.get(column.key)
    if value is None or value != value:  # None or NaN: an empty cell
        return ""
    if style == "codes":
        return value
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, float) and column.digits is not None:
        return round(value, column.digits)
    return value


def csv_text(rows, columns, *, style: str = "zh") -> str:
    """CSV with the BOM Excel needs to read UTF-8 (none for scripts)."""
    out = io.StringIO()
    writer = cells.csv_writer(out)  # a cell that would start a formula is neutralised
    writer.writerow(headers(columns, style))
    for row in rows:
        writer.writerow([cell(row, column, style) for column in columns])
    return (BOM if style == "zh" else "") + out.getvalue()


def file_name(*parts, ext: str) -> str:
    """'满意度得分-清溪县-2026.csv': what, which unit, which period."""
    name = "-".join(str(part).replace("/", "-") for part in parts if part not in (None, ""))
    return f"{name}.{ext}"


def attach(response, name: str):
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
