"""Printed paper questionnaires (issue 19 §3): A4 or A5, the link's published version with its
number, every question and choice, a sheet number on every page and a QR code that a real decoder
reads back to the link and the sheet, never to a resident. Batches continue the numbering and are
recorded, so only printed sheet numbers exist."""

import subprocess

import pytest

from surveys.paper.codes import read_sheet_code
from surveys.paper.models import PaperBatch
from tests.conftest import ensure_tool
from tests.factories import staff_user

pytestmark = pytest.mark.django_db


def _pdf_text(path) -> str:
    pdftotext = ensure_tool("pdftotext", "poppler-utils")
    return subprocess.run(
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _page_size(path) -> str:
    pdfinfo = ensure_tool("pdfinfo", "poppler-utils")
    out = subprocess.run([pdfinfo, str(path)], capture_output=True, text=True, check=True).stdout
    return next(line for line in out.splitlines() if line.startswith("Page size"))


def _codes(pdf, tmp_path) -> list[str]:
    pdftoppm = ensure_tool("pdftoppm", "poppler-utils")
    zbarimg = ensure_tool("zbarimg", "zbar-tools")
    subprocess.run([pdftoppm, "-r", "150", "-png", str(pdf), str(tmp_path / "p")], check=True)
    codes = []
    for png in sorted(tmp_path.glob("p-*.png")):
        out = subprocess.run([zbarimg, "--raw", "-q", str(png)], capture_output=True, text=True)
        codes += out.stdout.split()
    return codes


@pytest.fixture
def officer(client, visit):
    user = staff_user("officer", visit.lead.unit, "personnel")
    client.force_login(user)
    return user


def test_a4_batch_prints_every_question_the_version_and_a_readable_qr_per_sheet(
    client, visit, officer, tmp_path
):
    page = client.post(f"/staff/visits/{visit.pk}/paper/print/", {"count": 3, "size": "a4"})
    batch = PaperBatch.objects.get(link=visit.rating_link)
    assert (batch.first, batch.last, batch.printed_by) == (1, 3, officer)
    assert page.status_code == 302 and page["Location"].endswith(
        f"/paper/batches/{batch.pk}/sheets.pdf"
    )
    pdf = client.get(page["Location"] + "?size=a4")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    path = tmp_path / "sheets.pdf"
    path.write_bytes(pdf.content)
    text = _pdf_text(path)
    version = visit.rating_link.questionnaire.latest_published()
    assert f"问卷版本 {version.number}" in text
    for q in version.ordered_questions():
        assert q.text in text
        for choice in q.choices.all():
            assert choice.label in text
    for sheet in (1, 2, 3):
        assert f"No. {sheet}" in text
    assert "(A4)" in _page_size(path)
    codes = _codes(path, tmp_path)
    token = visit.rating_link.token
    # Every page carries its sheet's code; it names the link and the sheet, nothing else.
    assert {read_sheet_code(code) for code in codes} == {(token, 1), (token, 2), (token, 3)}
    assert all(code.count(":") == 2 for code in codes)


def test_a5_is_a5_and_a_second_batch_continues_the_numbering(client, visit, officer, tmp_path):
    client.post(f"/staff/visits/{visit.pk}/paper/print/", {"count": 2, "size": "a4"})
    page = client.post(f"/staff/visits/{visit.pk}/paper/print/", {"count": 2, "size": "a5"})
    batches = list(PaperBatch.objects.filter(link=visit.rating_link).order_by("first"))
    assert [(b.first, b.last, b.size) for b in batches] == [(1, 2, "a4"), (3, 4, "a5")]
    pdf = client.get(page["Location"])  # the batch's own size
    path = tmp_path / "a5.pdf"
    path.write_bytes(pdf.content)
    assert "(A5)" in _page_size(path)
    text = _pdf_text(path)
    assert "No. 3" in text and "No. 4" in text and "No. 1\n" not in text
    token = visit.rating_link.token
    assert {read_sheet_code(c) for c in _codes(path, tmp_path)} == {(token, 3), (token, 4)}


def test_printing_is_scoped_to_the_visits_the_user_sees(client, visit, world):
    _province, _city, counties = world
    stranger = staff_user("stranger", counties["350902"]["county"], "personnel")
    client.force_login(stranger)
    page = client.post(f"/staff/visits/{visit.pk}/paper/print/", {"count": 3, "size": "a4"})
    assert page.status_code == 404
    assert not PaperBatch.objects.exists()


def test_an_unknown_paper_size_is_no_page(client, visit, officer):
    client.post(f"/staff/visits/{visit.pk}/paper/print/", {"count": 1, "size": "a4"})
    batch = PaperBatch.objects.get()
    assert (
        client.get(
            f"/staff/visits/{visit.pk}/paper/batches/{batch.pk}/sheets.pdf?size=a3"
        ).status_code
        == 404
    )
