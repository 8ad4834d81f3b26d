"""纪检监察 reads breaches reported by residents, integrity flags and 走过场 visits, counted
per cadre and never naming who answered."""

import datetime as dt

import pytest

from evaluations.discipline import selectors as discipline
from surveys.models import Answer, Question
from tests.analytics.conftest import add_responses
from tests.factories import CadreFactory, VisitFactory, default_questionnaire, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(world):
    default_questionnaire()
    return world[2]


def answer(response, code, value):
    question = Question.objects.get(version=response.version, code=code)
    Answer.objects.create(response=response, question=question, value=value)


def test_breaches_are_counted_per_cadre(county):
    cadre = CadreFactory(unit=county["350901"]["town"])
    visit = VisitFactory(
        lead=cadre,
        status="done",
        summary="总结",
        start_date=dt.date(2026, 5, 1),
        end_date=dt.date(2026, 5, 1),
    )
    responses = add_responses(visit, [(4, 4, 4)] * 4)
    answer(responses[0], "gifts", "yes")
    answer(responses[1], "gifts", "no")
    answer(responses[2], "gifts", "unknown")
    answer(responses[3], "burden", "yes")
    officer = staff_user("jijian", county["350901"]["county"], "discipline")
    [row] = discipline.report(officer, year=2026)
    assert dict((label, (bad, n)) for label, bad, n in row.breach_rows()) == {
        "接受吃请或收受礼品": (1, 2),
        "增加基层负担": (1, 1),
    }


def test_silent_and_overlapping_visits(county):
    cadre = CadreFactory(unit=county["350901"]["town"])
    day = dt.date(2026, 3, 2)
    long_stay = VisitFactory(
        lead=cadre,
        status="done",
        summary="驻村",
        start_date=day,
        end_date=day + dt.timedelta(days=9),
    )
    VisitFactory(
        lead=cadre,
        status="done",
        summary="调研",
        start_date=day + dt.timedelta(days=1),
        end_date=day + dt.timedelta(days=1),
    )
    later = VisitFactory(
        lead=cadre,
        status="done",
        summary="接访",
        start_date=day + dt.timedelta(days=5),
        end_date=day + dt.timedelta(days=5),
    )
    add_responses(long_stay, [(4, 4, 4)])
    officer = staff_user("jijian", county["350901"]["county"], "discipline")
    [row] = discipline.report(officer, year=2026)
    assert len(row.silent_visits) == 2  # done, and not one resident rated them
    assert (long_stay, later) in row.overlaps and len(row.overlaps) == 2


def test_flags_and_page_scope(client, county):
    cadre = CadreFactory(unit=county["350901"]["town"], name="被核查干部")
    visit = VisitFactory(lead=cadre, status="done", summary="总结")
    for response in add_responses(visit, [(5, 5, 5)] * 2, review="flagged"):
        response.flags = ["device_cluster"]
        response.save()
    client.force_login(staff_user("jijian", county["350901"]["county"], "discipline"))
    html = client.get("/staff/discipline/?year=2026").content.decode()
    assert "被核查干部" in html and "同一网络地址和浏览器特征" in html
    client.force_login(staff_user("outsider", county["350902"]["county"], "discipline"))
    assert "被核查干部" not in client.get("/staff/discipline/?year=2026").content.decode()
    client.force_login(staff_user("cadre", county["350901"]["town"], "cadre", cadre=cadre))
    assert client.get("/staff/discipline/").status_code == 403


def test_morning_and_afternoon_visits_on_one_day_are_not_two_places_at_once(county):
    """Dates carry no hours: 接访 in the morning and 走访 in the afternoon of one day is an
    honest day's work, not a cadre in two places."""
    cadre = CadreFactory(unit=county["350901"]["town"])
    day = dt.date(2026, 4, 8)
    for kind in ("petition", "household"):
        VisitFactory(lead=cadre, kind=kind, status="done", summary="记录", start_date=day,
                     end_date=day)  # fmt: skip
    VisitFactory(lead=cadre, status="done", summary="调研", start_date=day,
                 end_date=day + dt.timedelta(days=2))  # fmt: skip
    officer = staff_user("jijian", county["350901"]["county"], "discipline")
    rows = discipline.report(officer, year=2026)
    assert all(row.overlaps == [] for row in rows)


def test_a_visit_without_hours_counts_its_days_and_is_flagged(client, county):
    """SPEC §7: "many one-hour research days" can only be seen where hours are entered; a visit
    without them still counts its days but 纪检 sees 时长未填."""
    cadre = CadreFactory(unit=county["350901"]["county"], name="未填时长干部")
    visit = VisitFactory(lead=cadre, status="done", summary="调研", hours=None,
                         start_date=dt.date(2026, 6, 1), end_date=dt.date(2026, 6, 3))  # fmt: skip
    officer = staff_user("jijian", county["350901"]["county"], "discipline")
    (row,) = discipline.report(officer, year=2026)
    assert row.no_hours == [visit]
    client.force_login(officer)
    html = client.get("/staff/discipline/?year=2026").content.decode()
    assert "时长未填" in html and "未填时长干部" in html


def test_a_month_in_one_record_counts_only_once_reviewed(client, county):
    """001 §三: "市、县级领导干部不少于2个月". 张伟 had 66 research days; one record of 31
    calendar days took him to 97. It is flagged for review and counts only once reviewed."""
    from evaluations.models import Cadre
    from evaluations.quota import compliance

    zhang = CadreFactory(unit=county["350901"]["county"], name="张伟", post="副县长")
    start = dt.date(2026, 1, 5)
    for week in range(11):  # 11 stays of 6 days: 66 days
        first = start + dt.timedelta(weeks=week)
        VisitFactory(lead=zhang, kind="residence", status="done", summary="驻村", hours=48,
                     start_date=first, end_date=first + dt.timedelta(days=5))  # fmt: skip
    month = VisitFactory(lead=zhang, kind="research", status="done", summary="蹲点",
                         hours=248, start_date=dt.date(2026, 7, 1),
                         end_date=dt.date(2026, 7, 31))  # fmt: skip

    def research_days():
        report = compliance.evaluate(cadres=Cadre.objects.filter(pk=zhang.pk), year=2026)
        (row,) = [r for r in report.cadres[0].rows if r.rule.code == "research-county"]
        return row.done

    assert research_days() == 66
    officer = staff_user("jijian", county["350901"]["county"], "discipline")
    (row,) = discipline.report(officer, year=2026)
    assert row.long_runs == [month] and month.awaits_review
    client.force_login(officer)
    assert "核实无误，计入" in client.get("/staff/discipline/?year=2026").content.decode()
    page = client.post(f"/staff/discipline/visits/{month.pk}/review/")
    assert page.status_code == 302
    month.refresh_from_db()
    assert month.long_run_reviewed_by == officer and research_days() == 97


def test_only_readers_of_the_jurisdiction_review_a_long_run(client, county):
    zhang = CadreFactory(unit=county["350901"]["county"])
    month = VisitFactory(lead=zhang, status="done", summary="蹲点",
                         start_date=dt.date(2026, 7, 1), end_date=dt.date(2026, 7, 31))  # fmt: skip
    client.force_login(staff_user("outsider", county["350902"]["county"], "discipline"))
    assert client.post(f"/staff/discipline/visits/{month.pk}/review/").status_code == 404
    client.force_login(staff_user("me", county["350901"]["county"], "cadre", cadre=zhang))
    assert client.post(f"/staff/discipline/visits/{month.pk}/review/").status_code == 403
    month.refresh_from_db()
    assert month.long_run_reviewed_at is None


def test_the_demo_page_is_sorted_searched_paged_and_exported(client, questionnaire):
    import io
    from urllib.parse import unquote

    from openpyxl import load_workbook

    from evaluations import demo
    from evaluations.models import Cadre
    from tests.factories import staff_user

    demo.seed()
    county = Cadre.objects.get(code="C001").unit
    client.force_login(staff_user("checker", county, "discipline"))
    page = client.get(f"/staff/discipline/?year={demo.YEAR}").content.decode()
    # One collapsed line per cadre with the count of each kind of lead (the whole page was
    # 8,006 px tall with every cadre's details open).
    rows = page.count('<details class="card')
    assert 1 < rows <= 20 and 'name="year" value="2026"' in page
    assert page.count('<details class="card mb-2 discipline-row">') == rows  # none open
    export = client.get(f"/staff/discipline/?year={demo.YEAR}&format=xlsx")
    assert f"作风纪律与诚信线索-{county.name}-2026" in unquote(export["Content-Disposition"])
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][:3] == ("姓名", "职务", "单位")
    totals = [sum(r[3:]) for r in rows[2:]]
    assert totals == sorted(totals, reverse=True) and totals[0] > 0  # most findings first
    name = rows[2][0]
    found = client.get(f"/staff/discipline/?year={demo.YEAR}&q={name}").content.decode()
    assert found.count('<details class="card') == 1 and name in found
    assert '<details class="card mb-2 discipline-row" open>' in found  # a single one is open


def test_the_page_filters_by_kind_of_lead_and_unit_and_the_export_follows(client, county):
    import io
    from urllib.parse import unquote

    from openpyxl import load_workbook

    town, other_town = county["350901"]["town"], county["350901"]["village"]
    done = {"status": "done", "summary": "调研", "hours": 3}
    silent = VisitFactory(lead=CadreFactory(unit=town, name="甲"), **done)
    VisitFactory(lead=CadreFactory(unit=other_town, name="乙"), **{**done, "hours": None})
    VisitFactory(lead=CadreFactory(unit=other_town, name="丙"), **done)
    year = silent.start_date.year
    client.force_login(staff_user("jijian", county["350901"]["county"], "discipline"))
    base = f"/staff/discipline/?year={year}"
    page = client.get(base).content.decode()
    assert 'id="list-lead"' in page and 'id="list-unit"' in page and "共 3 条" in page
    assert "共 1 条" in client.get(f"{base}&lead=no_hours").content.decode()
    assert "共 1 条" in client.get(f"{base}&unit={town.code}").content.decode()
    export = client.get(f"{base}&unit={other_town.code}&sort=name&format=xlsx")
    assert f"-{year}.xlsx" in unquote(export["Content-Disposition"])
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))[2:]
    assert [row[0] for row in rows] == sorted(["乙", "丙"])
