"""Score tables as CSV, formatted XLSX and a printable PDF report."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.satisfaction import private
from surveys import cells, exporting
from surveys.exporting import Column

# How many of a row's ratings came by each channel (issue 19 §5), in every score table.
CHANNEL_COLUMNS = [
    Column("n_web", "n_web", "0", gettext_lazy("手机扫码")),
    Column("n_paper", "n_paper", "0", gettext_lazy("纸质问卷")),
    Column("n_assisted", "n_assisted", "0", gettext_lazy("协助填写")),
]
# (key in a report row, code, number format, Chinese header, digits as on screen); the codes are
# documented in docs/analytics.md and what `--columns codes` writes.
SCORE_COLUMNS = [
    Column("code", "cadre_code", "@", gettext_lazy("干部编号")),
    Column("name", "cadre", "@", gettext_lazy("干部")),
    Column("unit", "unit", "@", gettext_lazy("单位")),
    Column("n", "n", "0", gettext_lazy("有效评价")),
    *CHANNEL_COLUMNS,
    Column("attitude_mean", "attitude_mean", "0.00", gettext_lazy("工作态度均值"), 2),
    Column("style_mean", "style_mean", "0.00", gettext_lazy("工作作风均值"), 2),
    Column("results_mean", "results_mean", "0.00", gettext_lazy("工作实绩均值"), 2),
    Column("satisfaction", "satisfaction_rate", "0.0%", gettext_lazy("满意率"), 3),
    Column("sat_low", "satisfaction_low95", "0.0%", gettext_lazy("满意率下限95%"), 3),
    Column("sat_high", "satisfaction_high95", "0.0%", gettext_lazy("满意率上限95%"), 3),
    Column("score", "score_0_100", "0.0", gettext_lazy("得分(0–100)"), 1),
    Column("adjusted", "adjusted_score", "0.0", gettext_lazy("调整后得分"), 1),
    Column("reliability", "reliability", "0.00", gettext_lazy("信度"), 2),
    Column("enough", "enough_sample", "@", gettext_lazy("样本充足")),
]


# SPEC §6: below the minimum sample a score reads 样本不足 — in an export its cells stay blank.
SAMPLE_GATED = ("score", "adjusted")


def scored(row: dict) -> dict:
    """The row as exported: the score columns blank where the sample is below the minimum,
    every figure blank below the smallest cell shown (satisfaction.private)."""
    row = private(row)
    if row.get("enough"):
        return row
    return {**row, **dict.fromkeys(SAMPLE_GATED)}


def scores_csv(rows, *, style: str = "zh") -> str:
    return exporting.csv_text(map(scored, rows), SCORE_COLUMNS, style=style)


def table_xlsx(*, sheet_title: str, title: str, columns, rows, style: str = "zh") -> bytes:
    """One formatted sheet: a title row, a red header row, number formats per column."""
    from openpyxl import Workbook  # loaded by the Excel exports only, not by the CSV ones

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    fill_sheet(sheet, title=title, columns=columns, rows=rows, style=style)
    return cells.workbook_bytes(book)


def fill_sheet(sheet, *, title: str, columns, rows, style: str = "zh") -> None:
    """Write a title row, a red header row and the rows, with number formats per column."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(exporting.headers(columns, style))
    for cell in sheet[2]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="B71C1C")
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        sheet.append([exporting.cell(row, column, style) for column in columns])
    for index, column in enumerate(columns, start=1):
        for cell in sheet[get_column_letter(index)][2:]:
            cell.number_format = column.fmt
    cells.fit_columns(sheet, header_row=2)


def scores_xlsx(rows, *, title: str, style: str = "zh") -> bytes:
    return table_xlsx(
        sheet_title=_("满意度得分"),
        title=title,
        columns=SCORE_COLUMNS,
        rows=[scored(row) for row in rows],
        style=style,
    )


def _fmt(value, pattern="{:.1f}"):
    return "—" if value is None else pattern.format(value)


def score_header() -> list[str]:
    """The PDF table's header in the reader's language."""
    dims = [_("态度"), _("作风"), _("实绩")]
    ways = _("扫码/纸质/协助")
    return ["#", _("干部"), _("单位"), "n", ways, *dims, _("满意率"), _("得分"), _("调整后")]


ROWS_PER_PAGE = 24  # a long unit name wraps inside its cell (printing.fit_table)


def score_cells(rows) -> list[list[str]]:
    """The ranked satisfaction table as text cells for the PDF."""
    return [
        [
            str(i + 1),
            r["name"],
            r["unit"],
            str(r["n"]),
            "/".join(str(r.get(column.key) or 0) for column in CHANNEL_COLUMNS),
            _fmt(r.get("attitude_mean"), "{:.2f}"),
            _fmt(r.get("style_mean"), "{:.2f}"),
            _fmt(r.get("results_mean"), "{:.2f}"),
            _fmt(None if r.get("satisfaction") is None else r["satisfaction"] * 100, "{:.0f}%"),
            _fmt(r.get("score")) if r.get("enough") else _("样本不足"),
            _fmt(r.get("adjusted")) if r.get("enough") else "—",
        ]
        for i, r in enumerate(map(scored, rows))
    ]


def report_pdf(
    *, title: str, subtitle: str, header: list[str], cells: list[list[str]], chart_pngs: list[bytes]
) -> bytes:
    """A printable A4 report: title page with charts, then the table, 24 rows a page.
    matplotlib is imported here, not with the module: the CSV and Excel exports never load it."""
    from matplotlib import pyplot as plt

    from surveys import printing

    def draw(new_page):
        fig = new_page()
        fig.text(0.5, 0.95, title, ha="center", va="top", fontsize=20, weight="bold")
        fig.text(0.5, 0.91, subtitle, ha="center", va="top", fontsize=11, color="#444444")
        for i, png in enumerate(chart_pngs[:3]):
            ax = fig.add_axes([0.08, 0.62 - i * 0.29, 0.84, 0.27])
            ax.imshow(plt.imread(io.BytesIO(png)))
            ax.axis("off")
        for start in range(0, max(len(cells), 1), ROWS_PER_PAGE):
            _table_page(new_page(), header, cells[start : start + ROWS_PER_PAGE])

    return printing.pdf_bytes(draw)


def _table_page(fig, header, cells):
    from surveys import printing

    ax = fig.add_axes([0.05, 0.05, 0.9, 0.9])
    ax.axis("off")
    if cells:
        printing.fit_table(ax, header=header, rows=cells, fontsize=8)
