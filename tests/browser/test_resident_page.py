"""The resident's page in a real phone-sized Chromium (issue 3 point 5, SPEC §4): readable and
usable with JavaScript off, light on a 2G/3G link, big tap targets, errors that keep what was
typed, friendly refusals, and one response however often the button is tapped."""

import datetime as dt
import re
import struct
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from surveys import views
from surveys.models import Answer, Choice, Response
from tests import factories
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
BUDGET_BYTES = 30 * 1024  # SPEC §4: first load ≤ 30 KB on the wire (gzip)
BUDGET_REQUESTS = 4  # SPEC §4: first load ≤ 4 requests
MIN_TAP = 44  # px: the smallest comfortable target for one thumb (Apple HIG / WCAG 2.5.5)
COMMENT = "路灯修好了，希望常来看看"
ANSWERS = {"工作态度": "满意", "工作作风": "很满意", "工作实绩": "一般", "总体评价": "基本满意"}
STORED = {"attitude": "4", "style": "5", "results": "3", "overall": "basic"}


@pytest.fixture
def visit():
    factories.default_questionnaire()
    return factories.VisitFactory()


@pytest.fixture
def rating_url(visit, site):
    return site + visit.rating_link.get_absolute_url()


def question(page, text):
    return page.locator("fieldset", has=page.locator("legend", has_text=text))


def tap(page, text, answer):
    option = question(page, text).locator("label", has_text=re.compile(f"^{answer}$"))
    option.click()
    expect(option.locator("input")).to_be_checked()


def answer_all(page, answers=ANSWERS):
    for text, answer in answers.items():
        tap(page, text, answer)


def submit(page):
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="提交评价").click()
    page.wait_for_load_state()
    return posted.value


def stored_answers():
    return dict(Answer.objects.exclude(value="").values_list("question__code", "value"))


def test_rating_without_javascript(phone, rating_url, visit, site):
    page = phone(javascript=False)
    assert page.goto(rating_url).status == 200
    subject = page.locator("section.card").first.inner_text()
    for text in (visit.lead.name, "调查研究", "2026年11月20日", "上坪村村委会", "调研茶产业发展"):
        assert text in subject
    # The one script only shows the 朗读 buttons: without it they stay hidden, nothing else needs it
    assert page.locator("script").evaluate_all("s => s.map(e => e.src)") == [
        f"{site}/static/minping/say.js"
    ]
    expect(page.get_by_role("button", name="朗读")).to_have_count(0)
    answer_all(page)
    page.locator("textarea[name=comment]").fill(COMMENT)
    assert submit(page).status == 303  # POST/redirect/GET: the thank-you page is a GET
    expect(page).to_have_title("评价已收到")
    expect(page.get_by_role("status")).to_contain_text("您的评价已收到")
    response = Response.objects.get()
    assert stored_answers() == STORED
    assert Answer.objects.get(response=response, question__code="comment").text == COMMENT
    assert not response.device_id.startswith("nocookie:"), "the phone kept its device cookie"


def test_first_load_weight_and_hosts(phone, rating_url, site):
    page = phone(extra_http_headers={"Accept-Encoding": "gzip"})
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls, wire = {}, {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.update({e["requestId"]: e["request"]}))
    cdp.on(
        "Network.loadingFinished", lambda e: wire.update({e["requestId"]: e["encodedDataLength"]})
    )
    first = page.goto(rating_url)
    page.wait_for_load_state("networkidle")
    assert first.status == 200 and first.headers["content-encoding"] == "gzip"
    fetched = [r["url"] for r in urls.values() if not r["url"].startswith("data:")]
    assert all(urlsplit(u).netloc == urlsplit(site).netloc for u in fetched), fetched
    assert 1 <= len(fetched) <= BUDGET_REQUESTS, fetched
    assert set(wire) == set(urls), "every request finished"
    total = sum(wire.values())
    assert 0 < total <= BUDGET_BYTES, f"{total} bytes in {len(fetched)} requests"


def test_tap_targets_are_thumb_sized(phone, rating_url, visit):
    page = phone(javascript=False)
    page.goto(rating_url)
    width = page.viewport_size["width"]
    boxes = page.locator(".opts label").evaluate_all(
        "labels => labels.map(l => l.getBoundingClientRect().toJSON())"
    )
    version = visit.rating_link.questionnaire.latest_published()
    assert len(boxes) == Choice.objects.filter(question__version=version).count() > 30
    for box in boxes:
        assert box["height"] >= MIN_TAP and box["left"] >= 0 and box["right"] <= width, box
    button = page.get_by_role("button", name="提交评价").bounding_box()
    assert button["height"] >= MIN_TAP and button["width"] >= 0.9 * width
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scroll"


def test_errors_in_chinese_keep_what_was_typed(phone, rating_url):
    page = phone(javascript=False)
    page.goto(rating_url)
    answer_all(page, {k: v for k, v in ANSWERS.items() if k != "工作作风"})
    page.locator("textarea[name=comment]").fill(COMMENT)
    assert submit(page).status == 400
    expect(page.get_by_role("alert").first).to_contain_text("还有题目需要填写")
    expect(question(page, "工作作风").locator(".err")).to_have_text("请选择一项。")
    expect(page.locator(".err")).to_have_count(1)
    expect(page.locator("textarea[name=comment]")).to_have_value(COMMENT)
    for text, answer in ANSWERS.items():
        radio = question(page, text).get_by_role("radio", name=answer, exact=True)
        expect(radio).to_be_checked(checked=text != "工作作风")
    assert Response.objects.count() == 0
    tap(page, "工作作风", "很满意")
    assert submit(page).status == 303  # POST/redirect/GET: the thank-you page is a GET
    expect(page).to_have_title("评价已收到")
    assert Response.objects.count() == 1 and stored_answers() == STORED


def test_unknown_link_is_a_friendly_404(phone, site):
    page = phone(javascript=False)
    assert page.goto(site + "/r/NoSuchToken12345/").status == 404
    expect(page).to_have_title("页面不存在")
    expect(page.get_by_role("status")).to_have_text("没有找到这个页面。")
    expect(page.locator("main")).to_contain_text("向工作人员索取新的二维码")


def test_expired_link_is_a_friendly_410(phone, rating_url, visit):
    link = visit.rating_link
    link.valid_from = timezone.now() - dt.timedelta(days=5)
    link.valid_until = timezone.now() - dt.timedelta(minutes=1)
    link.save()
    page = phone(javascript=False)
    assert page.goto(rating_url).status == 410
    expect(page.get_by_role("status")).to_have_text("本次评价已经结束，感谢您的关注。")
    expect(page.locator("main")).to_contain_text(visit.lead.name)
    expect(page.locator("form")).to_have_count(0)


def test_double_tap_and_resubmission_store_one_response(phone, rating_url, monkeypatch):
    reached = []

    def slow_store(*args, **kwargs):  # a slow 2G round trip: the resident taps again meanwhile
        reached.append(1)
        time.sleep(0.4)
        return store_once(*args, **kwargs)

    store_once = views._store  # what every valid POST reaches, read the link first or not
    page = phone(javascript=False)
    page.goto(rating_url)
    answer_all(page)
    button = page.get_by_role("button", name="提交评价")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    monkeypatch.setattr(views, "_store", slow_store)
    page.touchscreen.tap(x, y)  # raw taps: Playwright's click would wait for the navigation
    for _ in range(300):
        if reached:  # the first POST is at the server and still being handled
            break
        page.wait_for_timeout(10)
    page.touchscreen.tap(x, y)
    expect(page).to_have_title("评价已收到")
    page.reload()  # the thank-you page came by redirect: reloading it sends nothing again
    expect(page).to_have_title("评价已收到")
    assert len(reached) == 2, "both taps reached the server, the reload did not resubmit"
    page.go_back()  # the form page is no-store: fetched again, and the phone is recognised
    expect(page).to_have_title("已评价过")
    assert Response.objects.count() == 1 and stored_answers() == STORED


def test_screenshot_of_the_form_on_a_phone(phone, rating_url):
    page = phone(javascript=False)
    page.goto(rating_url)
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / "resident_form.png"
    png = page.screenshot(path=path, full_page=True)
    width, height = struct.unpack(">II", png[16:24])  # IHDR
    scale = PHONE["device_scale_factor"]
    assert width == 360 * scale, "the page is no wider than the phone"
    assert height > 640 * scale and path.stat().st_size == len(png)
