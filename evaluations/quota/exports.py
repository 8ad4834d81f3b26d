"""Compliance reports as tables: the staff page's cadre × rule matrix, CSV and Excel files."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.quota.compliance import Report, RuleSummary
from surveys import cells, exporting
from surveys.exporting import Column

# (key, code for scripts, Excel number format, header people read)
RULE_COLUMNS = [
    Column("rule", "rule_code", "@", gettext_lazy("规则代码")),
    Column("label", "rule", "@", gettext_lazy("要求")),
    Column("period", "period", "@", gettext_lazy("周期")),
    Column("required", "required", "0", gettext_lazy("应完成")),
    Column("done", "done", "0", gettext_lazy("已完成")),
    Column("shortfall", "shortfall", "0", gettext_lazy("差额")),
    Column("status", "status", "@", gettext_lazy("状态")),
]
CADRE_COLUMNS = [
    Column("code", "cadre_code", "@", gettext_lazy("干部编号")),
    Column("name", "cadre", "@", gettext_lazy("姓名")),
    Column("unit", "unit", "@", gettext_lazy("单位")),
    *RULE_COLUMNS,
]
UNIT_COLUMNS = [
    Column("code", "unit_code", "@", gettext_lazy("单位代码")),
    Column("unit", "unit", "@", gettext_lazy("单位")),
    *RULE_COLUMNS,
]


def cadre_columns(style: str = "zh") -> list[str]:
    return exporting.headers(CADRE_COLUMNS, style)


def unit_columns(style: str = "zh") -> list[str]:
    return exporting.headers(UNIT_COLUMNS, style)


def cadre_rows(report: Report):
    """One row per cadre, rule and period (every period of every rule that binds the cadre)."""
    for result in report.cadres:
        cadre = result.cadre
        for row in result.rows:
            yield {"code": cadre.code, "name": cadre.name, "unit": cadre.unit.name, **_rule(row)}


def unit_rows(report: Report):
    """One row per unit rule (weekly rota, 专题研究 meetings) and period."""
    for result in report.units:
        summaries = [result.rota, *result.meetings] if result.rota else result.meetings
        for summary in summaries:
            for row in summary.rows:
                yield {"code": result.unit.code, "unit": result.unit.name, **_rule(row)}


def _rule(row) -> dict:
    return {
        "rule": row.rule.code,
        "label": str(row.rule.shown_label),
        "period": row.period.label,
        "required": row.required,
        "done": row.done,
        "shortfall": row.shortfall,
        "status": row.status,
    }


def _cells(row: dict, columns, style: str) -> list:
    status = row["status"]
    row = {**row, "status": status.value if style == "codes" else str(status.label)}
    return [exporting.cell(row, column, style) for column in columns]


def write_csv(out, report: Report, *, style: str = "zh") -> int:
    """The cadre rows as CSV: for people a BOM and Chinese headers, for scripts the codes."""
    head = io.StringIO()  # the BOM and the header in one write (a command's stdout adds newlines)
    cells.csv_writer(head).writerow(cadre_columns(style))
    out.write((exporting.BOM if style == "zh" else "") + head.getvalue())
    writer = cells.csv_writer(out)
    count = 0
    for row in cadre_rows(report):
        writer.writerow(_cells(row, CADRE_COLUMNS, style))
        count += 1
    return count


def xlsx_bytes(report: Report, *, style: str = "zh") -> bytes:
    """Sheet 干部 (the CSV's rows) and sheet 单位 (rota weeks and 专题研究 months)."""
    from openpyxl import Workbook  # about a second to import: only when a sheet is made

    book = Workbook()
    sheets = [
        (book.active, _("干部"), CADRE_COLUMNS, cadre_rows(report)),
        (book.create_sheet(), _("单位"), UNIT_COLUMNS, unit_rows(report)),
    ]
    for sheet, title, columns, rows in sheets:
        sheet.title = title
        sheet.append(exporting.headers(columns, style))
        for row in rows:
            sheet.append(_cells(row, columns, style))
        cells.fit_columns(sheet, header_row=1)
    return cells.workbook_bytes(book)


def matrix(report: Report) -> tuple[list, list[tuple]]:
    """(the cadre rules as columns, then per bound cadre its summaries aligned to them)."""
    rules = {s.rule.pk: s.rule for c in report.cadres for s in c.rules}
    columns = [rules[pk] for pk in sorted(rules)]
    table = []
    for result in report.cadres:
        if result.rules:
            by_rule: dict[int, RuleSummary] = {s.rule.pk: s for s in result.rules}
            table.append((result, [by_rule.get(rule.pk) for rule in columns]))
    return columns, table
