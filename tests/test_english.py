"""English mode is complete (issue 18 §8): every staff page, walked as an administrator who
chose English, and the resident's pages with an English browser, show no Chinese character
except in what users typed (unit, cadre and place names, titles, notes, comments)."""

import io
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from tests.factories import staff_user
from tests.test_access_matrix import PAGES, PUBLIC, url_for, walk, world  # noqa: F401

pytestmark = pytest.mark.django_db

# Chinese words, and the Chinese comma that English sentences built around data used to carry.
CJK = re.compile(r"[\u4e00-\u9fff，]+")
# Text our code writes and must render in the reader's language: never stripped as user data.
OURS = {
    ("surveys", "question", "text"),
    ("surveys", "question", "help_text"),
    ("surveys", "choice", "label"),
    ("surveys", "questionnaireversion", "intro"),
    ("evaluations", "reminder", "text"),  # rows from before reminders kept a message
    ("evaluations", "appraisallog", "detail"),  # likewise the appraisal log
}
# The language selector names Chinese in Chinese, so a reader who cannot read English finds it.
SELECTOR = re.compile(r'aria-label="Language / 语言"|<option value="zh-hans">中文</option>')
# Words a user types or a file must carry, quoted in the English help: the roster's sheet names
# and the appraisal list's markers (预备 after a name, 班子 for a leadership team).
LITERAL = ("“单位”", "“干部”", "“预备”", "“班子”")
SKIP = {"staff:logout", "set_language"}


def user_data() -> list[str]:
    """Every stored text with a Chinese character, from our apps' text fields, longest first
    (a name inside a longer title goes with the title); the rule sets' texts we ship are ours."""
    from evaluations.quota.policy_data import TEXTS
    from surveys.defaults import SHIPPED_TITLES

    found = set()
    for model in apps.get_models():
        if model._meta.app_label not in {"surveys", "evaluations", "analytics"}:
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, models.CharField | models.TextField) or field.choices:
                continue
            if (model._meta.app_label, model._meta.model_name, field.name) in OURS:
                continue
            values = model._default_manager.values_list(field.name, flat=True)
            found |= {v for v in values if v and CJK.search(v)}
    return sorted(found - TEXTS - SHIPPED_TITLES, key=len, reverse=True)


def leftover(html: str, data: list[str]) -> list[str]:
    from django.utils.html import escape

    html = SELECTOR.sub("", html)
    for word in LITERAL:
        html = html.replace(word, "")
    for value in data:
        html = html.replace(escape(value), "").replace(value, "")
    text = re.sub(r"\s+", " ", html)
    return [text[max(m.start() - 30, 0) : m.end() + 10] for m in CJK.finditer(text)]


@pytest.fixture
def english(world):  # noqa: F811
    a, _b, objects, _shuji = world
    user = staff_user("root-en", a["county"], "admin", cadre=objects["cadre"])
    client = Client(raise_request_exception=False)
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client, objects


def test_every_staff_page_is_english(english):
    client, objects = english
    data = user_data()
    wrong = {}
    for name, pattern in walk():
        if name in SKIP or PAGES[name] == PUBLIC:
            continue
        response = client.get(url_for(name, pattern, objects))
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        left = leftover(response.content.decode(), data)
        if left:
            wrong[name] = left
    assert wrong == {}, "\n".join(f"{k}: {v}" for k, v in wrong.items())


def test_the_resident_pages_are_english(english):
    _staff, objects = english
    resident = Client(HTTP_ACCEPT_LANGUAGE="en")
    data = user_data()
    left = []
    for url in (f"/r/{objects['token']}/", "/b/", "/b/receipt/"):
        page = resident.get(url)
        assert page.status_code == 200 and '<html lang="en">' in page.content.decode(), url
        left += [f"{url}: {snippet}" for snippet in leftover(page.content.decode(), data)]
    assert left == [], "\n".join(left)


def _cells(response) -> str:
    """Every text of a downloaded CSV or Excel file, tab-separated."""
    if response["Content-Type"].startswith("text/csv"):
        return response.content.decode("utf-8-sig")
    book = load_workbook(io.BytesIO(response.content))
    texts = [sheet.title for sheet in book.worksheets]
    for sheet in book.worksheets:
        texts += [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
    return "\t".join(texts)


def test_downloads_are_english(english):
    client, objects = english
    session, cycle = objects["session"], objects["cycle"]
    urls = [
        "/staff/reports/scores.csv?year=2026",
        "/staff/reports/scores.xlsx?year=2026",
        "/staff/compliance/download.csv?year=2026",
        "/staff/compliance/download.xlsx?year=2026",
        f"/staff/reports/assessment/{cycle.pk}/table.xlsx",
        f"/staff/appraisal/{session.pk}/results.xlsx",
        f"/staff/reports/summary/?unit={cycle.unit.code}&year=2026&format=xlsx",
        "/staff/visits/?format=xlsx",
        "/staff/cases/?format=xlsx",
        "/staff/appraisal/?format=xlsx",
    ]
    data = user_data()
    wrong = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        left = leftover(_cells(response), data)
        if left:
            wrong[url] = left
    assert wrong == {}, "\n".join(f"{k}: {v}" for k, v in wrong.items())


def test_chart_labels_and_pdf_headers_are_english():
    import pandas as pd

    from analytics import charts, exports

    table = pd.DataFrame(
        {
            "enough": [True],
            **{f"{d}_{k}": [4.0] for d in ("attitude", "style", "results") for k in KINDS},
        },
        index=[1],
    )
    with translation.override("en"):
        figure = charts.dimensions_figure(table, {1: "Lin"})
        axis = figure.axes[0]
        words = [axis.get_title(), axis.get_ylabel(), *(t.get_text() for t in axis.texts)]
        words += [t.get_text() for t in axis.get_legend().get_texts()]
        words += exports.score_header()
        insufficient = exports.score_cells([{"name": "Lin", "unit": "U", "n": 4}])[0]
    assert words and not CJK.search(" ".join(words)), words
    assert insufficient[9] == "Sample too small"


KINDS = ("mean", "low", "high")


def test_the_demo_county_reads_in_english(questionnaire):
    """The demo county (many ratings, closed appraisals, a computed assessment): every page
    without parameters, and a visit, a case, an appraisal's results and the assessment."""
    from django.urls import reverse

    from analytics.assessment import runs
    from evaluations import demo
    from evaluations.cycles.services import create_cycle
    from evaluations.models import AppraisalSession, Case, OrgUnit, Visit

    demo.seed()
    cycle = create_cycle(unit=OrgUnit.objects.get(code=demo.COUNTY_CODE), year=2026)
    runs.run_all(runs.start(cycle))
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_superuser("root-demo", password="pw-for-tests-1"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    session = AppraisalSession.objects.exclude(result=None).first()
    urls = [
        reverse(name) + "?year=2026"
        for name, pattern in walk()
        if name not in SKIP and PAGES[name] != PUBLIC and not pattern.pattern.regex.groupindex
    ]
    urls += [
        f"/staff/reports/assessment/{cycle.pk}/",
        f"/staff/appraisal/{session.pk}/results/",
        f"/staff/cases/{Case.objects.first().pk}/",
        f"/staff/visits/{Visit.objects.first().pk}/",
    ]
    data = user_data()
    wrong = {}
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and "text/html" in response["Content-Type"]:
            left = leftover(response.content.decode(), data)
            if left:
                wrong[url] = left
    assert wrong == {}, "\n".join(f"{k}: {v}" for k, v in wrong.items())
