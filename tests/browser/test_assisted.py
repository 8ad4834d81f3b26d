"""Assisted rating on a real phone (issue 19 §4): a grid worker signs in on her phone, opens the
visit's rating page, is offered 协助居民评价, sees the banner that the resident answers, and helps
two residents one after the other; the rated cadre's own phone is refused in Chinese."""

import re

import pytest
from playwright.sync_api import expect

from surveys.models import Response
from tests import factories
from tests.browser.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWERS = {"工作态度": "满意", "工作作风": "很满意", "工作实绩": "一般", "总体评价": "基本满意"}


@pytest.fixture
def visit():
    factories.default_questionnaire()
    return factories.VisitFactory()


def _sign_in(page, site, username):
    page.goto(site + "/staff/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(lambda url: "/login/" not in url)


def _answer_all(page):
    for text, answer in ANSWERS.items():
        fieldset = page.locator("fieldset", has=page.locator("legend", has_text=text))
        option = fieldset.locator("label", has_text=re.compile(f"^{answer}$"))
        option.click()
        expect(option.locator("input")).to_be_checked()


def test_a_grid_worker_helps_two_residents_on_her_phone(phone, site, visit):
    unit = visit.target_unit
    grid = factories.staff_user("grid", unit, "grid")
    page = phone()
    _sign_in(page, site, "grid")
    page.goto(site + visit.rating_link.get_absolute_url())
    page.get_by_role("link", name="协助居民评价").click()
    expect(page.get_by_role("note")).to_contain_text("请居民本人回答每一题")
    for _ in range(2):
        _answer_all(page)
        page.get_by_role("button", name="提交这位居民的评价").click()
        expect(page.get_by_role("status")).to_contain_text("已保存这位居民的评价")
    helped = Response.objects.filter(link=visit.rating_link)
    assert [r.channel for r in helped] == [Response.Channel.ASSISTED] * 2
    assert {r.helper_id for r in helped} == {grid.pk}


def test_the_rated_cadres_phone_is_refused(phone, site, visit):
    factories.staff_user("lead", visit.lead.unit, "cadre", cadre=visit.lead)
    page = phone()
    _sign_in(page, site, "lead")
    page.goto(site + visit.rating_link.get_absolute_url() + "assist/")
    expect(page.get_by_role("alert")).to_contain_text("不能协助群众评价自己")
    page.goto(site + visit.rating_link.get_absolute_url())
    expect(page.get_by_role("alert")).to_contain_text("这部手机登录过被评价干部的账号")
    assert not Response.objects.exists()
