"""QR codes that a real decoder (zbarimg) reads back to exactly the rating URL."""

import subprocess

import pytest
from django.contrib.auth.models import User

from tests.conftest import ensure_tool
from tests.factories import staff_user

pytestmark = pytest.mark.django_db


def decode(path) -> list[str]:
    zbarimg = ensure_tool("zbarimg", "zbar-tools")
    out = subprocess.run([zbarimg, "--raw", "-q", str(path)], capture_output=True, text=True)
    return out.stdout.split()


def test_token_is_short_url_safe_and_random(visit):
    from surveys.models import new_token

    token = visit.rating_link.token
    assert 12 <= len(token) <= 32
    assert all(c.isalnum() or c in "-_" for c in token)
    assert len({new_token() for _ in range(1000)}) == 1000
    assert len(new_token()) * 6 >= 64  # ≥ 64 bits of randomness


def test_png_decodes_to_exactly_the_url(client, visit, tmp_path):
    page = client.get(f"/r/{visit.rating_link.token}/qr.png")
    assert page.status_code == 200 and page["Content-Type"] == "image/png"
    (tmp_path / "qr.png").write_bytes(page.content)
    assert decode(tmp_path / "qr.png") == [f"http://testserver/r/{visit.rating_link.token}/"]


def test_svg_is_served(client, visit):
    page = client.get(f"/r/{visit.rating_link.token}/qr.svg")
    assert page.status_code == 200 and page["Content-Type"] == "image/svg+xml"
    assert b"<svg" in page.content


def test_qr_of_unknown_token_is_404(client, questionnaire):
    assert client.get("/r/unknownToken1234/qr.png").status_code == 404


def test_qr_stays_low_version_for_printing(visit):
    from surveys import qr

    assert qr.make(visit.rating_link.public_url()).version <= 4


def test_poster_pdf_decodes_and_names_the_visit(client, visit, world, tmp_path):
    ensure_tool("pdftoppm", "poppler-utils")
    user = staff_user("officer", visit.lead.unit, "personnel")
    client.force_login(user)
    page = client.get(f"/staff/visits/{visit.pk}/poster.pdf")
    assert page.status_code == 200 and page["Content-Type"] == "application/pdf"
    assert page.content.startswith(b"%PDF")
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(page.content)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1
    assert decode(pages[0]) == [visit.rating_link.public_url()]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    for expected in ("扫码评价", visit.lead.name, "调查研究"):
        assert expected in text.replace(" ", "")


def test_poster_needs_login_and_jurisdiction(client, visit, world):
    assert client.get(f"/staff/visits/{visit.pk}/poster.pdf").status_code == 302
    _, _, counties = world
    outsider = staff_user("outsider", counties["350902"]["county"], "personnel")
    client.force_login(outsider)
    assert client.get(f"/staff/visits/{visit.pk}/poster.pdf").status_code == 404
    assert User.objects.count() == 1
