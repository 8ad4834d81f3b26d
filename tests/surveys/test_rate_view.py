"""The resident's page: shows the visit, stores one response per phone, explains every refusal."""

import datetime as dt
import re

import pytest
from django.core import signing
from django.utils import timezone

from surveys.forms import TICKET_SALT
from surveys.models import Answer, Response
from tests.surveys.helpers import ANSWERS, open_form, rate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_speeder_flag(monkeypatch):
    # Tests answer instantly; the speeder rule has its own test below.
    monkeypatch.setattr("surveys.rules.SPEEDER_SECONDS", 0)


def test_page_shows_who_when_where_why(client, visit):
    page, ticket = open_form(client, visit.rating_link)
    html = page.content.decode()
    assert page.status_code == 200
    for text in (
        visit.lead.name,
        visit.lead.post,
        "调查研究",
        "2026年11月20日",
        "上坪村村委会",
        "调研茶产业发展",
    ):
        assert text in html
    for text in (
        "工作态度",
        "工作作风",
        "工作实绩",
        "很不满意",
        "很满意",
        "基本满意",
        "不满意",
        "当场解决",
        "企业职工",
    ):
        assert text in html
    assert ticket


def test_page_works_without_javascript_and_preselects_nothing(client, visit):
    html = open_form(client, visit.rating_link)[0].content.decode()
    # The one script only adds the 朗读 buttons, which stay hidden without it.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/minping/say.js" defer>']
    assert all(" hidden " in b for b in re.findall(r'<button type="button"[^>]*>', html))
    assert "checked" not in html
    assert re.search(r'<form method="post"', html)


def test_page_sets_a_long_lived_device_cookie(client, visit):
    page, _ = open_form(client, visit.rating_link)
    cookie = page.cookies["mp_dev"]
    assert len(cookie.value) >= 20 and int(cookie["max-age"]) > 365 * 24 * 3600


def test_submission_is_stored_with_its_version_and_answers(client, visit):
    answer = rate(client, visit.rating_link)
    assert answer.status_code == 200
    assert "评价已收到" in answer.content.decode()
    response = Response.objects.get()
    assert response.version == visit.rating_link.questionnaire.latest_published()
    stored = dict(Answer.objects.values_list("question__code", "value"))
    assert stored["attitude"] == "4" and stored["overall"] == "basic"
    assert Answer.objects.get(question__code="comment").text == "路灯修好了"
    assert response.ip_hash and "127.0.0.1" not in response.ip_hash


def test_retried_submission_is_stored_once_and_thanked_again(client, visit):
    _, ticket = open_form(client, visit.rating_link)
    first = rate(client, visit.rating_link, ticket=ticket)
    again = rate(client, visit.rating_link, ticket=ticket)
    assert first.status_code == again.status_code == 200
    assert "评价已收到" in again.content.decode()
    assert Response.objects.count() == 1


def test_second_rating_from_same_phone_is_refused_in_plain_words(client, visit):
    _, first_tab = open_form(client, visit.rating_link)
    _, second_tab = open_form(client, visit.rating_link)
    rate(client, visit.rating_link, ticket=first_tab)
    second = rate(
        client, visit.rating_link, answers={**ANSWERS, "attitude": "1"}, ticket=second_tab
    )
    assert second.status_code == 409
    assert "这部手机已经评价过" in second.content.decode()
    reopened = client.get(visit.rating_link.get_absolute_url())
    assert (
        "这部手机已经评价过" in reopened.content.decode()
        and "ticket" not in reopened.content.decode()
    )
    assert Response.objects.count() == 1
    assert Answer.objects.get(question__code="attitude").value == "4"


def test_second_phone_is_a_second_response(client, visit, django_user_model):
    from django.test import Client

    rate(client, visit.rating_link)
    rate(Client(), visit.rating_link)
    assert Response.objects.count() == 2


def test_unknown_token_is_a_friendly_404(client, questionnaire):
    page = client.get("/r/NoSuchToken12345/")
    assert page.status_code == 404
    assert "没有找到这个页面" in page.content.decode()


def test_expired_link_is_a_friendly_410(client, visit):
    link = visit.rating_link
    link.valid_until = timezone.now() - dt.timedelta(minutes=1)
    link.valid_from = link.valid_until - dt.timedelta(days=3)
    link.save()
    page = client.get(link.get_absolute_url())
    assert page.status_code == 410
    assert "本次评价已经结束" in page.content.decode()
    assert rate(client, link, ticket="x").status_code == 410
    assert Response.objects.count() == 0


def test_capped_link_closes_when_full(client, visit):
    from django.test import Client

    link = visit.rating_link
    link.max_responses = 1
    link.save()
    rate(client, link)
    assert Client().get(link.get_absolute_url()).status_code == 410


def test_speeder_is_kept_but_flagged_for_review(client, visit, monkeypatch):
    monkeypatch.setattr("surveys.rules.SPEEDER_SECONDS", 30)
    rate(client, visit.rating_link)
    response = Response.objects.get()
    assert response.flags == ["speeder"]
    assert response.review == Response.Review.FLAGGED
    assert not response.counts_officially


def test_missing_cookie_is_stored_and_flagged(client, visit):
    _, ticket = open_form(client, visit.rating_link)
    client.cookies.pop("mp_dev")
    assert rate(client, visit.rating_link, ticket=ticket).status_code == 200
    assert Response.objects.get().flags == ["no_device_cookie"]


# --- bad input: a clear answer, never a 500, nothing stored -----------------------------------


def _assert_refused_and_kept(page, *, expect_text, keep=()):
    html = page.content.decode()
    assert page.status_code == 400, page.status_code
    assert expect_text in html
    for value in keep:
        assert value in html
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_missing_answers_are_named_and_typed_text_is_kept(client, visit):
    answers = {k: v for k, v in ANSWERS.items() if k != "style"}
    page = rate(client, visit.rating_link, answers=answers)
    _assert_refused_and_kept(page, expect_text="请选择一项", keep=["路灯修好了"])
    html = page.content.decode()
    assert re.search(r'value="4"[^>]*checked|checked[^>]*value="4"', html), "chosen answer kept"


def test_out_of_range_answer_is_refused(client, visit):
    page = rate(client, visit.rating_link, answers={**ANSWERS, "attitude": "6"})
    _assert_refused_and_kept(page, expect_text="所选答案无效", keep=["路灯修好了"])


def test_oversized_comment_is_refused_with_its_length(client, visit):
    page = rate(client, visit.rating_link, answers={**ANSWERS, "comment": "很" * 501})
    _assert_refused_and_kept(page, expect_text="最多 500 字，现在是 501 字")


def test_tampered_version_in_ticket_is_refused_and_answers_kept(client, visit):
    _, ticket = open_form(client, visit.rating_link)
    payload = signing.loads(ticket, salt=TICKET_SALT)
    forged = ticket.replace(
        ticket.split(":")[0], signing.dumps({**payload, "v": 999}, salt=TICKET_SALT).split(":")[0]
    )
    page = rate(client, visit.rating_link, ticket=forged)
    _assert_refused_and_kept(page, expect_text="页面已过期或内容被修改", keep=["路灯修好了"])


def test_ticket_signed_for_another_version_is_refused(client, visit):
    ticket = signing.dumps({"s": "a" * 32, "l": visit.rating_link.pk, "v": 1, "t": 0}, salt="x")
    _assert_refused_and_kept(
        rate(client, visit.rating_link, ticket=ticket), expect_text="页面已过期或内容被修改"
    )


@pytest.mark.parametrize("bad", [b"%FF%FE%C3", b"\xff\xfe\xc3"], ids=["percent", "raw"])
def test_invalid_utf8_is_refused(client, visit, bad):
    _, ticket = open_form(client, visit.rating_link)
    body = f"attitude=4&style=5&results=3&overall=basic&ticket={ticket}&comment=".encode() + bad
    page = client.post(
        visit.rating_link.get_absolute_url(), body, content_type="application/x-www-form-urlencoded"
    )
    _assert_refused_and_kept(page, expect_text="无法识别的字符")


def test_nul_character_is_refused_not_a_500(client, visit):
    page = rate(client, visit.rating_link, answers={**ANSWERS, "comment": "好\x00"})
    assert page.status_code == 400 and Response.objects.count() == 0


def test_replay_of_a_ticket_at_another_link_stores_nothing(client, visit):
    from tests.factories import VisitFactory

    _, ticket = open_form(client, visit.rating_link)
    rate(client, visit.rating_link, ticket=ticket)
    other = VisitFactory()
    page = rate(client, other.rating_link, ticket=ticket)
    assert page.status_code == 400 and "页面已过期或内容被修改" in page.content.decode()
    assert Response.objects.count() == 1
    assert Response.objects.get().link == visit.rating_link


def test_get_and_post_only(client, visit):
    assert client.put(visit.rating_link.get_absolute_url()).status_code == 405


def test_the_form_shows_progress_and_focuses_the_first_error(client, visit):
    page, _ticket = open_form(client, visit.rating_link)
    html = page.content.decode()
    total = html.count("<fieldset>")
    assert total > 5 and f'<span class="step">1/{total}</span>' in html
    assert "autofocus" not in html
    answers = {k: v for k, v in ANSWERS.items() if k != "style"}  # the second question left out
    html = rate(client, visit.rating_link, answers=answers).content.decode()
    first = re.search(r"<input[^>]*autofocus[^>]*>", html)
    assert first and 'name="style"' in first.group(0)


def test_rating_and_ballot_pages_carry_share_metadata_for_wechat(client, visit):
    html = open_form(client, visit.rating_link)[0].content.decode()
    assert '<meta property="og:title"' in html and '<meta name="description"' in html
    assert f'<meta property="og:image" content="{visit.rating_link.public_url()}qr.png">' in html
    ballot = client.get("/b/").content.decode()
    assert '<meta property="og:title" content="民主评议 · 无记名投票">' in ballot
    # A ballot shared in a chat says what it is, not the visit rating's words.
    assert "无记名投票，不记录投票人" in ballot and "干部下基层的工作" not in ballot
    image = re.search(r'<meta property="og:image" content="http://testserver(/[^"]+)">', ballot)
    assert image, "a ballot page shared in WeChat shows an image too"
    from django.contrib.staticfiles import finders

    assert finders.find(image.group(1).removeprefix("/static/"))


def test_one_residents_error_never_marks_another_residents_form(visit):
    """The question fields are shared by every request a worker serves: the autofocus of one
    resident's first error must not stay on the shared field for the next resident."""
    from surveys.forms import ResidentForm

    version = visit.rating_link.questionnaire.latest_published()
    first = ResidentForm(data={"ticket": "x"}, version=version)
    first.is_valid()
    fresh = ResidentForm(version=version)
    assert "autofocus" not in str(fresh)


def test_a_stale_ticket_after_every_version_was_retired_is_a_404_not_a_500(client, visit):
    """A resident opens the page, the department retires the questionnaire's only published
    version, the resident sends: there is nothing left to answer (the GET's 404), not a crash."""
    _, ticket = open_form(client, visit.rating_link)
    visit.rating_link.questionnaire.versions.update(status="retired")
    page = client.post(visit.rating_link.get_absolute_url(), {**ANSWERS, "ticket": ticket})
    assert page.status_code == 404
    assert not Response.objects.exists()
