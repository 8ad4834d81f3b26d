"""Exports of a closed appraisal: an Excel workbook and a printable A4 PDF of the tally.

Both show the tally beside the grades the branch recorded; neither suggests a grade."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from surveys import cells, notes, printing

ROWS_PER_PAGE = 14


def _pct(share: float) -> str:
    return f"{share:.1%}"


def _score(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}"


def _flags(row) -> str:
    return _("；").join(notes.text(f["reason"]) for f in row["tally"]["flags"])


def _summary(session) -> list[str]:
    r = session.result
    quorum = _("达到法定人数") if r["quorum_met"] else _("未达到法定人数")
    return [
        session.title,
        _("应参加 %(e)d 人，收回有效选票 %(b)d 张（%(t)s），%(q)s")
        % {"e": r["electorate"], "b": r["ballots"], "t": _pct(r["turnout"]), "q": quorum},
    ]


def _header(row, style: str) -> list[str]:
    """The header of one grade scale: words for people, codes for scripts."""
    if style == "codes":
        grades = [f"{g}_{part}" for g in row["tally"]["grades"] for part in ("votes", "share")]
        tail = ["score", "proposed_excellent", "flags", "final_grade", "decision_note"]
        return ["no", "name", "note", "valid", *grades, *tail]
    header = [_("序号"), _("姓名"), _("职务或说明"), _("有效票")]
    for label, _count, _share in row["grades"]:
        header += [_("%s票数") % label, _("%s比例") % label]
    return [*header, _("加权得分"), _("票决建议优秀"), _("提示"), _("评定等次"), _("评定说明")]


def _line(number, row, style: str) -> list:
    """One subject: shares and the score rounded as the results page shows them (100.0%, 85.0)
    and yes/no in words for people; the stored figures and codes for scripts."""
    people = style != "codes"
    line = [number, row["subject"].name, row["subject"].note, row["tally"]["valid"]]
    for _label, count, share in row["grades"]:
        line += [count, round(share, 3) if people else share]
    score = row["tally"]["score"]
    if score is not None:
        score = round(score * 100, 1) if people else score
    proposed = row["tally"]["proposed_excellent"]
    return [
        *line,
        score,
        (_("是") if proposed else _("否")) if people else proposed,
        _flags(row) if people else ";".join(f["code"] for f in row["tally"]["flags"]),
        row["final_label"] if people else row["subject"].final_grade,
        row["subject"].decision_note,
    ]


def results_xlsx(session, rows, *, style: str = "zh") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("计票结果")
    for line in _summary(session):
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=14)
    scale, header_row = None, None
    for number, row in enumerate(rows, 1):
        if row["tally"]["grades"] != scale:
            scale = row["tally"]["grades"]
            sheet.append([])
            sheet.append(_header(row, style))
            header_row = header_row or sheet.max_row
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        sheet.append(_line(number, row, style))
        for index, (_label, _count, _share) in enumerate(row["grades"]):
            sheet.cell(sheet.max_row, 6 + 2 * index).number_format = "0.0%"
    cells.fit_columns(sheet, header_row=header_row or sheet.max_row)
    _group_sheet(book, rows)
    return cells.workbook_bytes(book)


def _group_sheet(book, rows) -> None:
    sheet = book.create_sheet(_("分组明细"))
    sheet.append([_("姓名"), _("评议组"), _("有效票"), _("各等次票数"), _("平均分值")])
    for row in rows:
        labels = [label for label, _c, _s in row["grades"]]
        for group_name, block, counts in row["by_group"]:
            detail = _("，").join(f"{lb} {n}" for lb, n in zip(labels, counts, strict=True))
            mean = block["mean_points"]
            sheet.append([row["subject"].name, group_name, block["valid"], detail, mean])
    cells.fit_columns(sheet, header_row=1)


def _table_rows(rows) -> list[list[str]]:
    table = []
    for row in rows:
        cells = [
            _("%(label)s %(count)s（%(share)s）")
            % {"label": label, "count": count, "share": _pct(share)}
            for label, count, share in row["grades"]
        ]
        grades = "\n".join("  ".join(cells[i : i + 2]) for i in range(0, len(cells), 2))
        table.append(
            [
                row["subject"].name,
                str(row["tally"]["valid"]),
                grades,
                _score(row["tally"]["score"]),
                _flags(row) if row["tally"]["flags"] else "",
                row["final_label"] or "—",
            ]
        )
    return table


def results_pdf(session, rows) -> bytes:
    header = [_("姓名"), _("有效票"), _("各等次票数（比例）"), _("得分"), _("提示"), _("评定等次")]
    table = _table_rows(rows)
    pages = [table[i : i + ROWS_PER_PAGE] for i in range(0, len(table), ROWS_PER_PAGE)] or [[]]

    def draw(new_page):
        for number, chunk in enumerate(pages, 1):
            fig = new_page()
            for i, line in enumerate(_summary(session)):
                fig.text(0.06, 0.96 - i * 0.025, line, fontsize=14 if i == 0 else 10, va="top")
            ax = fig.add_axes([0.04, 0.08, 0.92, 0.82])
            ax.axis("off")
            if chunk:
                printing.fit_table(
                    ax,
                    header=header,
                    rows=chunk,
                    widths=[0.12, 0.07, 0.36, 0.07, 0.26, 0.12],
                    fontsize=7.5,
                )
            fig.text(
                0.06,
                0.04,
                _("计票结果供党支部研究评定时参考，不简单以票取人。第 %(n)d / %(t)d 页")
                % {"n": number, "t": len(pages)},
                fontsize=8,
                color="#444444",
            )

    return printing.pdf_bytes(draw)
