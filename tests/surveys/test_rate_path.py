"""The resident's path kept lean (issue 15): statements per GET and POST, the version's form
markup built once and reused, POST/redirect/GET. Untimed: the speed itself is in bench/."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from surveys import tasks, versions
from surveys.forms import ResidentForm
from surveys.models import Response
from surveys.subjects import describe
from tests.surveys.helpers import ANSWERS, open_form

pytestmark = pytest.mark.django_db

PLAIN = {k: v for k, v in ANSWERS.items() if k != "comment"}


@pytest.fixture(autouse=True)
def _as_deployed(settings, monkeypatch):
    # The task backend of a deployment: the scan request is one INSERT in the submission's
    # transaction (the tests' immediate backend would run the whole scan inline).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr("surveys.rules.SPEEDER_SECONDS", 0)
    cache.clear()
    versions.forget()


def test_a_new_phone_gets_the_page_in_at_most_four_statements(visit, django_assert_max_num_queries):
    client = Client()
    client.get(visit.rating_link.get_absolute_url())  # a worker's first page builds the markup
    with django_assert_max_num_queries(4):
        page = Client().get(visit.rating_link.get_absolute_url())
    assert page.status_code == 200 and 'name="ticket"' in page.content.decode()


def test_a_returning_phone_gets_the_page_in_at_most_four_statements(
    visit, django_assert_max_num_queries
):
    phone = Client()
    open_form(phone, visit.rating_link)
    with django_assert_max_num_queries(4):
        page = phone.get(visit.rating_link.get_absolute_url())
    assert page.status_code == 200 and 'name="ticket"' in page.content.decode()


def test_the_form_markup_is_built_once_per_version(visit, monkeypatch):
    built = []
    real = versions.render_to_string
    monkeypatch.setattr(
        versions, "render_to_string", lambda *a, **k: built.append(a[0]) or real(*a, **k)
    )
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            Client().get(visit.rating_link.get_absolute_url())
    assert built == ["surveys/_questions.html"]
    assert not any('FROM "surveys_question"' in q["sql"] for q in queries.captured_queries)


def test_the_reused_markup_is_the_html_a_full_render_gives(visit, rf):
    link = visit.rating_link
    version = link.questionnaire.latest_published()
    form = ResidentForm(version=version, initial={"ticket": "T"})
    context = {"form": form, "link": link, "subject": describe(link)}
    full = render_to_string("surveys/rate.html", context, request=rf.get("/"))
    cached = render_to_string(
        "surveys/rate.html",
        {**context, "questions_html": versions.questions_markup(form)},
        request=rf.get("/"),
    )
    assert cached == full and full.count('<section class="card">') == 12


def test_the_markup_is_built_once_per_version_and_language(visit, monkeypatch):
    built = []
    real = versions.render_to_string
    monkeypatch.setattr(
        versions, "render_to_string", lambda *a, **k: built.append(a[0]) or real(*a, **k)
    )
    url = visit.rating_link.get_absolute_url()
    pages = [Client(HTTP_ACCEPT_LANGUAGE=lang).get(url).content.decode() for lang in LANGS]
    assert len(built) == 2  # one Chinese and one English markup, each reused afterwards
    for lang, page in zip(LANGS, pages, strict=True):
        english = lang == "en"
        assert ("<span>Very dissatisfied</span>" in page) is english
        assert ("<span>很不满意</span>" in page) is not english
        assert ("Work attitude" in page) is english
        assert ("Please rate from your own experience" in page) is english


LANGS = ["zh-hans", "en", "zh-hans", "en"]


def test_an_english_phone_gets_the_page_in_at_most_four_statements(
    visit, django_assert_max_num_queries
):
    url = visit.rating_link.get_absolute_url()
    Client(HTTP_ACCEPT_LANGUAGE="en").get(url)
    with django_assert_max_num_queries(4):
        page = Client(HTTP_ACCEPT_LANGUAGE="en").get(url)
    assert "<span>Very satisfied</span>" in page.content.decode()


def test_a_question_without_english_shows_its_chinese(visit):
    version = visit.rating_link.questionnaire.latest_published()
    version.questions.filter(code="burden").update(text_en="")  # a version edited in Chinese only
    versions.forget()
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(visit.rating_link.get_absolute_url())
    html = page.content.decode()
    assert "是否增加基层负担" in html and "Did they accept meals or gifts?" in html


def _post(phone, link, ticket, answers=PLAIN):
    return phone.post(link.get_absolute_url(), {**answers, "ticket": ticket})


def _statements(django_assert_max_num_queries, postgresql, sqlite):
    return django_assert_max_num_queries(
        postgresql if connection.vendor == "postgresql" else sqlite
    )


def test_a_plain_rating_reads_nothing_and_is_one_insert_on_postgresql(
    visit, django_assert_max_num_queries, monkeypatch
):
    """Once a scan of the link is requested (the rest of a meeting's burst): no read before the
    insert. A test runs inside its own transaction, so the submission's shows as a savepoint
    around it: on PostgreSQL the one INSERT of the response with its answers (alone in service:
    one statement, its own transaction), on SQLite the response's and the answers' INSERTs."""
    monkeypatch.setattr(tasks, "SCAN_DELAY", dt.timedelta(minutes=5))  # however slow this runs
    _post(Client(), visit.rating_link, open_form(Client(), visit.rating_link)[1])
    phone = Client()
    _, ticket = open_form(phone, visit.rating_link)
    with _statements(django_assert_max_num_queries, 3, 4) as queries:
        answer = _post(phone, visit.rating_link, ticket)
    assert answer.status_code == 303, answer.status_code
    sql = [q["sql"] for q in queries.captured_queries]
    assert sql[0].startswith("SAVEPOINT") and sql[-1].startswith("RELEASE SAVEPOINT"), sql
    assert not any(s.startswith("SELECT") for s in sql), sql
    assert Response.objects.filter(link=visit.rating_link).count() == 2


def test_the_scan_request_follows_the_commit(visit, django_assert_max_num_queries):
    """The first rating of a link also asks for a scan; its task row is written after the
    response's transaction, never inside it (on SQLite that held the one write lock)."""
    phone = Client()
    _, ticket = open_form(phone, visit.rating_link)
    with _statements(django_assert_max_num_queries, 4, 5) as queries:
        answer = _post(phone, visit.rating_link, ticket)
    assert answer.status_code == 303
    sql = [q["sql"] for q in queries.captured_queries]
    released = next(i for i, s in enumerate(sql) if s.startswith("RELEASE SAVEPOINT"))
    task = next(i for i, s in enumerate(sql) if DBTaskResult._meta.db_table in s)
    assert released < task, sql


def test_post_redirects_to_a_thank_you_page_that_back_never_resubmits(visit):
    phone = Client()
    _, ticket = open_form(phone, visit.rating_link)
    answer = _post(phone, visit.rating_link, ticket)
    assert answer["Location"] == f"/r/{visit.rating_link.token}/thanks/"  # no id in any log
    for _ in range(2):  # reloading the thank-you page stores nothing
        page = phone.get(answer["Location"])
        assert page.status_code == 200 and "评价已收到" in page.content.decode()
    assert Response.objects.count() == 1


def test_no_address_carries_anything_of_the_stored_response(visit):
    """Scenario: the thank-you address carried the signed submission id, which the response row
    stores, so any proxy's access log line tied the client's address and browser to the row.
    Now the id travels in a signed cookie for that path only; another browser gets a 404."""
    phone = Client()
    _, ticket = open_form(phone, visit.rating_link)
    answer = _post(phone, visit.rating_link, ticket)
    stored = Response.objects.get()
    assert stored.submission_id.hex not in answer["Location"]
    cookie = answer.cookies["mp_thanks"]
    assert cookie["path"] == answer["Location"] and cookie["httponly"]
    assert phone.get(answer["Location"]).status_code == 200
    assert Client().get(answer["Location"]).status_code == 404
    # A browser that keeps no cookies gets the thank-you page as the answer to its POST.
    shy = Client()
    _, ticket = open_form(shy, visit.rating_link)
    shy.cookies.clear()
    page = _post(shy, visit.rating_link, ticket)
    assert page.status_code == 200 and "评价已收到" in page.content.decode()
    assert "mp_thanks" not in page.cookies


def test_a_retry_is_redirected_to_the_same_thank_you_page(visit):
    phone = Client()
    _, ticket = open_form(phone, visit.rating_link)
    first = _post(phone, visit.rating_link, ticket)
    again = _post(phone, visit.rating_link, ticket)
    assert again.status_code == 303 and again["Location"] == first["Location"]
    assert Response.objects.count() == 1


def test_the_thank_you_page_needs_a_signed_stored_submission(visit, client):
    url = f"/r/{visit.rating_link.token}/thanks/"
    assert client.get(url).status_code == 404
    assert client.get(url + "?s=forged").status_code == 404
    assert client.post(url).status_code == 405
