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


@pytest.mark.parametrize("size", ["a3", "A3", "garbage", ""])
def test_a_wrong_paper_size_is_named_beside_the_field_and_nothing_typed_is_lost(
    client, visit, officer, size
):
    page = client.post(f"/staff/visits/{visit.pk}/paper/print/", {"count": 7, "size": size})
    assert page.status_code == 400
    text = page.content.decode()
    assert "纸张只能选 A4 或 A5。" in text
    assert 'id="error_1_id_size"' in text  # beside the paper field
    assert 'name="count" value="7"' in text  # the typed count stays
    assert "请填写 1 至 500 之间的份数" not in text  # was the only message, whatever was wrong
    assert not PaperBatch.objects.exists()


def test_a_wrong_count_is_named_and_the_chosen_size_kept(client, visit, officer):
    page = client.post(f"/staff/visits/{visit.pk}/paper/print/", {"count": 501, "size": "a5"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "请填写 1 至 500 之间的份数。" in text and "纸张只能选" not in text
    assert 'name="count" value="501"' in text and '<option value="a5" selected>' in text
    assert not PaperBatch.objects.exists()


def test_a_closed_link_refuses_printing_on_the_same_page(client, visit, officer):
    visit.rating_link.is_enabled = False
    visit.rating_link.save()
    page = client.post(f"/staff/visits/{visit.pk}/paper/print/", {"count": 12, "size": "a5"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "评价链接已关闭，不能再打印纸质问卷。" in text and 'name="count" value="12"' in text
    assert not PaperBatch.objects.exists()


def test_a_wrong_size_in_the_pdf_address_says_which_sizes_exist(client, visit, officer):
    client.post(f"/staff/visits/{visit.pk}/paper/print/", {"count": 1, "size": "a4"})
    batch = PaperBatch.objects.get()
    url = f"/staff/visits/{visit.pk}/paper/batches/{batch.pk}/sheets.pdf"
    page = client.get(url, {"size": "a3"}, follow=True)
    assert page.redirect_chain == [(f"/staff/visits/{visit.pk}/paper/", 302)]
    assert "纸张只能选 A4 或 A5。" in page.content.decode()
    assert client.get(url, {"size": "A5"})["Content-Type"] == "application/pdf"
