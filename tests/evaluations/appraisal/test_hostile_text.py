"""Appraisal subjects and titles are text in the results XLSX/PDF and on printed slips
(issue 14 §6, §7); slips render before their codes are stored."""

import io

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from evaluations.appraisal import services
from surveys.ballots import slips
from surveys.ballots.models import AdmissionCode
from tests.evaluations.appraisal.helpers import branch_of, make_session, secretary

pytestmark = pytest.mark.django_db
NAME = '=HYPERLINK("http://evil.example","点我")$\\frac{$'


@pytest.fixture
def session(world):
    cache.clear()
    branch, _ = branch_of(world)
    shuji = secretary(branch)
    made = make_session(branch, shuji, members=(NAME, "乙党员"), probationary=())
    made.period = "2026年度$\\frac{$"
    made.save()
    return made, shuji


def test_slips_results_xlsx_and_pdf(client, session):
    made, shuji = session
    client.force_login(shuji)
    group = made.groups.first()
    issued = client.post(f"/staff/appraisal/{made.pk}/codes/", {"group": group.pk, "count": 2})
    assert issued.status_code == 200 and issued.content.startswith(b"%PDF")
    services.close_session(session=made, actor=shuji)
    xlsx = client.get(f"/staff/appraisal/{made.pk}/results.xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    found = [c for s in book.worksheets for row in s.iter_rows() for c in row if c.value == NAME]
    assert found and all(c.data_type == "s" for c in found)
    pdf = client.get(f"/staff/appraisal/{made.pk}/results.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_codes_that_cannot_be_printed_are_not_stored(client, session, monkeypatch):
    made, shuji = session
    client.raise_request_exception = False

    def broken(**kwargs):
        raise RuntimeError("the printer's renderer failed")

    monkeypatch.setattr(slips, "slips_pdf", broken)
    client.force_login(shuji)
    group = made.groups.first()
    refused = client.post(f"/staff/appraisal/{made.pk}/codes/", {"group": group.pk, "count": 2})
    assert refused.status_code == 500
    assert not AdmissionCode.objects.filter(box=made.box).exists()
