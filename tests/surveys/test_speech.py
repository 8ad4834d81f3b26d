"""Read aloud (issue 19 point 2): espeak-ng's Mandarin voice encoded by lame to MP3, stored once
per (text, voice), rendered at publication or on the first request, served with long cache
headers under /r/ without login; no audio offered when the engine is missing."""

import re

import pytest
from django.test import Client
from django.utils import translation

from surveys import services, speech, versions
from surveys.models import QuestionnaireVersion, SpokenText
from surveys.versions import questions_of
from tests.conftest import ensure_tool

pytestmark = pytest.mark.django_db

SENTENCE = "请根据您的亲身感受如实评价。"


@pytest.fixture(autouse=True)
def _engine():
    ensure_tool("espeak-ng", "espeak-ng")
    ensure_tool("lame", "lame")
    yield
    versions.forget()


def is_mp3(data: bytes) -> bool:
    """An ID3 tag or an MPEG audio frame sync (11 set bits: 0xFFE…)."""
    return data[:3] == b"ID3" or (data[0] == 0xFF and data[1] & 0xE0 == 0xE0)


def say_urls(html: str) -> list[str]:
    return re.findall(r'data-audio="([^"]+)"', html)


def test_a_chinese_sentence_renders_to_mp3():
    audio = speech.render(SENTENCE, "cmn")
    assert is_mp3(audio)
    # Mono 24 kbit/s: a short sentence of speech is seconds long, kilobytes large.
    assert 3_000 < len(audio) < 60_000


def test_identical_texts_are_rendered_and_stored_once(monkeypatch):
    rendered = []
    real = speech.render
    monkeypatch.setattr(speech, "render", lambda *a: rendered.append(a) or real(*a))
    first = speech.stored(SENTENCE, "cmn")
    again = speech.stored(SENTENCE, "cmn")
    assert first.digest == again.digest == speech.digest(SENTENCE, "cmn")
    assert SpokenText.objects.count() == 1 and len(rendered) == 1
    speech.stored(SENTENCE + "谢谢", "cmn")
    assert SpokenText.objects.count() == 2


def test_the_page_offers_audio_for_the_intro_and_every_question(client, visit):
    html = client.get(visit.rating_link.get_absolute_url()).content.decode()
    version = visit.rating_link.questionnaire.latest_published()
    urls = say_urls(html)
    assert urls[0] == f"/r/say/{version.pk}/zh/intro.mp3"
    codes = list(version.questions.values_list("code", flat=True))
    assert urls[1:] == [f"/r/say/{version.pk}/zh/{code}.mp3" for code in codes]
    assert 'data-text="工作态度。很不满意，不满意，一般，满意，很满意。"' in html


def test_the_audio_is_served_without_login_and_cached_long(visit):
    html = Client().get(visit.rating_link.get_absolute_url()).content.decode()
    url = say_urls(html)[1]
    audio = Client().get(url)  # a fresh browser: no cookie, no link token
    assert audio.status_code == 200 and audio["Content-Type"] == "audio/mpeg"
    assert "max-age=31536000" in audio["Cache-Control"] and "public" in audio["Cache-Control"]
    assert is_mp3(audio.content)
    assert not audio.cookies
    stored = SpokenText.objects.get()
    assert stored.voice == "cmn" and stored.text.startswith("工作态度。很不满意")
    # Byte ranges for iOS's player: the stored bytes, never gzipped (MP3 is compressed already).
    part = Client().get(url, HTTP_RANGE="bytes=100-29999", HTTP_ACCEPT_ENCODING="gzip")
    assert part.status_code == 206 and not part.has_header("Content-Encoding")
    assert part.content == audio.content[100:30000]
    assert part["Content-Range"] == f"bytes 100-29999/{len(audio.content)}"
    whole = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert whole.content == audio.content and not whole.has_header("Content-Encoding")
    head = Client().head(url)  # a player may ask for the headers first (was 405)
    assert head.status_code == 200 and head["Content-Type"] == "audio/mpeg"


def test_questions_with_the_same_words_share_one_file(visit):
    """工作态度 in version 1 and in its copy, version 2: two URLs, one stored file."""
    version = visit.rating_link.questionnaire.latest_published()
    copy = services.new_draft(from_version=version)
    QuestionnaireVersion.objects.filter(pk=copy.pk).update(status="published")
    for v in (version, copy):
        assert Client().get(f"/r/say/{v.pk}/zh/attitude.mp3").status_code == 200
    assert SpokenText.objects.count() == 1


def test_english_pages_read_english_words_with_the_english_voice(visit):
    version = visit.rating_link.questionnaire.latest_published()
    audio = Client().get(f"/r/say/{version.pk}/en/intro.mp3")
    assert audio.status_code == 200 and is_mp3(audio.content)
    assert SpokenText.objects.get().voice == "en"


def test_drafts_unknown_texts_and_languages_have_no_audio(visit):
    version = visit.rating_link.questionnaire.latest_published()
    draft = services.new_draft(from_version=version)
    for url in (
        f"/r/say/{draft.pk}/zh/attitude.mp3",
        f"/r/say/{version.pk}/zh/nothing.mp3",
        f"/r/say/{version.pk}/fr/attitude.mp3",
    ):
        assert Client().get(url).status_code == 404, url
    assert not SpokenText.objects.exists()


def test_publishing_renders_the_versions_audio_in_both_languages(
    questionnaire, django_capture_on_commit_callbacks
):
    draft = services.new_draft(from_version=questionnaire.latest_published())
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(version=draft)
    voices = list(SpokenText.objects.values_list("voice", flat=True))
    questions = draft.questions.count()
    # Chinese: the intro and every question; English: the same, in English where written.
    assert len(voices) == 2 * (questions + 1)
    assert voices.count("cmn") >= questions + 1 and "en" in voices


def test_without_the_engine_the_page_offers_no_audio_and_none_is_served(client, visit, monkeypatch):
    monkeypatch.setattr(speech.shutil, "which", lambda name: None)
    versions.forget()  # the page's markup is held per worker; built anew without the engine
    html = client.get(visit.rating_link.get_absolute_url()).content.decode()
    assert say_urls(html) == []
    assert (
        html.count('class="say" hidden')
        == 1 + visit.rating_link.questionnaire.latest_published().questions.count()
    )
    version = visit.rating_link.questionnaire.latest_published()
    assert Client().get(f"/r/say/{version.pk}/zh/attitude.mp3").status_code == 404


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("zh", "是否增加基层负担？", "是否增加基层负担？是，否，不清楚。"),
        ("zh", "是否增加基层负担", "是否增加基层负担。是，否，不清楚。"),
        ("en", "Did it add to the burden?", "Did it add to the burden? Yes, No, Not sure."),
        ("en", "Rate the visit!", "Rate the visit! Yes, No, Not sure."),
        ("en", "Rate the visit", "Rate the visit. Yes, No, Not sure."),
    ],
)
def test_no_full_stop_after_a_question_mark(questionnaire, language, text, expected):
    """A question already ending a sentence is not read as "burden?." (issue 19 review)."""
    question = questionnaire.latest_published().questions.get(code="burden")
    question.text = question.text_en = text
    for choice, label in zip(question.choices.all(), ["是", "否", "不清楚"], strict=False):
        assert choice.label == label, "the shipped yes/no choices"
    with translation.override("zh-hans" if language == "zh" else "en"):
        assert speech.question_text(question) == expected


def test_the_english_burden_question_is_read_without_a_stray_stop(visit):
    version = visit.rating_link.questionnaire.latest_published()
    with translation.override("en"):
        texts = speech.version_texts(version, questions_of(version))
    assert texts["burden"] == "Did the visit add to the grassroots' burden? Yes, No, Not sure."


def test_byte_ranges_follow_rfc_9110(visit):
    """§14.2: an invalid range (last before first) is ignored: 200 and the whole file; 206 for a
    valid one; 416 only for a range that starts past the end."""
    version = visit.rating_link.questionnaire.latest_published()
    url = f"/r/say/{version.pk}/zh/attitude.mp3"
    whole = Client().get(url).content
    invalid = Client().get(url, HTTP_RANGE="bytes=5-2")
    assert invalid.status_code == 200 and invalid.content == whole
    assert not invalid.has_header("Content-Range")
    part = Client().get(url, HTTP_RANGE="bytes=0-99")
    assert part.status_code == 206 and part.content == whole[:100]
    assert part["Content-Range"] == f"bytes 0-99/{len(whole)}"
    tail = Client().get(url, HTTP_RANGE="bytes=-10")
    assert tail.status_code == 206 and tail.content == whole[-10:]
    past = Client().get(url, HTTP_RANGE=f"bytes={len(whole)}-")
    assert past.status_code == 416 and past["Content-Range"] == f"bytes */{len(whole)}"
