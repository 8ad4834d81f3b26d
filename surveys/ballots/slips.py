"""Printable A4 ballot slips (选票条): ten per page, each with its code and the QR of its URL.

The codes exist in clear only in this PDF, produced once when they are issued. matplotlib is
imported when a PDF is drawn: the session pages that show `entry_url` stay light."""

from django.conf import settings
from django.utils.translation import gettext as _

from surveys.ballots import codes

COLUMNS, ROWS = 2, 5
MONO = "DejaVu Sans Mono"  # bundled with matplotlib: 2 and Z, 5 and S stay distinct


def ballot_url(code: str) -> str:
    return f"{settings.SITE_URL}/b/{code}/"


def entry_url() -> str:
    return f"{settings.SITE_URL}/b/"


def _draw_slip(fig, left, bottom, width, height, *, title, slip):
    from matplotlib.patches import Rectangle

    from surveys import printing

    serial, code, group_name = slip
    fig.add_artist(
        Rectangle(
            (left, bottom),
            width,
            height,
            fill=False,
            linestyle=(0, (4, 3)),
            linewidth=0.6,
            edgecolor="#888888",
            transform=fig.transFigure,
        )
    )
    x, top = left + 0.02, bottom + height - 0.02
    fig.text(x, top, printing.wrap_cjk(title, 14), fontsize=10, weight="bold", va="top")
    fig.text(
        x,
        top - 0.045,
        _("评议组：%(group_name)s") % {"group_name": group_name} + f"    No.{serial:04d}",
        fontsize=9,
        va="top",
    )
    fig.text(x, top - 0.072, codes.display(code), fontsize=17, family=MONO, va="top")
    fig.text(x, bottom + 0.05, _("扫码投票，或打开网址输入投票码："), fontsize=7, va="bottom")
    fig.text(x, bottom + 0.03, entry_url(), fontsize=8, family=MONO, va="bottom")
    fig.text(
        x,
        bottom + 0.01,
        _("一码一票，仅限使用一次；请勿给他人看。"),
        fontsize=7,
        color="#333333",
        va="bottom",
    )
    printing.draw_qr(
        fig, ballot_url(code), left=left + width - 0.19, bottom=bottom + 0.03, size=0.17
    )


def slips_pdf(*, title: str, slips: list[tuple[int, str, str]]) -> bytes:
    """`slips`: (serial, code, group name) triples, printed in the given order."""
    from surveys import printing  # matplotlib: loaded when slips are printed, not by web workers

    per_page = COLUMNS * ROWS
    width, height = 0.92 / COLUMNS, 0.94 / ROWS

    def draw(new_page):
        for start in range(0, len(slips), per_page):
            fig = new_page()
            for i, slip in enumerate(slips[start : start + per_page]):
                row, col = divmod(i, COLUMNS)
                left, bottom = 0.04 + col * width, 0.97 - (row + 1) * height
                _draw_slip(fig, left, bottom, width, height, title=title, slip=slip)

    return printing.pdf_bytes(draw)
