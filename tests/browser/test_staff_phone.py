"""Staff pages on a 390 px phone: the navigation collapses behind a menu button (no JavaScript),
no page is wider than the screen in Chinese or English (tables scroll inside their own box, buttons
wrap between words), no table cell or button stands one character per line, the language select
shows its whole label, and the visit page shows its QR code on screen."""

import pytest
from playwright.sync_api import expect

from evaluations import demo
from tests.browser.pages import ACCOUNTS, PHONE_390, pages_of, sign_in
from tests.browser.test_staff_journeys import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Text in a table cell or a button that wraps more often than every second Chinese character or
# inside an English word (it may wrap at spaces and hyphens): squeezed to one character per line.
SQUEEZED_TEXT = """() => {
  const found = [];
  const walk = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const node = walk.currentNode;
    const text = node.data.trim();
    const chars = text.replace(/\\s/g, "").length;
    const owner = node.parentElement.closest("td, th, .btn");
    if (chars < 2 || !owner || owner.offsetParent === null) continue;
    if (node.parentElement.closest(".visually-hidden")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const tops = [...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top));
    const lines = new Set(tops).size;
    const cjk = (text.match(/[\\u3000-\\u9fff\\uff00-\\uffef]/g) || []).length;
    const words = text.replace(/[\\u3000-\\u9fff\\uff00-\\uffef]/g, " ").split(/[\\s-]+/);
    const limit = words.filter(Boolean).length + Math.ceil(cjk / 2);
    const tag = owner.tagName.toLowerCase();
    if (lines > limit) found.push(`${tag} "${text.slice(0, 20)}": ${lines} lines`);
  }
  return found;
}"""
# The language select's chosen label against the room inside it, and the switch button in the nav.
LANGUAGE_SELECT = """() => {
  const select = document.querySelector("nav select[name=language]");
  const style = getComputedStyle(select);
  const probe = document.createElement("span");
  probe.style.cssText = "position:absolute;white-space:pre;visibility:hidden";
  probe.style.font = style.font;
  probe.textContent = select.selectedOptions[0].text;
  document.body.append(probe);
  const label = probe.getBoundingClientRect().width;
  probe.remove();
  const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
  const nav = document.querySelector("nav.navbar").getBoundingClientRect();
  const button = select.form.querySelector("button").getBoundingClientRect();
  const inside = button.left >= nav.left && button.right <= nav.right
    && button.top >= nav.top && button.bottom <= nav.bottom;
  return {label: Math.ceil(label), room: Math.floor(select.clientWidth - padding), inside};
}"""


@pytest.fixture
def demo_county(questionnaire):
    demo.seed()


@pytest.fixture
def staff_phone(chromium, site, demo_county):
    contexts = []

    def open_as(username, language="zh-hans", **options):
        context = chromium.new_context(**{**PHONE_390, **options}, base_url=site)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, username, demo.DEMO_PASSWORD)
        context.add_cookies([{"name": "django_language", "value": language, "url": site}])
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_the_navigation_collapses_behind_a_menu_button(staff_phone):
    page = staff_phone("zuzhibu")
    page.goto("/staff/reports/")
    nav = page.locator("nav.navbar")
    assert nav.bounding_box()["height"] <= 80  # was ~400 of 844 px
    reports = nav.get_by_role("link", name="统计报表")
    expect(reports).to_be_hidden()
    page.get_by_text("菜单").click()
    expect(reports).to_be_visible()
    shot(page, "phone_staff_menu_open.png")
    reports.click()
    page.wait_for_url("**/staff/reports/")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("username", sorted(ACCOUNTS))
def test_no_staff_page_is_wider_than_the_phone_nor_squeezes_its_text(
    staff_phone, username, language
):
    page = staff_phone(username, language)
    wide, squeezed = {}, {}
    for path in pages_of(username):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width  # English "Close voting…" made the appraisal page 525 px
        if found := page.evaluate(SQUEEZED_TEXT):
            squeezed[path] = found  # list tables squeezed to one character per line
    shot(page, f"phone_{username}_{language}_last.png")
    assert (wide, squeezed) == ({}, {}), (wide, squeezed)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_language_select_shows_its_whole_label_beside_its_button(staff_phone, width, language):
    page = staff_phone("zuzhibu", language, viewport={"width": width, "height": 844})
    page.goto("/staff/reports/")
    if width < 992:
        page.locator("label.navbar-toggler").click()
    found = page.evaluate(LANGUAGE_SELECT)
    shot(page, f"language_select_{width}_{language}.png")
    assert found["room"] >= found["label"], found  # was 46 px wide, "English" cut off
    assert found["inside"], found


def test_the_visit_page_shows_its_qr_code(staff_phone):
    page = staff_phone("zhangwei")
    path = pages_of("zhangwei")[-1]
    page.goto(path)
    qr = page.get_by_role("img", name="评价二维码")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert qr.bounding_box()["width"] >= 160
    shot(page, "phone_visit_qr.png")


def test_a_wide_screen_shows_the_whole_navigation_without_the_menu_button(desktop, demo_county):
    page = desktop()
    sign_in(page, "zuzhibu", demo.DEMO_PASSWORD)
    page.goto("/staff/reports/")
    expect(page.get_by_role("link", name="统计报表")).to_be_visible()
    expect(page.get_by_text("菜单")).to_be_hidden()
    shot(page, "desktop_staff_reports.png")
