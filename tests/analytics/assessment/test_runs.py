"""The annual assessment: runs kept with inputs, progress, caps from data, 组织评定 recorded,
confirmed grades that never change silently."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from analytics.assessment import runs as assessment
from analytics.assessment.models import AssessmentRun
from analytics.assessment.parts import Part
from evaluations.cycles.services import create_cycle
from evaluations.models import AssessmentDecision, TeamGrade
from tests.factories import CadreFactory, staff_user
from tests.sheets import assert_fitted

pytestmark = pytest.mark.django_db
BLOCKED: dict = {}  # part name -> cadre ids the part says may not be 优秀


@pytest.fixture
def unit_of_seven(world, monkeypatch):
    _, _, counties = world
    county = counties["350901"]["county"]
    scores = [97, 95, 93, 91, 80, 75, 72]
    cadres = [CadreFactory(unit=county, level="county", name=f"干部{i}") for i in range(7)]
    fixed = {c.pk: s for c, s in zip(cadres, scores, strict=True)}
    BLOCKED.clear()

    def provider(name):
        def give(*, cycle, cadre_ids, as_of):
            return Part(
                {pk: fixed.get(pk) for pk in cadre_ids},
                {pk: [f"{name} 测试数据"] for pk in cadre_ids},
                blocks_excellent=BLOCKED.get(name, set()),
            )

        return give

    monkeypatch.setattr(
        assessment,
        "STEPS",
        [(n, provider(n)) for n in ("satisfaction", "appraisal", "compliance", "cases")],
    )
    return county, cadres, fixed


def grades_of(run):
    return {r.cadre_id: r.suggested_grade for r in run.results.all()}


def test_run_applies_the_25_percent_cap_from_data(unit_of_seven):
    county, cadres, _ = unit_of_seven
    cycle = create_cycle(unit=county, year=2026)
    run = assessment.run_all(assessment.start(cycle))
    grades = grades_of(run)
    assert [grades[c.pk] for c in cadres] == ["excellent"] + ["competent"] * 6
    assert run.status == "done" and run.progress_done == run.progress_total == 5
    assert run.inputs["caps"]["leading"][0] == 0.25 and run.fingerprint


def test_an_appraisal_flag_reaches_the_grade_through_the_run(unit_of_seven):
    county, cadres, _ = unit_of_seven
    BLOCKED["appraisal"] = {cadres[0].pk}  # 需组织认定 in the branch's tally
    run = assessment.run_all(assessment.start(create_cycle(unit=county, year=2026)))
    grades = grades_of(run)
    assert grades[cadres[0].pk] == "competent" and grades[cadres[1].pk] == "excellent"
    assert run.inputs["appraisal_blocks"] == [cadres[0].pk]


@pytest.mark.parametrize(
    ("team", "principal_excellent", "excellent"),
    [
        (TeamGrade.EXCELLENT, False, 2),  # 30% of 7 -> 2
        (TeamGrade.FAIR, False, 1),  # 20% of 7 -> 1
        (TeamGrade.FAIR, True, 1),  # team 一般 but principal 优秀: the general 25% -> 1
        (TeamGrade.POOR, False, 1),  # 15% of 7 -> 1
    ],
)
def test_cap_depends_on_the_team_grade(unit_of_seven, team, principal_excellent, excellent):
    county, _, _ = unit_of_seven
    cycle = create_cycle(unit=county, year=2026)
    cycle.team_grade, cycle.principal_excellent = team, principal_excellent
    cycle.save()
    run = assessment.run_all(assessment.start(cycle))
    assert list(grades_of(run).values()).count("excellent") == excellent


def test_rerun_is_safe_and_gives_the_same_result(unit_of_seven):
    county, _, _ = unit_of_seven
    cycle = create_cycle(unit=county, year=2026)
    first = assessment.run_all(assessment.start(cycle))
    second = assessment.run_all(assessment.start(cycle))
    assert grades_of(first) == grades_of(second) and first.fingerprint == second.fingerprint
    assert AssessmentRun.objects.filter(cycle=cycle).count() == 2  # runs are kept


def test_reasons_are_stored_as_characters_and_read_back_whole(unit_of_seven):
    """A run's reasons keep Chinese as characters in the stored JSON, not \\u escapes
    (PostgreSQL's array text escaped each backslash: a third of a province's final step)."""
    from django.db import connection

    county, cadres, _ = unit_of_seven
    run = assessment.run_all(assessment.start(create_cycle(unit=county, year=2026)))
    result = run.results.get(cadre=cadres[0])
    assert "satisfaction 测试数据" in result.reasons
    with connection.cursor() as cursor:
        table = result._meta.db_table
        cursor.execute(f"SELECT reasons FROM {table} WHERE id = %s", [result.pk])
        stored = cursor.fetchone()[0]
    stored = stored if isinstance(stored, str) else json.dumps(stored, ensure_ascii=False)
    assert "测试数据" in stored and "\\u" not in stored


def test_page_starts_a_task_and_shows_progress(
    client, unit_of_seven, django_capture_on_commit_callbacks
):
    county, cadres, _ = unit_of_seven
    cycle = create_cycle(unit=county, year=2026)
    client.force_login(staff_user("officer", county, "personnel"))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        page = client.post(f"/staff/reports/assessment/{cycle.pk}/run/", follow=True)
    html = page.content.decode()
    assert page.status_code == 200 and "排队中" in html and 'http-equiv="refresh"' in html
    assert len(queued) == 1  # the request only queued the work
    queued[0]()  # the worker (the immediate backend in tests) runs the task
    page = client.get(page.redirect_chain[-1][0])
    html = page.content.decode()
    assert "100%" in html and "已完成" in html  # the immediate backend finished it
    table = client.get(f"/staff/reports/assessment/{cycle.pk}/").content.decode()
    assert cadres[0].name in table and "优秀比例上限 25%" in table


def test_department_confirms_or_overrides_with_a_reason(client, unit_of_seven):
    county, cadres, _ = unit_of_seven
    cycle = create_cycle(unit=county, year=2026)
    assessment.run_all(assessment.start(cycle))
    client.force_login(staff_user("officer", county, "personnel"))
    url = f"/staff/reports/assessment/{cycle.pk}/cadres/{cadres[1].pk}/decide/"
    page = client.post(url, {"grade": "excellent", "reason": ""}, follow=True)
    assert "改变建议等次时必须写明理由" in page.content.decode()
    assert not AssessmentDecision.objects.exists()
    client.post(url, {"grade": "excellent", "reason": "抗洪抢险中表现突出"})
    decision = AssessmentDecision.objects.get()
    assert decision.is_override and decision.suggested_grade == "competent"
    assert decision.history.count() == 1
    client.post(
        f"/staff/reports/assessment/{cycle.pk}/cadres/{cadres[0].pk}/decide/",
        {"grade": "excellent", "reason": ""},
    )
    assert AssessmentDecision.objects.get(cadre=cadres[0]).grade == "excellent"


def test_a_refused_decision_keeps_the_grade_chosen_and_the_reason_typed(client, unit_of_seven):
    """An officer picks 不称职 for a cadre suggested 称职 and forgets the reason: the row comes
    back with 不称职 still chosen, not the suggestion he would then confirm by mistake; any
    refusal keeps the reason he typed."""
    county, cadres, _ = unit_of_seven
    cycle = create_cycle(unit=county, year=2026)
    assessment.run_all(assessment.start(cycle))
    client.force_login(staff_user("officer", county, "personnel"))
    url = f"/staff/reports/assessment/{cycle.pk}/cadres/{cadres[1].pk}/decide/"
    page = client.post(url, {"grade": "incompetent", "reason": ""}, follow=True)
    row = page.content.decode().split(f'id="cadre-{cadres[1].pk}"')[1].split("</tr>")[0]
    assert '<option value="incompetent" selected>' in row
    assert '<option value="competent" selected>' not in row
    again = client.get(f"/staff/reports/assessment/{cycle.pk}/").content.decode()
    row = again.split(f'id="cadre-{cadres[1].pk}"')[1].split("</tr>")[0]
    assert '<option value="competent" selected>' in row  # shown once, then the suggestion
    page = client.post(url, {"grade": "bogus", "reason": "抗洪抢险中表现突出"}, follow=True)
    row = page.content.decode().split(f'id="cadre-{cadres[1].pk}"')[1].split("</tr>")[0]
    assert 'value="抗洪抢险中表现突出"' in row and "等次无效" in page.content.decode()


def test_confirmed_grade_does_not_change_when_data_changes(client, unit_of_seven):
    county, cadres, fixed = unit_of_seven
    cycle = create_cycle(unit=county, year=2026)
    assessment.run_all(assessment.start(cycle))
    officer = staff_user("officer", county, "personnel")
    client.force_login(officer)
    client.post(
        f"/staff/reports/assessment/{cycle.pk}/cadres/{cadres[0].pk}/decide/",
        {"grade": "excellent"},
    )
    fixed[cadres[0].pk] = 60  # later data: the cadre would now be suggested 基本称职
    assessment.run_all(assessment.start(cycle))
    assert AssessmentDecision.objects.get(cadre=cadres[0]).grade == "excellent"
    html = client.get(f"/staff/reports/assessment/{cycle.pk}/").content.decode()
    assert "1 名干部的建议等次与评定时看到的建议不同" in html


def test_weight_changes_are_logged(client, unit_of_seven):
    county, _, _ = unit_of_seven
    cycle = create_cycle(unit=county, year=2026)
    client.force_login(staff_user("officer", county, "personnel"))
    data = {
        "weight_satisfaction": "0.20",
        "weight_appraisal": "0.50",
        "weight_compliance": "0.20",
        "weight_cases": "0.10",
        "band_excellent": "90",
        "band_competent": "70",
        "band_basic": "60",
        "team_grade": "good",
    }
    client.post(f"/staff/reports/assessment/{cycle.pk}/", data)
    cycle.refresh_from_db()
    assert cycle.weight_appraisal == Decimal("0.50")
    latest = cycle.history.first()
    assert latest.history_user.username == "officer" and cycle.history.count() == 2


def test_outsiders_and_cadres_cannot_touch_a_cycle(client, unit_of_seven, world):
    county, cadres, _ = unit_of_seven
    cycle = create_cycle(unit=county, year=2026)
    _, _, counties = world
    client.force_login(staff_user("outsider", counties["350902"]["county"], "personnel"))
    assert client.get(f"/staff/reports/assessment/{cycle.pk}/").status_code == 404
    client.force_login(staff_user("cadre", county, "cadre", cadre=cadres[0]))
    assert client.post(f"/staff/reports/assessment/{cycle.pk}/run/").status_code in (403, 404)
    assert not AssessmentRun.objects.exists()


def test_exports_and_cadre_sheet(client, unit_of_seven):
    county, cadres, _ = unit_of_seven
    cycle = create_cycle(unit=county, year=2026)
    assessment.run_all(assessment.start(cycle))
    client.force_login(staff_user("officer", county, "personnel"))
    sheet = load_workbook(
        io.BytesIO(client.get(f"/staff/reports/assessment/{cycle.pk}/table.xlsx").content)
    ).active
    assert sheet["B3"].value == cadres[0].name and sheet["L3"].value == "优秀"
    assert [c.value for c in sheet[2][4:7]] == ["手机扫码", "纸质问卷", "协助填写"]
    assert_fitted(sheet, header_row=2)
    assert client.get(f"/staff/reports/assessment/{cycle.pk}/table.pdf").content.startswith(b"%PDF")
    html = client.get(
        f"/staff/reports/assessment/{cycle.pk}/cadres/{cadres[0].pk}/"
    ).content.decode()
    assert "年度考核登记表" in html and "综合得分" in html


def test_xlsx_for_people_and_for_scripts(client, unit_of_seven):
    from urllib.parse import unquote

    county, cadres, fixed = unit_of_seven
    fixed[cadres[5].pk] = 75.04321
    cycle = create_cycle(unit=county, year=2026)
    assessment.run_all(assessment.start(cycle))
    client.force_login(staff_user("officer", county, "personnel"))
    response = client.get(f"/staff/reports/assessment/{cycle.pk}/table.xlsx")
    name = unquote(response["Content-Disposition"])
    assert name.endswith(f"年度考核-{county.name}-2026.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:4] == ("干部编号", "姓名", "职务", "群众满意度")
    row = next(r for r in rows[2:] if r[1] == cadres[5].name)
    # Stored to one decimal as shown; the grade in words.
    assert row[3] == 75.0 and row[11] == "称职"
    response = client.get(f"/staff/reports/assessment/{cycle.pk}/table.xlsx?columns=codes")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:4] == ("cadre_code", "cadre", "post", "satisfaction")
    row = next(r for r in rows[2:] if r[1] == cadres[5].name)
    assert row[11] == "competent" and all(isinstance(c, str) for c in rows[1])


def test_command_shows_a_progress_bar(world, questionnaire):
    _, _, counties = world
    CadreFactory(unit=counties["350901"]["county"], name="命令行干部")
    out, err = io.StringIO(), io.StringIO()
    call_command("run_assessment", "--year", "2026", "--unit", "350901", stdout=out, stderr=err)
    assert "命令行干部" in out.getvalue()
    assert AssessmentRun.objects.get().status == "done"


def test_every_output_shows_the_value_the_band_used(client, unit_of_seven):
    """A cadre whose parts give 69.979 (stored 69.98 before, printed 70.0 and suggested 基本称职):
    the stored composite, the page, the sheet and the XLSX all say 70.0 and the band 称职."""
    county, cadres, fixed = unit_of_seven
    fixed[cadres[6].pk] = 69.979
    cycle = create_cycle(unit=county, year=2026)
    run = assessment.run_all(assessment.start(cycle))
    result = run.results.get(cadre=cadres[6])
    assert result.composite == 70.0 and result.suggested_grade == "competent"
    client.force_login(staff_user("officer", county, "personnel"))
    book = client.get(f"/staff/reports/assessment/{cycle.pk}/table.xlsx").content
    sheet = load_workbook(io.BytesIO(book)).active
    row = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[1] == cadres[6].name)
    assert row[10] == 70.0 and row[11] == "称职"
    html = client.get(
        f"/staff/reports/assessment/{cycle.pk}/cadres/{cadres[6].pk}/"
    ).content.decode()
    assert "70.0" in html and "接近分数线" in html and "69.98" not in html


def test_a_run_whose_worker_died_is_seen_to_die(client, unit_of_seven):
    """A worker killed at step 2 of 5 left the run "running" at 2/5 forever and the cycle page
    kept linking to it. After ASSESSMENT_STALE_MINUTES (30) without progress it is failed with
    its reason, the pages say so and offer a re-run, and the re-run is a new live run."""
    import datetime as dt

    from django.utils import timezone

    county, _, _ = unit_of_seven
    cycle = create_cycle(unit=county, year=2026)
    dead = assessment.start(cycle)
    assessment.run_one_step(dead)
    assessment.run_one_step(dead)  # then the worker is killed
    AssessmentRun.objects.filter(pk=dead.pk).update(
        progress_at=timezone.now() - dt.timedelta(minutes=31)
    )
    client.force_login(staff_user("officer", county, "personnel"))
    page = client.get(f"/staff/reports/runs/{dead.pk}/").content.decode()
    dead.refresh_from_db()
    assert dead.status == "failed" and "超过 30 分钟没有进展" in dead.error
    assert "超过 30 分钟没有进展" in page and "重新计算" in page and "http-equiv" not in page
    html = client.get(f"/staff/reports/assessment/{cycle.pk}/").content.decode()
    assert f"计算 #{dead.pk} 失败" in html and f"/staff/reports/runs/{dead.pk}/" not in html
    assert assessment.run_one_step(dead) is False  # its worker, back, does nothing
    again = assessment.run_all(assessment.start(cycle))
    assert again.pk != dead.pk and again.status == "done"


def test_a_run_alive_but_quiet_for_less_than_the_limit_is_left_alone(unit_of_seven):
    import datetime as dt

    from django.utils import timezone

    county, _, _ = unit_of_seven
    cycle = create_cycle(unit=county, year=2026)
    run = assessment.start(cycle)
    AssessmentRun.objects.filter(pk=run.pk).update(
        progress_at=timezone.now() - dt.timedelta(minutes=29)
    )
    assert assessment.expire_stale(cycle=cycle) == 0
    assert assessment.start(cycle).pk == run.pk  # a second click joins the live run


def test_a_stale_run_marked_failed_mid_step_is_never_revived(unit_of_seven):
    """Worker A is declared dead while computing; its step then ends: the run stays failed and
    gets no results, so a re-run (worker B) is the only live run of the cycle."""
    county, _, _ = unit_of_seven
    cycle = create_cycle(unit=county, year=2026)
    run = assessment.start(cycle)
    for _ in range(4):
        assessment.run_one_step(run)
    AssessmentRun.objects.filter(pk=run.pk).update(status="failed", error="已中断")
    run.status = "running"  # worker A still holds the old state in memory
    assessment._finish(run, cycle)
    run.refresh_from_db()
    assert run.status == "failed" and not run.results.exists()
    fresh = assessment.start(cycle)
    assert fresh.pk != run.pk
    assert AssessmentRun.objects.filter(cycle=cycle, status__in=["queued", "running"]).count() == 1


def test_the_database_refuses_a_second_live_run(unit_of_seven):
    from django.db import IntegrityError, transaction

    county, _, _ = unit_of_seven
    cycle = create_cycle(unit=county, year=2026)
    assessment.start(cycle)
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentRun.objects.create(cycle=cycle, status="running")


def test_starting_from_the_page_twice_queues_one_task(
    client, unit_of_seven, django_capture_on_commit_callbacks
):
    county, _, _ = unit_of_seven
    cycle = create_cycle(unit=county, year=2026)
    client.force_login(staff_user("officer", county, "personnel"))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(f"/staff/reports/assessment/{cycle.pk}/run/")
        client.post(f"/staff/reports/assessment/{cycle.pk}/run/")
    assert len(queued) == 1 and AssessmentRun.objects.filter(cycle=cycle).count() == 1


def test_the_command_does_not_compute_a_run_a_worker_holds(world, questionnaire):
    from django.core.management.base import CommandError

    _, _, counties = world
    cycle = create_cycle(unit=counties["350901"]["county"], year=2026)
    live = assessment.start(cycle)
    with pytest.raises(CommandError, match=f"Run {live.pk} of this cycle is still in progress"):
        call_command("run_assessment", "--year", "2026", "--unit", "350901")


def test_the_demo_county_as_a_new_user_finds_it(questionnaire):
    """The demo as reported: 赵敏 (城关镇镇长) was suggested 不称职 on 30 November because the
    annual 宣讲 was not yet logged, and 城东社区's 2025年度民主评议党员 (closed in 2026) fed 2026.
    Now her compliance part never counts the open year as 0, her grade is not 不称职, and the
    2025 session scores in the 2025 cycle, not in 2026."""
    import datetime as dt

    from evaluations import demo
    from evaluations.models import Cadre, OrgUnit

    demo.seed()
    county = OrgUnit.objects.get(code=demo.COUNTY_CODE)
    run = assessment.run_all(
        assessment.start(create_cycle(unit=county, year=2026), as_of=dt.date(2026, 11, 30))
    )
    zhao = run.results.get(cadre__name="赵敏")
    assert zhao.suggested_grade != "incompetent" and zhao.compliance != 0
    assert not any("宣讲" in r and "0%" in r for r in zhao.reasons)
    members = Cadre.objects.filter(unit__code="350999-001-01").values_list("pk", flat=True)
    last = assessment.run_all(assessment.start(create_cycle(unit=county, year=2025)))
    scored_2025 = last.results.filter(cadre__in=members, appraisal__isnull=False)
    scored_2026 = run.results.filter(cadre__in=members, appraisal__isnull=False)
    assert scored_2025.exists()
    assert not any("2025年度" in r for res in scored_2026 for r in res.reasons)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"weight_satisfaction": "0.50", "weight_appraisal": "0.90"},
            "四项权重之和应为 1，现为 1.70",
        ),
        ({"band_basic": "-5"}, "确保该值大于或等于0"),
        ({"band_excellent": "65"}, "分数线应从高到低：优秀 ≥ 称职 ≥ 基本称职。"),
    ],
)
def test_nonsense_settings_are_refused_in_words(client, unit_of_seven, changes, message):
    """Scenario: weights summing to 1.7 and a 基本称职 band of −5 were saved, quietly changing
    every grade; bands out of order answered '约束 "bands_ordered" 是无效的'."""
    county, _, _ = unit_of_seven
    cycle = create_cycle(unit=county, year=2026)
    client.force_login(staff_user("officer", county, "personnel"))
    data = {
        "weight_satisfaction": "0.30",
        "weight_appraisal": "0.40",
        "weight_compliance": "0.20",
        "weight_cases": "0.10",
        "band_excellent": "90",
        "band_competent": "70",
        "band_basic": "60",
        "team_grade": "good",
        **changes,
    }
    page = client.post(f"/staff/reports/assessment/{cycle.pk}/", data)
    assert message in page.content.decode()
    assert "bands_ordered" not in page.content.decode()
    assert cycle.history.count() == 1  # nothing saved
