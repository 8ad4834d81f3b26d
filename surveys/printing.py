"""Printable A4 PDFs drawn with matplotlib: posters, cards and slips with vector QR codes.

Chinese text uses Noto Sans CJK (SIL Open Font License), installed from Debian's
fonts-noto-cjk by `make run`/`make test`; `FontMissing` is raised, never a page of boxes.
"""

import io
import re
import unicodedata
from contextlib import contextmanager

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib import pyplot as plt
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.collections import PatchCollection
from matplotlib.patches import Rectangle

from surveys import qr

# Names and places are text, never TeX: "$\frac{$" in a cadre's name must print as typed
# (matplotlib otherwise parses text between dollar signs as mathtext and raises).
matplotlib.rcParams["text.parse_math"] = False

CJK_FAMILIES = ["Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC"]
A4 = (8.27, 11.69)  # inches, portrait
A5 = (5.83, 8.27)


class FontMissing(RuntimeError):
    pass


def cjk_family() -> str:
    available = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in available:
            return family
    font_manager.fontManager.__init__()  # a font installed after start-up
    available = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in available:
            return family
    raise FontMissing("No CJK font found: install Debian's fonts-noto-cjk (`make fonts`).")


@contextmanager
def cjk_style():
    with plt.rc_context(
        {
            "font.family": [cjk_family()],
            "axes.unicode_minus": False,
            "text.parse_math": False,
            "pdf.fonttype": 3,
            "svg.fonttype": "path",
        }
    ):
        yield


def draw_qr(fig, url: str, *, left: float, bottom: float, size: float) -> None:
    """Draw the QR code of `url` as vector squares in figure coordinates (square in inches)."""
    modules = qr.matrix(url)
    n = len(modules)
    quiet = 4
    ax = fig.add_axes([left, bottom, size, size * fig.get_figwidth() / fig.get_figheight()])
    ax.set_xlim(-quiet, n + quiet)
    ax.set_ylim(n + quiet, -quiet)
    ax.set_aspect("equal")
    ax.axis("off")
    squares = [
        Rectangle((x, y), 1, 1) for y, row in enumerate(modules) for x, v in enumerate(row) if v
    ]
    ax.add_collection(PatchCollection(squares, facecolor="black", edgecolor="black", linewidth=0.1))


# Chinese typesetting (禁则): these never begin a line, these never end one; a number keeps its
# unit and brackets ("（54.5%）" moves down whole).
NO_LINE_START = "，。、；：！？）》」』】”’,.;:!?)%"
NO_LINE_END = "（《「『【“‘("


def text_width(text: str) -> float:
    """Width in ems: a Chinese character is one em, a Latin letter or digit about 0.6."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)


# A Latin word (letters, digits and the signs inside numbers) is kept whole; every Chinese
# character, space or other sign is a token of its own.
TOKENS = re.compile(r"[A-Za-z0-9.,%()'/+-]+|.", re.S)


def pieces(text: str) -> list[str]:
    """The unbreakable pieces of `text`: TOKENS, each glued to the closing sign after it and to
    the opening sign before it."""
    out: list[str] = []
    for token in TOKENS.findall(text):
        glue = out and not token.isspace() and not out[-1].isspace()
        if glue and (token[0] in NO_LINE_START or out[-1][-1] in NO_LINE_END):
            out[-1] += token
        else:
            out.append(token)
    return out


def wrap_cjk(text: str, width: float) -> str:
    """Break text into lines of at most `width` ems: between any two Chinese characters, between
    Latin words but never inside one (unless a word alone is wider than a line), never
    starting a line with closing punctuation or a space."""
    lines = []
    for paragraph in str(text).split("\n"):
        line = ""
        for token in pieces(paragraph):
            if line and text_width(line + token) > width:
                lines.append(line.rstrip())
                line = ""
                if token.isspace():
                    continue
            while text_width(token) > width and len(token) > 1 and not line:
                cut = next(i for i in range(len(token), 0, -1) if text_width(token[:i]) <= width)
                lines.append(token[: max(cut, 1)])
                token = token[max(cut, 1) :]
            line += token
        lines.append(line)
    return "\n".join(lines)


def longest_word(text: str) -> float:
    """The width in ems of the widest unbreakable piece of `text`."""
    return max((text_width(t) for t in pieces(str(text))), default=0.0)


def column_widths(header: list[str], rows: list[list[str]], *, cap: float = 14) -> list[float]:
    """Shares of the width by each column's longest text (capped: a long name wraps instead)."""
    ems = [
        max(
            2.0,
            min(cap, max(text_width(str(row[i])) for row in [header, *rows])),
            # An English header or a word must fit whole: "Cadre" was broken into "Cadr/e".
            max(longest_word(row[i]) + 0.6 for row in [header, *rows]),
        )
        for i in range(len(header))
    ]
    return [em / sum(ems) for em in ems]


def fit_table(ax, *, header: list[str], rows: list[list[str]], widths=None, fontsize):
    """A matplotlib table whose text stays inside its cells: each cell wrapped to its column's
    width, each row as tall as its longest cell."""
    widths = widths or column_widths(header, rows)
    fig = ax.figure
    box = ax.get_position()
    width_pt = box.width * fig.get_figwidth() * 72
    line = fontsize * 1.45 / (box.height * fig.get_figheight() * 72)  # one line, axes fraction
    # matplotlib pads a cell's text by 10% of its width on each side.
    wrapped = [
        [wrap_cjk(c, 0.78 * w * width_pt / fontsize) for c, w in zip(row, widths, strict=True)]
        for row in [header, *rows]
    ]
    table = ax.table(
        cellText=wrapped[1:] or None,
        colLabels=wrapped[0],
        colWidths=widths,
        loc="upper center",
        cellLoc="left",
    )
    table.auto_set_font_size(False)
    table.set_fontsize(fontsize)
    for r, row in enumerate(wrapped):
        height = line * (max(cell.count("\n") for cell in row) + 1.6)
        for c in range(len(row)):
            table[r, c].set_height(height)
    return table


def pdf_bytes(draw_pages, size=A4) -> bytes:
    """Run `draw_pages(new_page)`; each `new_page()` call returns a fresh page-sized figure
    (A4 unless `size`, in inches, says otherwise)."""
    out = io.BytesIO()
    with cjk_style(), PdfPages(out, metadata={"Creator": "Minping"}) as pdf:
        figures = []

        def new_page():
            fig = plt.figure(figsize=size)
            figures.append(fig)
            return fig

        draw_pages(new_page)
        for fig in figures:
            pdf.savefig(fig)
            plt.close(fig)
    return out.getvalue()


def poster(*, url: str, heading: str, lines: list[str], instructions: str) -> bytes:
    """One A4 poster: a large QR code, who and what it rates, how to scan it."""

    def draw(new_page):
        fig = new_page()
        fig.text(0.5, 0.94, heading, ha="center", va="top", fontsize=30, weight="bold")
        for i, line in enumerate(lines):
            fig.text(0.5, 0.87 - i * 0.035, line, ha="center", va="top", fontsize=16)
        draw_qr(fig, url, left=0.12, bottom=0.2, size=0.76)
        fig.text(
            0.5,
            0.18,
            wrap_cjk(instructions, 22),
            ha="center",
            va="top",
            fontsize=17,
            linespacing=1.6,
        )
        fig.text(0.5, 0.07, url, ha="center", va="top", fontsize=11, color="#555555")

    return pdf_bytes(draw)
