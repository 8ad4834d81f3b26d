"""The to-do home page and the assessment table in a real Chromium (issue 17 §1, §7, §8): a
personnel officer goes from the home page to an overdue case and to the grades to confirm,
grades a selection as suggested after one confirmation, and stays on the row he decided; a
cadre finds the visit still waiting for its summary; a branch secretary the session to open."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from analytics.assessment import runs
from evaluations.cases import services as cases
from evaluations.cycles.services import create_cycle
from evaluations.models import AssessmentDecision
from tests.evaluations.appraisal.helpers import make_session
from tests.factories import CadreFactory, VisitFactory, default_questionnaire, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TODAY = timezone.localdate()


def todo(page, key):
    return page.locator(f'[data-todo="{key}"]')


@pytest.fixture
def county(world):
    default_questionnaire()
    return world[2]["350901"]


def test_personnel_officer_works_through_the_home_page(desktop, county):
    lead = CadreFactory(unit=county["county"], name="林海")
    visit = VisitFactory(lead=lead, target_unit=county["village"])
    late = cases.raise_case(
        visit=visit, cadre=lead, title="村道路灯不亮", raised_on=TODAY - dt.timedelta(days=60)
    )
    cases.accept(case=late)
    names = [f"干部{n:02d}" for n in range(30)]  # a table long enough to scroll
    for name in names:
        CadreFactory(unit=county["county"], name=name)
    cycle = create_cycle(unit=county["county"], year=TODAY.year)
    runs.run_all(runs.start(cycle))

    page = desktop(staff_user("zzb", county["county"], "personnel"))
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(todo(page, "overdue_cases")).to_contain_text("逾期未办结的问题")
    expect(todo(page, "overdue_cases").locator(".badge")).to_have_text("1")
    todo(page, "overdue_cases").get_by_role("link", name="村道路灯不亮").click()
    expect(page.locator("main")).to_contain_text("村道路灯不亮")

    page.goto("/staff/")
    expect(todo(page, "grades").locator(".badge").first).to_have_text("31")
    todo(page, "grades").get_by_role("link", name=str(cycle)).click()
    page.get_by_label("选择干部00").check()
    page.get_by_label("选择干部01").check()
    page.get_by_role("button", name="按建议评定所选").click()
    expect(page.get_by_role("heading", name="确认按建议评定")).to_be_visible()
    assert not AssessmentDecision.objects.exists()  # nothing until confirmed
    page.get_by_role("button", name="确认评定 2 人").click()
    expect(page.locator(".alert-success")).to_have_text("已按建议评定 2 名干部的等次。")
    assert set(AssessmentDecision.objects.values_list("cadre__name", flat=True)) == {
        "干部00",
        "干部01",
    }

    last = page.locator("tbody tr", has_text="干部29")
    last.get_by_role("button", name="评定").click()
    expect(page.locator(".alert-success")).to_have_text("干部29 的等次已评定。")
    assert page.url.endswith(
        f"#cadre-{AssessmentDecision.objects.get(cadre__name='干部29').cadre_id}"
    )
    expect(page.locator("tbody tr", has_text="干部29")).to_be_in_viewport()

    page.goto("/staff/")
    expect(todo(page, "grades").locator(".badge").first).to_have_text("28")


def test_cadre_finds_the_visit_waiting_for_its_summary(desktop, county):
    me = CadreFactory(unit=county["county"], name="陈静")
    VisitFactory(
        lead=me,
        target_unit=county["village"],
        place="上坪村茶厂",
        start_date=TODAY - dt.timedelta(days=3),
        end_date=TODAY - dt.timedelta(days=3),
    )
    page = desktop(staff_user("chenjing", county["county"], "cadre", cadre=me))
    expect(todo(page, "visits_unsummarised").locator(".badge")).to_have_text("1")
    todo(page, "visits_unsummarised").locator("ul a").click()
    page.get_by_label("活动总结（民情日记）").fill("走访茶农五户，了解采茶用工难。")
    page.get_by_role("button", name="保存总结并标记完成").click()
    page.goto("/staff/")
    expect(todo(page, "visits_unsummarised").locator(".badge")).to_have_text("0")


def test_branch_secretary_sees_the_session_to_open(desktop, county):
    shuji = staff_user("shuji", county["village"], "secretary")
    session = make_session(county["village"], shuji, open_it=False)
    page = desktop(shuji)
    expect(todo(page, "sessions_to_open").locator(".badge")).to_have_text("1")
    todo(page, "sessions_to_open").get_by_role("link", name=session.title).click()
    expect(page.locator("h1")).to_contain_text(session.title)
