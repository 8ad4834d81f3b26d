"""The printed paper questionnaire (issue 19 §3): one numbered sheet per resident, A4 or A5, with
the questions and choices of the version the batch was printed with, big tick boxes, the sheet
number and a QR code on every page. The QR names the link and the sheet, never the resident."""

from django.utils.translation import gettext as _
from matplotlib.patches import Rectangle

from surveys import printing
from surveys.models import Question
from surveys.paper import printed
from surveys.paper.codes import sheet_code
from surveys.versions import questions_of

# Per paper size: page (inches), base font size (pt), tick box side and margin (inches).
LAYOUT = {
    "a4": {"page": printing.A4, "font": 14, "box": 0.30, "margin": 0.6, "qr": 1.1},
    "a5": {"page": printing.A5, "font": 11, "box": 0.24, "margin": 0.4, "qr": 0.85},
}


class _Page:
    """A cursor down a page, in inches from the top."""

    def __init__(self, fig, spec, *, heading, sheet, token, page_no):
        self.fig, self.spec = fig, spec
        self.width, self.height = spec["page"]
        m, qr_side = spec["margin"], spec["qr"]
        printing.draw_qr(
            fig,
            sheet_code(token, sheet),
            left=1 - (m + qr_side) / self.width,
            bottom=1 - (m + qr_side) / self.height,
            size=qr_side / self.width,
        )
        self.text(m, m, heading, size=spec["font"] + 4, weight="bold")
        number = _("编号 No. %(sheet)s") % {"sheet": sheet}
        self.text(m, m + 0.45 * spec["font"] / 14 + 0.1, number, size=spec["font"] + 2)
        self.y = m + 0.95 * spec["font"] / 14
        if page_no > 1:
            self.text(m, self.y, _("（续页 %(page)s）") % {"page": page_no}, size=spec["font"])
        self.top = m + qr_side + 0.2

    def below_qr(self):
        self.y = max(self.y, self.top)

    def text(self, x, y, s, *, size, weight="normal", color="black"):
        self.fig.text(
            x / self.width,
            1 - y / self.height,
            s,
            fontsize=size,
            weight=weight,
            va="top",
            color=color,
        )

    def box(self, x, y, side):
        self.fig.patches.append(
            Rectangle(
                (x / self.width, 1 - (y + side) / self.height),
                side / self.width,
                side / self.height,
                transform=self.fig.transFigure,
                fill=False,
                linewidth=1.4,
                edgecolor="black",
            )
        )

    def room(self) -> float:
        return self.height - self.spec["margin"] - self.y


def _choice_rows(labels, spec, usable):
    """The choices laid out in rows that fit the width: [[(x, label), ...], ...]."""
    em = spec["font"] / 72
    rows, row, x = [], [], 0.0
    for label in labels:
        width = spec["box"] + 0.1 + printing.text_width(label) * em + 0.35
        if row and x + width > usable:
            rows.append(row)
            row, x = [], 0.0
        row.append((x, label))
        x += width
    return [*rows, row] if row else rows


def _question_height(number: int, q: Question, spec, usable) -> tuple[str, list, float]:
    em = spec["font"] / 72
    wrapped = printing.wrap_cjk(printed.question_line(number, q), usable / em)
    line = em * 1.5
    height = line * (wrapped.count("\n") + 1) + 0.08
    if q.kind == Question.Kind.TEXT:
        return wrapped, [], height + 0.9 * spec["box"] / 0.3 + 0.2
    rows = _choice_rows([c.shown_label() for c in q.choices.all()], spec, usable)
    return wrapped, rows, height + len(rows) * (spec["box"] + 0.15) + 0.15


def sheets_pdf(*, batch, heading: str, size: str) -> bytes:
    """The PDF of every sheet of `batch` in paper size `size` ("a4" or "a5")."""
    spec = LAYOUT[size]
    questions = questions_of(batch.version)
    token = batch.link.token
    width = spec["page"][0]
    usable = width - 2 * spec["margin"]
    em = spec["font"] / 72
    title = batch.link.title
    version_line = _("%(title)s · 问卷版本 %(number)s") % {
        "title": batch.version.questionnaire.title,
        "number": batch.version.number,
    }
    how = _("请在您选择的方框内打“✓”，每题只选一项。不写姓名，匿名评价。")

    def draw(new_page):
        for sheet in range(batch.first, batch.last + 1):
            page_no = 1
            page = _Page(new_page(), spec, heading=heading, sheet=sheet, token=token, page_no=1)
            for line in (title, version_line, how):
                wrapped = printing.wrap_cjk(line, (usable - spec["qr"]) / em)
                page.text(spec["margin"], page.y, wrapped, size=spec["font"])
                page.y += em * 1.5 * (wrapped.count("\n") + 1)
            page.below_qr()
            for number, q in enumerate(questions, start=1):
                wrapped, rows, height = _question_height(number, q, spec, usable)
                if height > page.room():
                    page_no += 1
                    page = _Page(
                        new_page(), spec, heading=heading, sheet=sheet, token=token, page_no=page_no
                    )
                    page.below_qr()
                m = spec["margin"]
                page.text(m, page.y, wrapped, size=spec["font"], weight="bold")
                page.y += em * 1.5 * (wrapped.count("\n") + 1) + 0.08
                if q.kind == Question.Kind.TEXT:
                    side = 0.9 * spec["box"] / 0.3
                    page.fig.patches.append(
                        Rectangle(
                            (m / width, 1 - (page.y + side) / page.height),
                            usable / width,
                            side / page.height,
                            transform=page.fig.transFigure,
                            fill=False,
                            linewidth=0.8,
                            edgecolor="#555555",
                        )
                    )
                    page.y += side + 0.2
                    continue
                for row in rows:
                    for x, label in row:
                        page.box(m + x, page.y, spec["box"])
                        label_x = m + x + spec["box"] + 0.1
                        page.text(label_x, page.y + 0.02, label, size=spec["font"])
                    page.y += spec["box"] + 0.15
                page.y += 0.15

    return printing.pdf_bytes(draw, size=spec["page"])
