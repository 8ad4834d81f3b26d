"""QR codes for rating links and ballot slips (segno)."""

import io

import segno

# Medium error correction survives a crease or a smudge on a printed poster while keeping the
# code at a low version for a ~40-character URL.
ERROR = "m"


def make(url: str) -> segno.QRCode:
    return segno.make_qr(url, error=ERROR, boost_error=False)


def png(url: str, scale: int = 8) -> bytes:
    out = io.BytesIO()
    make(url).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def svg(url: str, scale: int = 8) -> bytes:
    out = io.BytesIO()
    make(url).save(out, kind="svg", scale=scale, border=4, xmldecl=True)
    return out.getvalue()


def matrix(url: str) -> list[list[bool]]:
    """The module matrix without border, for drawing the code as vectors in a PDF."""
    return [[bool(v) for v in row] for row in make(url).matrix]
