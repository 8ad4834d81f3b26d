"""A resident's response is stored by one INSERT … SELECT over its link (surveys/inserts.py):
the insert itself checks that the link is open and offers the version, and stores the rows as
the models would. Run on SQLite and on PostgreSQL (where answers and flags ride along)."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from surveys import versions
from surveys.forms import read_ticket
from surveys.models import Answer, Flag, Questionnaire, QuestionnaireVersion, Response
from surveys.services import Outcome, new_draft, publish, submit_response
from tests.surveys.helpers import ANSWERS, open_form, rate

pytestmark = pytest.mark.django_db

NOW = timezone.now


def _submit(link, version, cleaned=None, **kwargs):
    return submit_response(
        link_id=link.pk,
        token=kwargs.pop("token", link.token),
        version=version,
        submission_id=uuid.uuid4(),
        device_id=kwargs.pop("device_id", "d" * 22),
        cleaned=ANSWERS if cleaned is None else cleaned,
        **kwargs,
    )


def _disable(link, version):
    link.is_enabled = False
    link.save()


def _expire(link, version):
    link.valid_from, link.valid_until = NOW() - dt.timedelta(days=2), NOW() - dt.timedelta(hours=1)
    link.save()


def _not_yet(link, version):
    link.valid_from, link.valid_until = NOW() + dt.timedelta(hours=1), NOW() + dt.timedelta(days=2)
    link.save()


def _fill(link, version):
    link.max_responses = 1
    link.save()
    assert _submit(link, version) is Outcome.STORED


def _retire(link, version):
    # As another worker sees it: the row changes, this worker's memory is not told.
    QuestionnaireVersion.objects.filter(pk=version.pk).update(status="retired")


@pytest.mark.parametrize("close", [_disable, _expire, _not_yet, _fill, _retire])
def test_the_insert_lets_nothing_into_a_closed_link(visit, close):
    link = visit.rating_link
    version = link.questionnaire.latest_published()
    close(link, version)
    before = Response.objects.count()
    assert _submit(link, version) is Outcome.CLOSED
    assert Response.objects.count() == before


def test_the_insert_checks_the_token_and_the_links_questionnaire(visit):
    link = visit.rating_link
    version = link.questionnaire.latest_published()
    assert _submit(link, version, token="NoSuchToken12345") is Outcome.CLOSED
    other = Questionnaire.objects.exclude(pk=link.questionnaire_id).first().latest_published()
    assert _submit(link, other) is Outcome.CLOSED
    assert not Response.objects.exists()


def test_a_version_retired_elsewhere_sends_the_phone_back_to_the_form(visit):
    """A phone's page showed a version that another worker has since replaced and retired,
    while this worker still holds it: the insert refuses it, nothing is stored, and the phone
    gets the form of the version now published with a fresh ticket."""
    phone = Client()
    _, ticket = open_form(phone, visit.rating_link)
    old = visit.rating_link.questionnaire.latest_published()
    new = publish(version=new_draft(from_version=old))
    versions.published(old.pk)  # this worker's memory, never told
    QuestionnaireVersion.objects.filter(pk=old.pk).update(status="retired")
    with CaptureQueriesContext(connection) as queries:
        answer = rate(phone, visit.rating_link, ticket=ticket)
    assert answer.status_code == 400 and not Response.objects.exists()
    # The insert tried first (nothing read before it) and refused; then the full path explained.
    first = next(q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"])
    assert first.startswith(("INSERT", "WITH")), first
    assert read_ticket(answer.context["form"]["ticket"].value())["v"] == new.pk


def test_rows_are_stored_as_the_models_store_them(visit, monkeypatch):
    monkeypatch.setattr("surveys.rules.SPEEDER_SECONDS", 30)
    link = visit.rating_link
    version = link.questionnaire.latest_published()
    before = timezone.now()
    assert _submit(link, version, ip="10.1.2.3", user_agent="UA", seconds_taken=4) is Outcome.STORED
    stored = Response.objects.get()
    assert stored.version == version and stored.link == link
    assert before <= stored.submitted_at <= timezone.now() and not stored.submitted_to_minute
    assert stored.flags == ["speeder"] and stored.review == "flagged"
    assert stored.seconds_taken == 4 and len(stored.ip_hash) == len(stored.ua_hash) == 64
    flag = Flag.objects.get()
    assert (flag.response, flag.code, flag.cluster) == (stored, "speeder", "speeder")
    assert flag.evidence == {"seconds_taken": 4} and before <= flag.created_at
    got = {a.question.code: (a.value, a.score, a.text) for a in stored.answers.all()}
    assert got["attitude"] == ("4", 4, "") and got["comment"] == ("", None, "路灯修好了")
    assert len(got) == len(ANSWERS)


def test_text_answers_alone_are_stored(visit):
    """A column of the answers' rows that holds only NULLs (no score among text answers)."""
    link = visit.rating_link
    version = link.questionnaire.latest_published()
    assert _submit(link, version, cleaned={"comment": "只有文字"}) is Outcome.STORED
    answer = Answer.objects.get()
    assert (answer.question.code, answer.value, answer.score, answer.text) == (
        "comment",
        "",
        None,
        "只有文字",
    )
