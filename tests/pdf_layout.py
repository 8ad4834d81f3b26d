"""Text that leaves its table cell, found in the rendered PDF itself: pdftotext -bbox gives every
word's box, pdftoppm the page as pixels, and a cell border is a dark vertical line running above and
below a word. A border through a word, or a word off the page, is an overflow."""

import re
import subprocess
from pathlib import Path

from PIL import Image

from tests.conftest import ensure_tool

DPI = 150
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
DARK = 160  # grey level below which a pixel is ink


def _words(path: Path) -> list[list[tuple]]:
    ensure_tool("pdftotext", "poppler-utils")
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = xml.split("<page ")[1:]
    return [
        [(*map(float, m.groups()[:4]), m.group(5)) for m in WORD.finditer(page)] for page in pages
    ]


def _images(path: Path, tmp: Path) -> list[Image.Image]:
    ensure_tool("pdftoppm", "poppler-utils")
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", str(path), str(tmp / "p")], check=True)
    return [Image.open(p) for p in sorted(tmp.glob("p-*.pgm"))]


def _crossed(image, x0, y0, x1, y1) -> bool:
    """A dark column inside the word that also runs 3 px above and below its box."""
    scale = DPI / 72
    top, bottom = int(y0 * scale) - 3, int(y1 * scale) + 3
    if top < 0 or bottom >= image.height:
        return False
    for x in range(int(x0 * scale) + 2, int(x1 * scale) - 1):
        if all(image.getpixel((x, y)) < DARK for y in range(top, bottom + 1)):
            return True
    return False


def overflows(pdf: bytes, tmp: Path) -> list[str]:
    """Words crossed by a line (a cell border) or beyond the page, as 'page N: word'."""
    path = tmp / "doc.pdf"
    path.write_bytes(pdf)
    xml_pages = _words(path)
    size = PAGE.search(
        subprocess.run(
            ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True
        ).stdout
    )
    width, height = float(size.group(1)), float(size.group(2))
    found = []
    for number, (words, image) in enumerate(zip(xml_pages, _images(path, tmp), strict=True), 1):
        for x0, y0, x1, y1, text in words:
            off_page = x0 < 0 or y0 < 0 or x1 > width or y1 > height
            if off_page or _crossed(image, x0, y0, x1, y1):
                found.append(f"page {number}: {text}")
    return found


def lines(pdf: bytes, tmp: Path) -> list[str]:
    path = tmp / "text.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True)
    return [line.strip() for line in out.stdout.splitlines() if line.strip()]


NO_LINE_START = (")", "%", "）", "，", "。")


def _follows(word, before) -> bool:
    """`word` continues the line of `before`: boxes side by side (a font change splits a line
    into words: Chinese and digits come from two fonts) and overlapping vertically."""
    x0, y0, _x1, y1, _text = word
    _bx0, by0, bx1, by1, _btext = before
    overlap = min(y1, by1) - max(y0, by0)
    return -1 <= x0 - bx1 <= 4 and overlap > 0.5 * min(y1 - y0, by1 - by0)


def line_starts(pdf: bytes, tmp: Path) -> list[str]:
    """The first word of every line as seen on the page (each line of a table cell too)."""
    path = tmp / "lines.pdf"
    path.write_bytes(pdf)
    return [
        word[4]
        for words in _words(path)
        for word in words
        if not any(_follows(word, other) for other in words if other is not word)
    ]


def bad_line_starts(pdf: bytes, tmp: Path) -> list[str]:
    """Lines that begin with a closing bracket, a unit sign or a comma or full stop."""
    return [word for word in line_starts(pdf, tmp) if word.startswith(NO_LINE_START)]
