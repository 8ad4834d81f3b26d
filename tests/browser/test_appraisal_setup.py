"""A branch secretary sets up, opens, closes and grades an appraisal in a real Chromium (issue 17
§6, §8): members picked from the branch's roster and typed as rows, rater groups as rows, grade
points as labelled numbers, confirmation pages before opening and closing, and 优秀 for a
flagged member accepted only with a reason."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from evaluations.models import AppraisalSession
from tests.evaluations.appraisal.helpers import branch_of, issue, secretary, vote
from tests.factories import CadreFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_branch_secretary_sets_up_and_runs_an_appraisal_with_forms(desktop, world):
    cache.clear()
    branch = branch_of(world)[0]
    CadreFactory(unit=branch, name="张红", post="村党支部委员")
    shuji = secretary(branch)
    page = desktop(shuji)

    page.goto("/staff/appraisal/new/")
    page.get_by_label(re.compile(r"^\s*党支部（单位）")).select_option(label=branch.name)
    page.get_by_label(re.compile(r"^\s*评议期间")).fill("2026年度")
    page.get_by_label(re.compile("张红（村党支部委员")).check()
    page.get_by_label("评议对象第1行：姓名").fill("李明")
    page.get_by_label("评议对象第2行：姓名").fill("王芳")
    page.get_by_label("评议对象第2行：预备党员").check()
    page.get_by_label("评议对象第3行：姓名").fill("赵强")
    page.get_by_label("评议组第1行：评议组名称").fill("党员")
    page.get_by_label("评议组第1行：应参加人数").fill("3")
    page.get_by_label(re.compile("“合格”的分值")).fill("0.85")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_have_text("评议设置已保存。")
    session = AppraisalSession.objects.get()
    assert session.grade_points["qualified"] == 0.85
    subjects = [(s.name, s.is_probationary, s.cadre_id is not None) for s in session.subjects.all()]
    assert sorted(subjects) == [
        ("张红", False, True),
        ("李明", False, False),
        ("王芳", True, False),
        ("赵强", False, False),
    ]
    assert [(g.name, g.voters) for g in session.groups.all()] == [("党员", 3)]

    page.get_by_role("link", name="开始投票（锁定评议设置）").click()
    expect(page.get_by_role("heading", name="确认开始投票")).to_be_visible()
    expect(page.locator("main")).to_contain_text("还没有发放投票码")
    page.get_by_role("button", name="确认开始投票").click()
    expect(page.locator(".alert-success")).to_have_text("已开始投票。")

    # Ballot order: 李明, 赵强, 张红 (王芳 is probationary, not graded); 李明 gets 2 不合格 of 3.
    for code, grade in zip(
        issue(session, shuji), ("excellent", "unqualified", "unqualified"), strict=True
    ):
        vote(session, code, grade, "qualified")
    page.reload()
    page.get_by_role("link", name=re.compile("^结束投票并计票")).click()
    expect(page.locator("[data-quorum]")).to_have_attribute("data-quorum", "met")
    expect(page.locator("main")).to_contain_text("3（100.0%）")
    page.get_by_role("button", name="确认结束投票并计票").click()
    expect(page.locator(".alert-success")).to_have_text("投票已结束。")

    page.get_by_role("link", name="计票结果与等次评定").click()
    page.get_by_label("李明的组织认定等次").select_option(label="优秀")
    page.get_by_role("button", name="保存评定等次").click()
    expect(page.locator(".alert-danger")).to_contain_text("评定为优秀时请在说明中写明理由")
    page.get_by_label("李明的组织认定等次").select_option(label="优秀")
    page.get_by_label("李明的认定说明").fill("抗洪抢险中带头，支部党员大会讨论同意")
    page.get_by_role("button", name="保存评定等次").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    liming = session.subjects.get(name="李明")
    assert (liming.final_grade, liming.decision_note) == (
        "excellent",
        "抗洪抢险中带头，支部党员大会讨论同意",
    )
