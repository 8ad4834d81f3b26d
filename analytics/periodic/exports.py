"""定期报送 as an Excel workbook (one sheet per part) and a printable A4 PDF."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from analytics import channels
from analytics.exports import CHANNEL_COLUMNS, fill_sheet
from surveys import cells, printing
from surveys.exporting import Column

PEOPLE = [
    Column("code", "cadre_code", "@", gettext_lazy("干部编号")),
    Column("name", "cadre", "@", gettext_lazy("干部")),
    Column("unit", "unit", "@", gettext_lazy("单位")),
    Column("post", "post", "@", gettext_lazy("职务")),
    Column("visits", "visits", "0", gettext_lazy("下基层次数")),
    Column("days", "days", "0", gettext_lazy("天数")),
]
KINDS = [
    Column("kind", "kind", "@", gettext_lazy("活动类型")),
    Column("visits", "visits", "0", gettext_lazy("次数")),
    Column("days", "days", "0", gettext_lazy("天数")),
    Column("received", "people_received", "0", gettext_lazy("接待群众人数")),
]
RULES = [
    Column("rule", "rule", "@", gettext_lazy("指标要求")),
    Column("met", "met", "0", gettext_lazy("达标")),
    Column("short", "short", "0", gettext_lazy("未达标")),
    Column("open", "open", "0", gettext_lazy("进行中")),
    Column("rate", "met_rate", "0.0%", gettext_lazy("达标率"), 3),
]
CASES = [
    Column("received", "received", "0", gettext_lazy("收到问题")),
    Column("accepted", "accepted", "0", gettext_lazy("受理")),
    Column("on_spot", "solved_on_spot", "0", gettext_lazy("当场解决")),
    Column("on_spot_rate", "on_spot_rate", "0.0%", gettext_lazy("当场解决率"), 3),
    Column("due", "due", "0", gettext_lazy("应办结")),
    Column("on_time", "closed_on_time", "0", gettext_lazy("按期办结")),
    Column("on_time_rate", "on_time_rate", "0.0%", gettext_lazy("按期办结率"), 3),
    Column("satisfaction_rate", "satisfaction_rate", "0.0%", gettext_lazy("办理满意率"), 3),
]
SATISFACTION = [
    Column("unit", "unit", "@", gettext_lazy("单位")),
    Column("cadres", "cadres", "0", gettext_lazy("干部数")),
    Column("rated_cadres", "rated_cadres", "0", gettext_lazy("有评价的干部")),
    Column("n", "n", "0", gettext_lazy("有效评价")),
    *CHANNEL_COLUMNS,
    Column("score", "score_0_100", "0.0", gettext_lazy("得分"), 1),
    Column("satisfaction", "satisfaction_rate", "0.0%", gettext_lazy("满意率"), 3),
    Column("sat_low", "satisfaction_low95", "0.0%", gettext_lazy("满意率下限95%"), 3),
    Column("sat_high", "satisfaction_high95", "0.0%", gettext_lazy("满意率上限95%"), 3),
    Column("sample", "sample", "@", gettext_lazy("样本")),
]
# On A4 the three channel counts share one column ("15/25/0"): twelve columns wrapped their
# headers a character or two a line.
SATISFACTION_PRINTED = [
    *(c for c in SATISFACTION if c not in CHANNEL_COLUMNS),
]
SATISFACTION_PRINTED.insert(4, Column("ways", "ways", "@", gettext_lazy("扫码/纸质/协助")))


def _printed(columns, rows):
    """The columns and rows of a part as the PDF prints them."""
    if columns is not SATISFACTION:
        return columns, rows
    keys = [c.key for c in CHANNEL_COLUMNS]
    joined = [{**r, "ways": "/".join(str(r.get(k) or 0) for k in keys)} for r in rows]
    return SATISFACTION_PRINTED, joined


DIARIES = [
    Column("date", "date", "@", gettext_lazy("日期")),
    Column("lead", "lead", "@", gettext_lazy("带队干部")),
    Column("kind", "kind", "@", gettext_lazy("活动类型")),
    Column("target", "target_unit", "@", gettext_lazy("前往单位")),
    Column("summary", "summary", "@", gettext_lazy("民情日记")),
]


def case_row(report) -> dict:
    rates = report.cases
    row = {name: getattr(rates, name) for name in ("received", "accepted", "on_spot", "due")}
    row.update(on_time=rates.on_time)
    for name in ("on_spot_rate", "on_time_rate", "satisfaction_rate"):
        row[name] = getattr(rates, name)
    return row


def satisfaction_rows(report) -> list[dict]:
    """SPEC §6: below the minimum sample the score reads 样本不足 and is left blank."""
    rows = []
    for row in report.satisfaction:
        enough = row["enough"]
        rows.append(
            {**row, "score": row["score"] if enough else None}
            | {"sample": _("充足") if enough else _("样本不足")}
        )
    return rows


def diary_rows(report) -> list[dict]:
    return [
        {
            "date": v.date_label(),
            "lead": v.lead.name,
            "kind": str(v.get_kind_display()),
            "target": v.target_unit.name,
            "summary": v.summary,
        }
        for v in report.diaries
    ]


def _filtered(report, columns) -> str:
    """ "（仅纸质问卷）" after the residents' satisfaction only: the 评价渠道 filter narrows
    that part; visits, quotas and cases have no channel."""
    return channels.described(report.channels) if columns is SATISFACTION else ""


def parts(report) -> list[tuple[str, list[Column], list[dict]]]:
    """(sheet title, columns, rows) of each part, in the order of the page."""
    return [
        (_("下基层人员"), PEOPLE, report.people),
        (_("活动类型"), KINDS, report.kinds),
        (_("指标达标"), RULES, report.rules),
        (_("问题办理"), CASES, [case_row(report)]),
        (_("群众满意度"), SATISFACTION, satisfaction_rows(report)),
        (_("民情日记"), DIARIES, diary_rows(report)),
    ]


def workbook(report, *, title: str, style: str = "zh") -> bytes:
    book = Workbook()
    book.remove(book.active)
    for sheet_title, columns, rows in parts(report):
        sheet = book.create_sheet(sheet_title)
        heading = f"{title} · {sheet_title}{_filtered(report, columns)}"
        fill_sheet(sheet, title=heading, columns=columns, rows=rows, style=style)
    return cells.workbook_bytes(book)


ROWS_PER_PAGE = 22
DIARY_WIDTH = 40  # ems in a line of a 民情日记 on A4 at 11 pt


def _text(row: dict, column: Column) -> str:
    value = row.get(column.key)
    if value is None:
        return "—"
    if column.fmt == "0.0%":
        return f"{value * 100:.1f}%"
    if column.fmt == "0.0":
        return f"{value:.1f}"
    return str(value)


def pdf(report, *, title: str, subtitle: str) -> bytes:
    """A4: a title and the headline figures, then each part as a table, then the 民情日记."""

    def draw(new_page):
        fig = new_page()
        fig.text(0.5, 0.95, printing.wrap_cjk(title, 26), ha="center", va="top", fontsize=17)
        fig.text(0.5, 0.87, subtitle, ha="center", va="top", fontsize=11, color="#444444")
        top = 0.82
        for heading, part_columns, part_rows in parts(report)[:-1]:
            columns, rows = _printed(part_columns, part_rows)
            for start in range(0, max(len(rows), 1), ROWS_PER_PAGE):
                chunk = rows[start : start + ROWS_PER_PAGE]
                if top < 0.45:
                    fig, top = new_page(), 0.95
                shown = heading + _filtered(report, part_columns)
                fig.text(0.05, top, shown, fontsize=13, weight="bold", va="top")
                height = min(0.04 * (len(chunk) + 2), top - 0.08)
                ax = fig.add_axes([0.05, top - 0.02 - height, 0.9, height])
                ax.axis("off")
                header = [str(c.header) for c in columns]
                cells_ = [[_text(r, c) for c in columns] for r in chunk] or [["—"] * len(columns)]
                printing.fit_table(ax, header=header, rows=cells_, fontsize=8)
                top -= height + 0.07
        _diaries(new_page, report)

    return printing.pdf_bytes(draw)


LINE = 0.018  # one line of 10 pt text at 1.5 spacing, as a share of the A4 height


def _diaries(new_page, report) -> None:
    """The picked 民情日记, wrapped (禁则 kept); a long one continues on the next page."""
    fig, top = new_page(), 0.95
    fig.text(0.05, top, _("民情日记（单位选送）"), fontsize=13, weight="bold", va="top")
    top -= 0.05
    if not report.diaries:
        fig.text(0.05, top, _("本期未选送民情日记。"), fontsize=11, va="top")
    for row in diary_rows(report):
        if top < 0.15:
            fig, top = new_page(), 0.95
        head = f"{row['date']}　{row['lead']}　{row['kind']} · {row['target']}"
        fig.text(0.05, top, head, fontsize=11, weight="bold", va="top")
        top -= 0.03
        lines = printing.wrap_cjk(row["summary"], DIARY_WIDTH).split("\n")
        while lines:
            room = max(int((top - 0.05) / LINE), 1)
            chunk, lines = lines[:room], lines[room:]
            fig.text(0.05, top, "\n".join(chunk), fontsize=10, va="top", linespacing=1.5)
            top -= LINE * len(chunk) + 0.03
            if lines:
                fig, top = new_page(), 0.95
