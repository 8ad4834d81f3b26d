"""The organisation department plans the year in a real Chromium: a leader's research plan, a
week of the reception rota (the gaps counted before the weeks come), and a visit recorded on
the leader's behalf, marked 代录."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluations.models import ResearchPlan, RotaSlot, Visit
from tests.browser.test_staff_journeys import field
from tests.factories import CadreFactory, default_questionnaire, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_plans_the_year(desktop, world):
    default_questionnaire()
    county = world[2]["350901"]
    leader = CadreFactory(unit=county["county"], name="王副县长", post="副县长")
    officer = staff_user("zuzhibu", county["county"], "personnel")
    page = desktop(officer)
    year = timezone.localdate().year

    page.get_by_role("link", name="下基层活动").first.click()
    page.get_by_role("link", name="年度调研计划").click()
    field(page, "干部").select_option(label=str(leader))
    field(page, "调研课题").fill("茶产业发展与茶农增收")
    for quarter, days in zip("一二三四", (15, 15, 20, 10), strict=True):
        field(page, f"{quarter}季度计划天数").fill(str(days))
    page.get_by_role("button", name="保存").click()
    expect(page.locator(f"#plan-cadre-{leader.pk}")).to_contain_text("茶产业发展与茶农增收")
    expect(page.locator(f"#plan-cadre-{leader.pk}")).to_contain_text("20 / 0")
    assert ResearchPlan.objects.get().year == year

    page.goto("/staff/rota/")
    expect(page.locator("#rota-gaps")).to_contain_text("12 周尚未安排")
    today = timezone.localdate()
    next_monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=1)
    field(page, "周（周一）").select_option(f"{next_monday:%Y-%m-%d}")
    field(page, "接访领导").select_option(label=str(leader))
    field(page, "地点或说明").fill("县信访局接待大厅")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(f"#week-{next_monday:%Y-%m-%d}")).to_contain_text("王副县长")
    expect(page.locator("#rota-gaps")).to_contain_text("11 周尚未安排")
    assert RotaSlot.objects.get().created_by == officer

    page.goto("/staff/visits/")
    page.get_by_role("link", name="代领导登记活动").click()
    field(page, "带队领导").select_option(label=str(leader))
    field(page, "活动类型").select_option(label="信访接待")
    field(page, "前往单位").select_option(label=county["town"].name)
    field(page, "开始日期").fill(f"{today:%Y-%m-%d}")
    field(page, "结束日期").fill(f"{today:%Y-%m-%d}")
    field(page, "目的").fill("接待来访群众")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("已代王副县长登记活动")
    expect(page.get_by_text("代录：zuzhibu")).to_be_visible()
    assert Visit.objects.get().entered_by == officer
