"""Every long staff list (surveys.listing) exports a file named with what, the reader's unit and
the chosen period, with columns as wide as their contents and the header row frozen."""

import io
from urllib.parse import unquote

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from evaluations import demo
from evaluations.models import Cadre, Visit
from surveys.cells import text_width
from tests.analytics.conftest import add_responses
from tests.factories import staff_user
from tests.sheets import assert_fitted

pytestmark = pytest.mark.django_db

# list address, its title (the start of the file name)
LISTS = {
    "visits": ("/staff/visits/", "下基层活动"),
    "cases": ("/staff/cases/", "问题台账"),
    "discipline": ("/staff/discipline/", "作风纪律与诚信线索"),
    "review": ("/staff/review/", "可疑评价复核"),
    "appraisal": ("/staff/appraisal/", "民主评议"),
}


@pytest.fixture
def officer(client, questionnaire):
    demo.seed()
    county = Cadre.objects.get(code="C001").unit
    visit = Visit.objects.filter(status=Visit.Status.DONE).order_by("pk").first()
    add_responses(visit, [(1, 1, 1)] * 3, review="flagged")
    client.force_login(staff_user("officer", county, "personnel", "discipline"))
    client.county = county
    return client


def disposition(response) -> str:
    return unquote(response["Content-Disposition"])


def test_each_list_names_its_file_with_what_unit_and_the_chosen_period(officer):
    county = officer.county.name
    for name, (url, title) in LISTS.items():
        response = officer.get(f"{url}?format=xlsx")
        # The discipline page always reads one year, this one unless another is asked for.
        period = f"-{timezone.localdate().year}" if name == "discipline" else ""
        assert response.status_code == 200
        assert disposition(response).endswith(f"{title}-{county}{period}.xlsx"), name
    chosen = {
        "visits": f"year={demo.YEAR}",
        "cases": f"year={demo.YEAR}",
        "discipline": f"year={demo.YEAR}",
        "review": f"year={demo.YEAR}",
        "appraisal": "period=2025年度",
    }
    for name, query in chosen.items():
        url, title = LISTS[name]
        period = query.split("=")[1]
        response = officer.get(f"{url}?{query}&format=xlsx")
        assert disposition(response).endswith(f"{title}-{county}-{period}.xlsx"), name


def test_list_columns_fit_their_contents_and_the_header_stays(officer):
    for url, _title in LISTS.values():
        sheet = load_workbook(io.BytesIO(officer.get(f"{url}?format=xlsx").content)).active
        assert_fitted(sheet, header_row=2)  # the title and the header row stay in view


def test_a_cjk_character_counts_double():
    assert text_width("清溪县") == 6 and text_width("ab") == 2 and text_width("甲\nabcde") == 5
