"""Without the Django admin, in a real Chromium: the county's personnel officer corrects a 专题研究
meeting, assigns a rule set and reads a cycle's change history; the administrator copies the
questionnaire into a draft, is stopped from publishing it without a dissatisfied answer,
previews it at phone size and publishes it."""

import pytest
from playwright.sync_api import expect

from evaluations.cycles.services import create_cycle
from evaluations.models import PolicyRuleSet, RuleSetAssignment, UnitMeeting
from surveys.models import QuestionnaireVersion
from tests.factories import default_questionnaire, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_personnel_officer_keeps_meetings_rules_and_caps(desktop, world):
    county = world[2]["350901"]["county"]
    officer = staff_user("zuzhibu", county, "personnel")
    cycle = create_cycle(unit=county, year=2026)
    # A transactional test's flush may have removed the shipped rule sets: one of our own.
    sichuan = PolicyRuleSet.objects.create(
        code="sichuan-test", name="四川省规则（测试）", source="003"
    )
    page = desktop(officer)

    page.get_by_role("link", name="专题研究").click()
    page.get_by_label("单位").select_option(label=county.name)
    page.get_by_label("日期").fill("2026-03-05")
    page.get_by_label("议题").fill("研究饮水问题")
    page.get_by_role("button", name="登记").click()
    meeting = UnitMeeting.objects.get()
    page.locator(f"#meeting-{meeting.pk}").get_by_role("link", name="修改").click()
    page.get_by_label("议题").fill("专题研究群众反映的饮水安全问题")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("专题研究会议已修改")
    expect(page.locator(".history-table")).to_contain_text("研究饮水问题")
    expect(page.locator(".history-table")).to_contain_text("zuzhibu")

    page.get_by_role("link", name="规则集").click()
    page.get_by_label("规则集").select_option(label=sichuan.name)
    page.get_by_label("适用单位(含下级)").select_option(label=county.name)
    page.get_by_label("起始年度").fill("2027")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#assignments")).to_contain_text(sichuan.name)
    assert RuleSetAssignment.objects.get().first_year == 2027

    page.goto(f"/staff/reports/assessment/{cycle.pk}/caps/")
    page.locator("input[name='form-4-fraction']").fill("0.15")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("link", name="设置修改记录").click()
    expect(page.locator(".history-table tbody tr").first).to_contain_text("0.20")
    expect(page.locator(".history-table tbody tr").first).to_contain_text("0.15")


def test_administrator_publishes_a_new_questionnaire_version(desktop, world):
    questionnaire = default_questionnaire()
    admin = staff_user("guanli", world[2]["350901"]["county"], "admin")
    page = desktop(admin)
    page.get_by_role("link", name="问卷").click()
    published = questionnaire.latest_published()
    page.locator(f"#version-{published.pk}").get_by_role("button", name="复制为新版本草稿").click()
    expect(page.locator(".alert-success")).to_have_text("已复制为新版本草稿。")
    draft = QuestionnaireVersion.objects.get(questionnaire=questionnaire, status="draft")

    attitude = draft.questions.get(code="attitude")
    negatives = page.get_by_label(f"{attitude.text} ·", exact=False).and_(
        page.locator("input[type=checkbox]")
    )
    for box in negatives.all():
        box.uncheck()
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#publication-problems")).to_contain_text(attitude.text)
    page.get_by_role("button", name="发布").click()
    expect(page.locator(".alert-danger, .alert-error").first).to_contain_text("不能发布")

    page.get_by_label(f"{attitude.text} · 很不满意 表示不满意").check()
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#publication-problems")).to_have_count(0)

    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(f"/staff/questionnaires/versions/{draft.pk}/preview/")
    expect(page.get_by_text("不能提交", exact=False)).to_be_visible()
    expect(page.get_by_text(attitude.text).first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="返回").click()

    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="发布").click()
    expect(page.locator(".alert-success")).to_contain_text("已发布")
    assert questionnaire.latest_published().pk == draft.pk
