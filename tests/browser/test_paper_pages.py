"""The paper questionnaire pages (issue 19 §3) on a 360×640 phone with large system fonts, in
Chinese: a clerk prints a batch (a wrong count first), two clerks enter a returned sheet in both
steps and disagree, a third reads it off the sheet, and voids another. Every page on the way
passes axe with no serious or critical violation, is no wider than the screen (menu closed or
open) and has tap targets as large as the staff walks require (tests/browser/test_accessibility).

Large fonts are emulated as in tests/browser/test_faces_and_read_aloud.py, Android's text zoom
in WeChat's browser: text at twice its size in an unchanged 360-px-wide layout. On the staff
pages every size follows the root (rem) or the body (em), so both are doubled and a paragraph's
text is checked to be truly twice as large."""

import re

import pytest
from playwright.sync_api import expect

from surveys.models import Response
from surveys.paper import services
from surveys.paper.models import PaperBatch, PaperEntry
from tests import factories
from tests.browser.conftest import PASSWORD
from tests.browser.test_accessibility import CONTROLS, MIN_BOX, MIN_TAP, SMALL_CONTROLS, problems
from tests.browser.test_staff_journeys import field, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A unit name as long as a real one: the name and unit in the opened menu made pages 473 px wide.
UNIT = "中共清溪县委组织部"
DOUBLE_TEXT = """() => {
  const size = e => parseFloat(getComputedStyle(e).fontSize);
  const text = document.querySelector("main p");
  const before = size(text), body = size(document.body);
  document.documentElement.style.fontSize = "200%";
  document.body.style.fontSize = 2 * body + "px";
  return size(text) / before;
}"""
WIDTHS = """() => {
  const root = document.documentElement;
  const wide = [...document.querySelectorAll("body *")]
    .filter(e => e.offsetParent !== null && !e.closest(".table-responsive"))
    .filter(e => e.getBoundingClientRect().right > root.clientWidth + 0.5)
    .map(e => `${e.tagName.toLowerCase()}.${e.className} ${e.getBoundingClientRect().right}`);
  return {scroll: root.scrollWidth, client: root.clientWidth, wide: wide.slice(0, 5)};
}"""
FIRST = {"工作态度": "满意", "工作作风": "很满意", "工作实绩": "一般", "总体评价": "基本满意"}
SECOND = {**FIRST, "工作作风": "不满意"}


@pytest.fixture
def visit():
    factories.default_questionnaire()
    visit = factories.VisitFactory()
    visit.lead.unit.name = UNIT
    visit.lead.unit.save()
    return visit


@pytest.fixture
def clerks(visit):
    unit = visit.lead.unit
    return [factories.staff_user(name, unit, "personnel") for name in ("luru1", "luru2", "hedui3")]


@pytest.fixture
def open_as(phone, site):
    def open_page(username):
        page = phone()
        page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": site}])
        page.goto(site + "/staff/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录", exact=True).click()
        page.wait_for_url(lambda url: "/login/" not in url)
        return page

    return open_page


class Walk:
    """Checks each page it is shown, with doubled text; the findings by page name."""

    def __init__(self):
        self.found = {}

    def check(self, page, name):
        expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
        assert page.evaluate(DOUBLE_TEXT) == 2, name
        issues = []
        closed = page.evaluate(WIDTHS)
        if closed["scroll"] > closed["client"]:
            issues.append(f"wider than the screen: {closed}")
        issues += problems(page)
        page.locator("label.navbar-toggler").click()  # the menu's links count too
        opened = page.evaluate(WIDTHS)
        if opened["scroll"] > opened["client"]:
            issues.append(f"wider than the screen with the menu open: {opened}")
        issues += page.evaluate(SMALL_CONTROLS, [CONTROLS, MIN_TAP, MIN_BOX])
        shot(page, f"paper_{name}.png")
        page.locator("label.navbar-toggler").click()
        if issues:
            self.found[name] = issues


def question(page, text):
    return page.locator("fieldset", has=page.locator("legend", has_text=text))


def enter_sheet(page, walk, sheet, answers, step_names=None):
    page.get_by_role("link", name="录入收回的问卷").click()
    if step_names:
        walk.check(page, step_names[0])
    field(page, "问卷编号").fill(str(sheet))
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_role("heading", name=f"第 {sheet} 号问卷")).to_be_visible()
    if step_names:
        walk.check(page, step_names[1])
    for text, answer in answers.items():
        question(page, text).get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="保存录入").click()


def test_the_paper_pages_on_a_small_phone_with_double_text(open_as, site, visit, clerks):
    walk = Walk()
    paper_url = f"{site}/staff/visits/{visit.pk}/paper/"
    page = open_as("luru1")
    page.goto(paper_url)
    walk.check(page, "paper")

    field(page, "份数").fill("600")
    field(page, "纸张").select_option(label="A5")
    page.locator("#print-form").evaluate("f => f.noValidate = true")  # as an old WebView sends it
    page.get_by_role("button", name="打印").click()
    expect(page.locator("#print-form")).to_contain_text("请填写 1 至 500 之间的份数。")
    expect(field(page, "纸张")).to_have_value("a5")  # nothing chosen is lost
    walk.check(page, "print_error")
    field(page, "份数").fill("3")
    with page.expect_response(re.compile(r"/sheets\.pdf$")) as printed:
        page.get_by_role("button", name="打印").click()
    assert printed.value.headers["content-type"] == "application/pdf"
    assert "-1-3-a5.pdf" in printed.value.headers["content-disposition"]
    assert PaperBatch.objects.get(link=visit.rating_link).size == "a5"

    page.goto(paper_url)
    enter_sheet(page, walk, 2, FIRST, ("enter_step1", "enter_step2"))
    expect(page.locator(".alert-success")).to_contain_text("第 2 号问卷已录入第一遍")
    second = open_as("luru2")
    second.goto(paper_url)
    enter_sheet(second, walk, 2, SECOND)
    expect(second.locator(".alert-success")).to_contain_text("第 2 号问卷两次录入不一致")
    link = visit.rating_link  # sheet 3 read differently too, to be voided
    answers = {"attitude": "4", "style": "5", "results": "3", "overall": "basic"}
    services.enter_sheet(link=link, sheet=3, answers=answers, user=clerks[0])
    services.enter_sheet(link=link, sheet=3, answers={**answers, "style": "1"}, user=clerks[1])

    third = open_as("hedui3")
    third.goto(site + "/staff/paper/disagreements/")
    walk.check(third, "disagreements")
    third.get_by_role("row", name=re.compile(r"\b2\b")).get_by_role("link", name="逐项核对").click()
    expect(third.get_by_role("heading", level=1)).to_contain_text("核对第 2 号纸质问卷")
    walk.check(third, "resolve")
    reading = third.get_by_role("group", name="2. 工作作风")
    expect(reading).to_contain_text("很满意")
    expect(reading).not_to_contain_text("（5）")
    reading.get_by_label("一般", exact=True).check()  # what the sheet says: neither reading
    third.get_by_role("button", name="按纸面核定并计入").click()
    expect(third.locator(".alert-success")).to_contain_text("第 2 号问卷已核定并计入")
    stored = Response.objects.get(link=link)
    assert {a.question.code: a.value for a in stored.answers.all()}["style"] == "3"

    third.get_by_role("link", name="逐项核对").click()
    expect(third.get_by_role("heading", level=1)).to_contain_text("核对第 3 号纸质问卷")
    third.get_by_role("button", name="作废这份问卷").click()  # no reason: the browser asks
    assert not PaperEntry.objects.filter(sheet=3, round=PaperEntry.Round.THIRD).exists()
    field(third, "作废理由").fill("同一编号收回两份问卷")
    third.get_by_role("button", name="作废这份问卷").click()
    expect(third.locator(".alert-success")).to_contain_text("第 3 号问卷已作废")
    expect(third.locator("#voided")).to_contain_text("同一编号收回两份问卷")
    expect(third.locator("#voided")).to_contain_text("作废")
    walk.check(third, "disagreements_voided")
    third.goto(paper_url)
    expect(third.locator("#voided")).to_contain_text("同一编号收回两份问卷")
    walk.check(third, "paper_voided")
    assert walk.found == {}, walk.found
