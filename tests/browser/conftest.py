"""Real-browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

Nothing is downloaded: no `playwright install`; Chromium comes from Debian (installed when
missing, never skipped)."""

import os

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import ensure_tool

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium tries to reach Google, which fails here.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WECHAT_UA = (
    "Mozilla/5.0 (Linux; Android 12; M2012K11AC Build/SKQ1.211006.001; wv) "
    "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile "
    "Safari/537.36 XWEB/5075 MMWEBSDK/20230405 MicroMessenger/8.0.35.2360(0x28002337) "
    "WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64"
)
PHONE = {
    "viewport": {"width": 360, "height": 640},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": WECHAT_UA,
    "locale": "zh-CN",
}
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "zh-CN"}
PASSWORD = "pw-for-tests-1"  # tests.factories.staff_user's password


@pytest.fixture(scope="package")
def _orm_beside_playwright():
    """Playwright's sync API keeps an asyncio loop running in this thread, which makes Django
    refuse ORM calls; allowed for the browser tests only, and only while the browser lives."""
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if before is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture(scope="package")
def chromium(_orm_beside_playwright):
    executable = CHROMIUM if os.access(CHROMIUM, os.X_OK) else ensure_tool("chromium", "chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, settings):
    """The live server's address; links printed on posters point at it too."""
    settings.SITE_URL = live_server.url  # after tests/conftest.py's autouse http://testserver
    return live_server.url


@pytest.fixture
def phone(chromium, site):
    """Opens a fresh phone (no cookies, no cache): phone(javascript=False, **context options),
    where an option such as viewport replaces the phone's own."""
    contexts = []

    def open_phone(*, javascript: bool = True, **options):
        context = chromium.new_context(**{**PHONE, "java_script_enabled": javascript, **options})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_phone
    for context in contexts:
        context.close()


@pytest.fixture
def desktop(chromium, site):
    """Opens a fresh desktop browser on the live server: desktop(user) logs the user in through
    the real login form (django-axes included) and returns the page."""
    contexts = []

    def open_desktop(user=None, **options):
        context = chromium.new_context(**DESKTOP, base_url=site, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        if user is not None:
            page.goto("/staff/login/")
            page.get_by_label("用户名").fill(user.get_username())
            page.get_by_label("密码").fill(PASSWORD)
            page.get_by_role("button", name="登录", exact=True).click()
            page.wait_for_url(lambda url: "/login/" not in url)
        return page

    yield open_desktop
    for context in contexts:
        context.close()
