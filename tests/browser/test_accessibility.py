"""WCAG 2.1 AA where it applies, checked in a real Chromium on every page of the demo county:
axe-core (vendored in static/vendor/axe-core/, nothing fetched) finds no serious or critical
violation, ids are unique, the navigation's text has a contrast of at least 4.5:1 and on a phone
every control and standalone link is at least 44 px tall (a checkbox 24 px, its label 44 px)."""

import pytest

from evaluations import demo
from surveys.models import RatingLink
from tests.browser.pages import ACCOUNTS, PHONE_390, pages_of, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_URL = "/static/vendor/axe-core/axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MIN_CONTRAST = 4.5  # WCAG 1.4.3, normal text
MIN_TAP = 44  # px, WCAG 2.5.5
RUN_AXE = """async tags => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.id}: ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ")}`);
}"""
DUPLICATE_IDS = """() => {
  const seen = {};
  document.querySelectorAll("[id]").forEach(e => { seen[e.id] = (seen[e.id] || 0) + 1; });
  return Object.keys(seen).filter(id => seen[id] > 1);
}"""
# Every control and standalone link; only a link inside running text (a paragraph with more words
# around its links than in them) is exempt, as WCAG 2.5.5 exempts targets "in a sentence or block of
# text". A row of links such as "导出：Excel · CSV · PDF 报告" is not running text.
CONTROLS = (
    "nav a, nav button, nav select, nav label, main a, main button, main summary, main select, "
    "main textarea, main input:not([type=hidden])"
)
MIN_BOX = 24  # px, the checkbox or radio itself; its label or row gives the 44 px target
SMALL_CONTROLS = """([selector, min, box]) => {
  const height = e => e.getBoundingClientRect().height;
  const inSentence = a => {
    const block = a.closest("p, .form-text");
    if (!block || a.tagName !== "A") return false;
    const words = text => text.replace(/[\\s\\p{P}]/gu, "");
    const links = [...block.querySelectorAll("a")].map(l => words(l.innerText)).join("");
    const around = words(block.innerText).length - links.length;
    return around >= 4 && around > links.length;
  };
  const describe = (e, px) => {
    const name = (e.innerText || e.name || e.ariaLabel || "").replace(/\\s+/g, " ");
    return `${e.tagName.toLowerCase()} "${name.trim().slice(0, 20)}" ${Math.round(px)}px`;
  };
  return [...document.querySelectorAll(selector)]
    .filter(e => e.offsetParent !== null && !inSentence(e))
    .flatMap(e => {
      if (e.type === "checkbox" || e.type === "radio") {
        const target = Math.max(height(e), ...[...e.labels].map(height));
        // (a checkbox's label row is as wide as its text; its height is the thumb's target)
        const small = height(e) < box || target < min;
        return small ? [`${describe(e, height(e))}, target ${Math.round(target)}px`] : [];
      }
      const rect = e.getBoundingClientRect();
      return rect.height < min || rect.width < min
        ? [`${describe(e, rect.height)} × ${Math.round(rect.width)}px wide`]
        : [];
    });
}"""
COLOURS = """() => {
  const link = document.querySelector("nav .nav-link");
  const nav = document.querySelector("nav.navbar");
  return [getComputedStyle(link).color, getComputedStyle(nav).backgroundColor];
}"""


def problems(page) -> list[str]:
    page.add_script_tag(url=AXE_URL)
    found = page.evaluate(RUN_AXE, WCAG_TAGS)
    return found + [f"duplicate id {i}" for i in page.evaluate(DUPLICATE_IDS)]


def rgba(css: str) -> tuple[float, ...]:
    parts = [float(p) for p in css[css.index("(") + 1 : -1].replace("/", ",").split(",")]
    return tuple(parts) if len(parts) == 4 else (*parts, 1.0)


def luminance(rgb) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    *fg, alpha = rgba(foreground)
    bg = rgba(background)[:3]
    blended = [alpha * f + (1 - alpha) * b for f, b in zip(fg, bg, strict=True)]
    light, dark = sorted((luminance(blended), luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.fixture
def demo_county(questionnaire):
    demo.seed()


@pytest.fixture
def open_as(chromium, site, demo_county):
    contexts = []

    def open_page(username=None, **options):
        context = chromium.new_context(base_url=site, **{"locale": "zh-CN", **options})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        if username:
            sign_in(page, username, demo.DEMO_PASSWORD)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("username", sorted(ACCOUNTS))
def test_every_staff_page_passes_axe_with_unique_ids(open_as, username):
    page = open_as(username, viewport={"width": 1280, "height": 800})
    found = {}
    for path in pages_of(username):
        page.goto(path)
        if issues := problems(page):
            found[path] = issues
    assert found == {}


@pytest.mark.parametrize("username", sorted(ACCOUNTS))
def test_on_a_phone_every_control_is_big_enough_to_tap(open_as, username):
    page = open_as(username, **PHONE_390)
    small = {}
    for path in pages_of(username):
        page.goto(path)
        page.locator("label.navbar-toggler").click()  # open the menu: its links count too
        if found := page.evaluate(SMALL_CONTROLS, [CONTROLS, MIN_TAP, MIN_BOX]):
            small[path] = found
    assert small == {}, small


def test_the_navigation_text_contrasts_enough(open_as):
    page = open_as("zuzhibu", viewport={"width": 1280, "height": 800})
    page.goto("/staff/reports/")
    assert contrast(*page.evaluate(COLOURS)) >= MIN_CONTRAST  # was 2.28:1


def test_resident_and_public_pages_pass_axe(open_as):
    link = RatingLink.objects.filter(visit__isnull=False).order_by("pk").last()
    page = open_as(**PHONE_390)
    found = {}
    for path in ("/staff/login/", link.get_absolute_url(), "/b/", "/b/receipt/"):
        page.goto(path)
        found[path] = problems(page)
    page.goto(link.get_absolute_url())
    page.get_by_role("button", name="提交评价").click()  # nothing answered: the errors page
    page.wait_for_load_state()
    found["errors"] = problems(page)
    assert {path: issues for path, issues in found.items() if issues} == {}
