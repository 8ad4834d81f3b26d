"""Compliance reports as tables: the staff page's cadre × rule matrix, CSV and Excel files."""

from django.utils.translation import gettext as _

from evaluations.quota.compliance import Report, RuleSummary
from surveys import cells


def cadre_columns() -> list[str]:
    return [
        _("干部编号"),
        _("姓名"),
        _("单位"),
        _("规则代码"),
        _("要求"),
        _("周期"),
        _("应完成"),
        _("已完成"),
        _("差额"),
        _("状态"),
    ]


def unit_columns() -> list[str]:
    return [_("单位代码"), _("单位"), *cadre_columns()[3:]]


def cadre_rows(report: Report):
    """One row per cadre, rule and period (every period of every rule that binds the cadre)."""
    for result in report.cadres:
        cadre = result.cadre
        for row in result.rows:
            yield [cadre.code, cadre.name, cadre.unit.name, *_rule_cells(row)]


def unit_rows(report: Report):
    """One row per unit rule (weekly rota, 专题研究 meetings) and period."""
    for result in report.units:
        summaries = [result.rota, *result.meetings] if result.rota else result.meetings
        for summary in summaries:
            for row in summary.rows:
                yield [result.unit.code, result.unit.name, *_rule_cells(row)]


def _rule_cells(row) -> list:
    return [
        row.rule.code,
        row.rule.label,
        row.period.label,
        row.required,
        row.done,
        row.shortfall,
        str(row.status.label),
    ]


def write_csv(out, report: Report) -> int:
    writer = cells.csv_writer(out)
    writer.writerow(cadre_columns())
    count = 0
    for row in cadre_rows(report):
        writer.writerow(["" if cell is None else cell for cell in row])
        count += 1
    return count


def xlsx_bytes(report: Report) -> bytes:
    """Sheet 干部 (the CSV's rows) and sheet 单位 (rota weeks and 专题研究 months)."""
    from openpyxl import Workbook  # about a second to import: only when a sheet is made

    book = Workbook()
    sheets = [
        (book.active, _("干部"), cadre_columns(), cadre_rows(report)),
        (book.create_sheet(), _("单位"), unit_columns(), unit_rows(report)),
    ]
    for sheet, title, columns, rows in sheets:
        sheet.title = title
        sheet.append(columns)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
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
