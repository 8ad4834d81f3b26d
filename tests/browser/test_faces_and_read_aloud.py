"""Face answers and 朗读 on a 360×640 phone with large system fonts (issue 19 points 1, 2, 6).

Large fonts are emulated as Android's system font size does it in WeChat's browser (the
WebView's text zoom): text at twice its size in an unchanged 360-px-wide layout. After the page
loads, the root font size (which every rem follows) and the body's font size (17 px in
resident.css, which every em follows) are both doubled through the CSS object model, which the
page's Content Security Policy allows; the test checks that a question's text is then truly
twice as large. This is harder on the layout than a 200 % page zoom, which would also double
every box. Nothing leaves localhost: every request the page makes is to the live server."""

import json
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_accessibility import problems
from tests.conftest import ensure_tool
from tests.surveys.test_speech import is_mp3

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MIN_TAP = 44  # px, WCAG 2.5.5
FACE_QUESTIONS = {  # SPEC §4's scales: five faces each, and 总体评价's three
    "工作态度": ["很不满意", "不满意", "一般", "满意", "很满意"],
    "工作作风": ["很不满意", "不满意", "一般", "满意", "很满意"],
    "工作实绩": ["很不满意", "不满意", "一般", "满意", "很满意"],
    "总体评价": ["满意", "基本满意", "不满意"],
}
DOUBLE_TEXT = """() => {
  const size = e => parseFloat(getComputedStyle(e).fontSize);
  const legend = document.querySelector("legend");
  const before = size(legend);
  document.documentElement.style.fontSize = "200%";
  document.body.style.fontSize = 2 * size(document.body) + "px";
  return size(legend) / before;
}"""
# Each face option's box, its words' box, whether the words are clipped, and its face.
OPTIONS = """labels => labels.map(l => {
  const words = l.querySelector("span"), face = l.querySelector("svg");
  return {
    box: l.getBoundingClientRect().toJSON(),
    row: l.closest("fieldset").getBoundingClientRect().width,
    words: words.getBoundingClientRect().toJSON(),
    clipped: words.scrollWidth > words.clientWidth + 1
      || words.scrollHeight > words.clientHeight + 1,
    text: words.innerText,
    faceHidden: face.getAttribute("aria-hidden"),
  };
})"""
NO_VOICES = """Object.defineProperty(window, "speechSynthesis", {configurable: true, value: {
  getVoices: () => [], speak() {}, cancel() {}, addEventListener() {},
}});"""
CHINESE_VOICE = """window.spoken = [];
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
Object.defineProperty(window, "speechSynthesis", {configurable: true, value: {
  getVoices: () => [{lang: "zh-CN", name: "Tingting", localService: true}],
  speak: u => window.spoken.push({text: u.text, lang: u.lang}),
  cancel() {}, addEventListener() {},
}});"""

# A browser whose voices are `voices` (lang, name), in that order; what it speaks is recorded.
STUB_VOICES = """window.spoken = [];
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
Object.defineProperty(window, "speechSynthesis", {configurable: true, value: {
  getVoices: () => VOICES.map(([lang, name]) => ({lang, name, localService: true})),
  speak: u => window.spoken.push({text: u.text, lang: u.lang, name: u.voice && u.voice.name}),
  cancel() {}, addEventListener() {},
}});"""
HONG_KONG, TAIWAN, MAINLAND, AMERICAN = (
    ("zh-HK", "Sin-ji"),
    ("zh-TW", "Mei-Jia"),
    ("zh-CN", "Tingting"),
    ("en-US", "Samantha"),
)

# 200 % zoom as the reviewer emulated it: a 360×640 phone's page at twice the size is a 180×320
# CSS-pixel viewport at four device pixels per CSS pixel.
ZOOMED = {"viewport": {"width": 180, "height": 320}, "device_scale_factor": 4}
# Every option's words that are broken across lines: a word (English, split at spaces) or a whole
# Chinese label (short words: 很满意, 未反映问题) whose characters are on more than one line.
BROKEN_WORDS = """() => [...document.querySelectorAll(".opts label span")].flatMap(span => {
  const node = span.firstChild, text = node.textContent;
  const words = /[\\u3400-\\u9fff]/.test(text) ? [[0, text.length]]
    : [...text.matchAll(/\\S+/g)].map(m => [m.index, m.index + m[0].length]);
  return words.filter(([start, end]) => {
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, end);
    const lines = new Set([...range.getClientRects()].filter(r => r.width > 0)
      .map(r => Math.round(r.top)));
    return lines.size > 1;
  }).map(([start, end]) => text.slice(start, end));
})"""


@pytest.fixture
def rating_url(site):
    ensure_tool("espeak-ng", "espeak-ng")
    ensure_tool("lame", "lame")
    factories.default_questionnaire()
    return site + factories.VisitFactory().rating_link.get_absolute_url()


def question(page, text):
    return page.locator("fieldset", has=page.locator("legend", has_text=text))


def open_recorded(phone, url, script):
    """A phone whose every request is recorded, with `script` run before the page's own."""
    page = phone()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.add_init_script(script)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page, requests


def test_faces_and_read_aloud_usable_with_double_text(phone, rating_url):
    page, _requests = open_recorded(phone, rating_url, NO_VOICES)
    assert page.evaluate(DOUBLE_TEXT) == 2
    width = page.viewport_size["width"]
    assert width == 360
    for text, words in FACE_QUESTIONS.items():
        labels = question(page, text).locator("label.face")
        options = labels.evaluate_all(OPTIONS)
        assert [o["text"] for o in options] == words
        for option in options:
            box, inner = option["box"], option["words"]
            assert box["height"] >= MIN_TAP and box["left"] >= 0 and box["right"] <= width, option
            assert box["width"] >= option["row"] - 1, "a row as wide as the question"
            assert inner["left"] >= box["left"] and inner["right"] <= box["right"], option
            assert inner["top"] >= box["top"] and inner["bottom"] <= box["bottom"], option
            assert not option["clipped"] and option["faceHidden"] == "true", option
        last = labels.nth(len(words) - 1)
        last.scroll_into_view_if_needed()
        last.click()
        radio = question(page, text).get_by_role("radio", name=words[-1], exact=True)
        expect(radio).to_be_checked()
    # No faces where the answers are no scale.
    expect(question(page, "是否接受吃请或收受礼品").locator("svg.f")).to_have_count(0)
    say = question(page, "工作态度").get_by_role("button", name="朗读")
    expect(say).to_be_visible()
    box = say.bounding_box()
    assert box["height"] >= MIN_TAP and box["x"] >= 0 and box["x"] + box["width"] <= width
    say.click(trial=True)  # nothing covers it: a tap reaches it
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scroll"
    assert problems(page) == []


def test_audio_loads_only_when_tapped_and_is_mp3(phone, rating_url, site):
    """No browser voice: the first load fetches no audio; a tap fetches one MP3."""
    page, requests = open_recorded(phone, rating_url, NO_VOICES)
    assert requests and not [u for u in requests if ".mp3" in u or "/say/" in u], requests
    expect(page.locator("audio")).to_have_count(0)
    before = len(requests)
    with page.expect_request(re.compile(r"\.mp3$")) as tapped:
        question(page, "工作态度").get_by_role("button", name="朗读").click()
    page.wait_for_load_state("networkidle")
    audio = [u for u in requests[before:] if "/say/" in u]
    assert len(set(audio)) == 1 and audio[0] == tapped.value.url
    fetched = page.request.get(tapped.value.url)
    assert fetched.status == 200 and fetched.headers["content-type"] == "audio/mpeg"
    assert is_mp3(fetched.body())
    assert all(urlsplit(u).netloc == urlsplit(site).netloc for u in requests), requests


def test_a_chinese_browser_voice_reads_the_question_and_no_audio_is_fetched(phone, rating_url):
    page, requests = open_recorded(phone, rating_url, CHINESE_VOICE)
    question(page, "工作态度").get_by_role("button", name="朗读").click()
    page.get_by_role("button", name="朗读").first.click()  # the intro's
    page.wait_for_load_state("networkidle")
    spoken = page.evaluate("window.spoken")
    assert spoken[0] == {
        "text": "工作态度。很不满意，不满意，一般，满意，很满意。",
        "lang": "zh-CN",
    }
    assert spoken[1]["text"].startswith("请根据您的亲身感受如实评价")
    assert not [u for u in requests if ".mp3" in u or "/say/" in u], requests


@pytest.mark.parametrize(
    ("voices", "chosen"),
    [
        ([HONG_KONG, TAIWAN, MAINLAND, AMERICAN], MAINLAND),
        ([HONG_KONG, ("zh_CN", "Android"), AMERICAN], ("zh_CN", "Android")),
        ([HONG_KONG, ("yue-HK", "Cantonese"), TAIWAN], TAIWAN),
        ([("cmn-Hans-CN", "Mandarin"), MAINLAND], ("cmn-Hans-CN", "Mandarin")),
    ],
)
def test_chinese_is_read_in_mandarin(phone, rating_url, voices, chosen):
    """The reviewer's stub (issue 19 review point 10): zh-HK, zh-TW, zh-CN, en-US in that order
    must speak with zh-CN, not the first voice whose language starts with "zh"."""
    page, requests = open_recorded(
        phone, rating_url, f"const VOICES = {json.dumps(voices)};" + STUB_VOICES
    )
    question(page, "工作态度").get_by_role("button", name="朗读").click()
    page.wait_for_load_state("networkidle")
    spoken = page.evaluate("window.spoken")
    assert [(s["lang"], s["name"]) for s in spoken] == [chosen]
    assert spoken[0]["text"].startswith("工作态度。")
    assert not [u for u in requests if ".mp3" in u or "/say/" in u], requests


@pytest.mark.parametrize(
    "voices",
    [
        [HONG_KONG, AMERICAN],
        [("yue-Hant-HK", "Cantonese"), ("zh-MO", "Macau")],
        [("zh-Hans-HK", "Hong Kong, simplified script")],  # the second attack
    ],
)
def test_only_cantonese_voices_play_the_servers_mandarin_mp3(phone, rating_url, voices):
    page, _requests = open_recorded(
        phone, rating_url, f"const VOICES = {json.dumps(voices)};" + STUB_VOICES
    )
    with page.expect_request(re.compile(r"/r/say/\d+/zh/attitude\.mp3$")):
        question(page, "工作态度").get_by_role("button", name="朗读").click()
    assert page.evaluate("window.spoken") == []


@pytest.mark.parametrize("large", ["zoom", "font"])
def test_option_words_never_break_inside_a_word_when_large(phone, rating_url, site, large):
    """Issue 19 review point 8, in Chinese and English: at 200 % zoom (180×320 CSS px at DPR 4)
    and with doubled text on a 360×640 phone, a label too long to sit beside its face goes under
    it instead of breaking "Sa/tis/fied" or "很/满/意"; no sideways scroll, and the faces and the
    朗读 button stay thumb-sized."""
    for language, words in (("zh-hans", FACE_QUESTIONS["工作态度"]), ("en", None)):
        page = phone(**(ZOOMED if large == "zoom" else {}))
        page.context.add_cookies([{"name": "django_language", "value": language, "url": site}])
        page.add_init_script(NO_VOICES)
        page.goto(rating_url)
        if large == "font":
            assert page.evaluate(DOUBLE_TEXT) == 2
        width = page.viewport_size["width"]
        assert width == (180 if large == "zoom" else 360)
        assert page.evaluate(BROKEN_WORDS) == [], language
        assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scroll"
        options = page.locator("fieldset").first.locator("label.face").evaluate_all(OPTIONS)
        assert len(options) == 5 and (words is None or [o["text"] for o in options] == words)
        for option in options:
            box = option["box"]
            assert box["height"] >= MIN_TAP and box["width"] >= MIN_TAP, option
            assert box["left"] >= 0 and box["right"] <= width and not option["clipped"], option
        page.locator("fieldset").first.locator("label.face").last.click()
        expect(page.locator("fieldset").first.get_by_role("radio").last).to_be_checked()
        say = page.locator("button.say").nth(1)  # the first question's, after the intro's
        expect(say).to_be_visible()
        box = say.bounding_box()
        assert box["height"] >= MIN_TAP and box["width"] >= MIN_TAP
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        say.click(trial=True)
