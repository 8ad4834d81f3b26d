"""The staff's main journeys in a real Chromium: a branch secretary runs a ballot from set-up to
tally (the vote itself on a phone without JavaScript), a personnel officer runs the annual
assessment and records 组织评定, a cadre registers a visit, completes it and prints its poster."""

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from analytics.assessment.models import AssessmentRun
from evaluations.models import AppraisalSession, AssessmentDecision, Visit
from surveys.ballots import codes
from surveys.ballots.models import AdmissionCode
from tests.analytics.conftest import add_responses, cadre_with_visit
from tests.conftest import ensure_tool
from tests.evaluations.appraisal.helpers import branch_of, secretary
from tests.factories import CadreFactory, default_questionnaire, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
MEMBERS = ("张红", "李明", "王芳")
VOTERS = 3
PRINTED_CODE = re.compile(r"\b[2-9A-Z]{5}-[2-9A-Z]{5}\b")
DANGER_BG = "rgb(248, 215, 218)"  # Bootstrap 5.3's --bs-danger-bg-subtle


def shot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / name, full_page=True)


def pdf_text(content: bytes, tmp_path) -> str:
    ensure_tool("pdftotext", "poppler-utils")
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout


def field(page, label):
    """A crispy form field by its label (matched on the raw text, which has whitespace around it
    and an asterisk after a required field's name)."""
    return page.get_by_label(re.compile(f"^\\s*{re.escape(label)}\\s*\\*?\\s*$"))


def typo(code: str) -> str:
    """One character of the code changed, as when a slip is copied wrongly."""
    plain = codes.normalize(code)
    wrong = next(c for c in codes.ALPHABET if c != plain[3])
    return codes.display(plain[:3] + wrong + plain[4:])


# Journey 1: the branch secretary runs a ballot.


def set_up_session(page):
    page.goto("/staff/appraisal/new/")
    field(page, "党支部（单位）").select_option(index=1)
    field(page, "评议期间").fill("2026年度")
    for row, name in enumerate(MEMBERS, 1):
        page.get_by_label(f"评议对象第{row}行：姓名").fill(name)
    page.get_by_label("评议组第1行：评议组名称").fill("党员")
    page.get_by_label("评议组第1行：应参加人数").fill(str(VOTERS))
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_have_text("评议设置已保存。")
    return AppraisalSession.objects.get()


def print_slips(page, tmp_path) -> list[str]:
    field(page, "数量").fill(str(VOTERS))
    with page.expect_download() as download:
        page.get_by_role("button", name="生成并下载选票条 PDF").click()
    printed = PRINTED_CODE.findall(pdf_text(Path(download.value.path()).read_bytes(), tmp_path))
    assert len(set(printed)) == VOTERS
    return printed


def vote_on_a_phone(phone, site, code):
    page = phone(javascript=False, base_url=site)
    page.goto(f"/b/{code}/")
    for fieldset in page.locator("fieldset").all():
        fieldset.locator("label", has_text=re.compile("^合格$")).click()
    page.get_by_role("button", name="投票").click()
    expect(page).to_have_title("投票成功")
    expect(page.get_by_role("status")).to_contain_text("您的选票已投入票箱")
    return page


def test_branch_secretary_runs_a_ballot(desktop, phone, site, world, tmp_path):
    shuji = secretary(branch_of(world)[0])
    page = desktop(shuji)
    session = set_up_session(page)
    printed = print_slips(page, tmp_path)
    hashes = AdmissionCode.objects.filter(box=session.box).values_list("code_hash", flat=True)
    assert {codes.code_hash(codes.normalize(c)) for c in printed} == set(hashes)
    page.get_by_role("link", name="开始投票（锁定评议设置）").click()
    expect(page.locator("main")).to_contain_text("已发放")
    page.get_by_role("button", name="确认开始投票").click()
    expect(page.locator(".alert-success")).to_have_text("已开始投票。")

    voter = vote_on_a_phone(phone, site, printed[0])
    voter.goto(f"/b/{printed[0]}/")
    expect(voter.get_by_role("alert")).to_have_text(
        "这个投票码已经投过票。每个投票码只能使用一次。"
    )
    voter.goto("/b/")
    voter.get_by_label("投票码").fill(typo(printed[1]))
    voter.get_by_role("button", name="下一步").click()
    expect(voter.get_by_role("alert")).to_contain_text("校验位不符")
    assert voter.locator("script").count() == 0

    page.goto(f"/staff/appraisal/{session.pk}/turnout/")
    row = page.locator("tbody tr", has_text="党员").locator("td")
    expect(row).to_have_text(["党员", str(VOTERS), str(VOTERS), "1", "33.3%", "33.3%", "0"])
    page.goto(f"/staff/appraisal/{session.pk}/")
    page.get_by_role("link", name=re.compile("^结束投票并计票")).click()
    # 1 of 3 voted: below quorum, so the page says so and asks for an acknowledgement
    expect(page.get_by_role("alert")).to_contain_text("未达到法定人数：已投 1 票，至少需要 2 票")
    page.get_by_role("button", name="确认结束投票并计票").click()
    expect(page.locator(".invalid-feedback")).to_have_text("未达到法定人数时，请先勾选确认。")
    assert AppraisalSession.objects.get().box.status == "open"  # refused: still open
    page.get_by_label("我已知晓未达到法定人数，仍要结束投票").check()
    page.get_by_role("button", name="确认结束投票并计票").click()
    expect(page.locator(".alert-success")).to_have_text("投票已结束。")
    page.get_by_role("link", name="计票结果与等次评定").click()
    expect(page.locator("main")).to_contain_text(f"应参加 {VOTERS} 人，收回选票 1 张")
    for name in MEMBERS:
        expect(page.locator("tbody tr", has_text=name)).to_contain_text("合格 1（100.0%）")
    shot(page, "secretary_tally.png")


# Journey 2: the personnel officer runs the annual assessment.


@pytest.fixture
def county_with_ratings(world):
    default_questionnaire()
    county = world[2]["350901"]["county"]
    ratings = {"林海": [(5, 5, 5)] * 12, "陈静": [(4, 4, 3)] * 11, "王磊": [(3, 2, 3)] * 10}
    for name, scores in ratings.items():
        add_responses(cadre_with_visit(county, name=name, post="副县长")[1], scores)
    return county


def decide(page, name, *, grade=None, reason=""):
    row = page.locator("tbody tr", has_text=name)
    if grade is not None:
        row.get_by_label("等次").select_option(label=grade)
    row.get_by_label("理由").fill(reason)
    row.get_by_role("button", name="评定").click()
    return page.locator("tbody tr", has_text=name)


def other_grade(page, name) -> str:
    select = page.locator("tbody tr", has_text=name).get_by_label("等次")
    current = select.evaluate("s => s.selectedOptions[0].textContent")
    options = select.locator("option").all_text_contents()
    return next(label for label in options if label != current)


def test_personnel_officer_runs_the_annual_assessment(desktop, county_with_ratings):
    page = desktop(staff_user("renshi", county_with_ratings, "personnel"))
    page.goto("/staff/reports/assessment/")
    page.get_by_label("单位").select_option(label="清溪县")
    page.get_by_label("年度").fill("2026")
    page.get_by_role("button", name="新建年度考核").click()
    page.get_by_role("button", name="开始计算").click()
    expect(page).to_have_url(re.compile(r"/staff/reports/runs/\d+/$"))
    expect(page.locator("main")).to_contain_text("100%")
    expect(page.locator("main")).to_contain_text("已完成")
    assert AssessmentRun.objects.get().status == AssessmentRun.Status.DONE
    page.get_by_role("link", name="返回考核结果").click()

    confirmed = decide(page, "林海")
    expect(page.locator(".alert-success")).to_have_text("林海 的等次已评定。")
    expect(confirmed.locator(".badge")).to_have_count(0)
    grade = other_grade(page, "陈静")
    decide(page, "陈静", grade=grade)
    refusal = page.locator(".alert-error")
    expect(refusal).to_have_text("陈静：改变建议等次时必须写明理由。")
    expect(refusal).to_have_css("background-color", DANGER_BG)  # styled as an error, not plain
    overridden = decide(page, "陈静", grade=grade, reason="抗洪抢险中表现突出")
    expect(overridden).to_contain_text("改变建议")
    expect(overridden).to_contain_text("抗洪抢险中表现突出")
    decisions = dict(AssessmentDecision.objects.values_list("cadre__name", "grade"))
    assert set(decisions) == {"林海", "陈静"}
    assert AssessmentDecision.objects.get(cadre__name="陈静").is_override
    assert not AssessmentDecision.objects.get(cadre__name="林海").is_override
    shot(page, "personnel_assessment.png")


# Journey 3: a cadre records a visit and prints its poster.


def test_cadre_records_a_visit_and_prints_a_poster(desktop, world, tmp_path):
    default_questionnaire()
    county, village = world[2]["350901"]["county"], world[2]["350901"]["village"]
    cadre = CadreFactory(unit=county, name="林海", post="副县长")
    page = desktop(staff_user("linhai", county, "cadre", cadre=cadre))
    page.goto("/staff/me/visits/")
    page.get_by_role("link", name="登记新活动").click()
    field(page, "活动类型").select_option(label="调查研究")
    field(page, "前往单位").select_option(label=village.name)
    field(page, "地点").fill("上坪村茶厂")
    for label in ("开始日期", "结束日期"):
        date = field(page, label)
        assert date.get_attribute("type") == "date"
        date.fill("2026-11-20")
        expect(date).to_have_value("2026-11-20")
    field(page, "目的").fill("调研茶产业发展")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_have_text("活动已保存。")
    visit = Visit.objects.get(lead=cadre)
    assert str(visit.start_date) == "2026-11-20" and visit.target_unit == village

    field(page, "活动总结（民情日记）").fill("走访茶农五户，了解到茶青收购价偏低。")
    page.get_by_role("button", name="保存总结并标记完成").click()
    expect(page.locator(".alert-success")).to_have_text("活动已标记为完成。")
    expect(page.locator("dl")).to_contain_text("已完成")
    shot(page, "cadre_visit.png")

    poster = page.get_by_role("link", name="打印评价海报").get_attribute("href")
    response = page.request.get(poster)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    assert "林海" in pdf_text(response.body(), tmp_path).replace(" ", "")
