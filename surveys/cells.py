"""Spreadsheet cells that cannot turn into formulas (CSV/formula injection, issue 14 §6).

Names from rosters, appraisal subjects and residents' comments reach every CSV and XLSX export.
A text cell starting with = + - @ (or a tab or CR that a spreadsheet strips first) would run as
a formula. CSV has no types, so such a cell gets a leading apostrophe (OWASP's advice); in XLSX
the cell is written as a typed string with Excel's quotePrefix, so its visible text is unchanged.
Every writer of the three apps goes through `csv_writer` or `workbook_bytes`.

Control characters (U+0000–U+001F but tab, LF and CR) cannot be stored in an XLSX file, and
openpyxl refuses them with an error: one typed by a resident in a problem report turned the
county's case ledger export into a server error for everyone. Importing this module makes
openpyxl write them as U+FFFD (�) instead, for every workbook of the project."""

import csv
import io
import unicodedata

from openpyxl.cell import cell as _openpyxl_cell
from openpyxl.cell.cell import TYPE_FORMULA, TYPE_STRING

REPLACEMENT = "\ufffd"
_check_string = _openpyxl_cell.Cell.check_string


def _check_string_replacing(self, value):
    if isinstance(value, str):
        value = _openpyxl_cell.ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, value)
    return _check_string(self, value)


_openpyxl_cell.Cell.check_string = _check_string_replacing

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(TRIGGERS)


def neutral(value):
    """The CSV form of one cell: text that would start a formula gets a leading apostrophe."""
    return "'" + value if is_formula_like(value) else value


class _SafeWriter:
    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([neutral(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(out, **kwargs) -> _SafeWriter:
    """csv.writer whose rows are neutralised cell by cell."""
    return _SafeWriter(out, **kwargs)


def neutralise_workbook(book) -> None:
    """Every text cell that looks like a formula becomes a plain string shown as typed."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == TYPE_FORMULA or is_formula_like(cell.value):
                    cell.data_type = TYPE_STRING
                    cell.quotePrefix = True


def workbook_bytes(book) -> bytes:
    """Save a workbook for download after neutralising it (our exports write no formulas)."""
    neutralise_workbook(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WIDEST = 50  # characters: a longer text runs on rather than widening its column past a screen


def text_width(value) -> int:
    """How many Latin characters wide a cell's text is: a CJK character counts two."""
    lines = str(value).splitlines() or [""]
    return max(
        sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in lines
    )


def fit_columns(sheet, *, header_row: int = 1) -> None:
    """Each column as wide as its header and values (from `header_row` down; a title above
    it may run on), at most WIDEST; the rows above the data stay in view when scrolling."""
    widths: dict[str, int] = {}
    for row in sheet.iter_rows(min_row=header_row):
        for cell in row:
            if cell.value is not None:
                letter = cell.column_letter
                widths[letter] = max(widths.get(letter, 0), text_width(cell.value))
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = min(width + 2, WIDEST)
    sheet.freeze_panes = sheet.cell(header_row + 1, 1).coordinate
