"""Staff pages on a 390 px phone: the navigation collapses behind a menu button (no JavaScript),
no page is wider than the screen (tables scroll inside their own box), and the visit page shows its
QR code on screen."""

import pytest
from playwright.sync_api import expect

from evaluations import demo
from tests.browser.pages import ACCOUNTS, PHONE_390, pages_of, sign_in
from tests.browser.test_staff_journeys import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_county(questionnaire):
    demo.seed()


@pytest.fixture
def staff_phone(chromium, site, demo_county):
    contexts = []

    def open_as(username):
        context = chromium.new_context(**PHONE_390, base_url=site)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, username, demo.DEMO_PASSWORD)
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


@pytest.mark.parametrize("username", sorted(ACCOUNTS))
def test_no_staff_page_is_wider_than_the_phone(staff_phone, username):
    page = staff_phone(username)
    for path in pages_of(username):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide"
    shot(page, f"phone_{username}_last.png")


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
