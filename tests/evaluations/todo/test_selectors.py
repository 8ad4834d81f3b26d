"""The to-do lists by role (issue 17 §1): each item counts what is due in the jurisdiction
and links to the page where it is done."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.cases import services as cases
from evaluations.models import Visit
from evaluations.todo import selectors
from tests.analytics.conftest import add_responses
from tests.evaluations.appraisal.helpers import make_session
from tests.factories import CadreFactory, VisitFactory, staff_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def items(user, today=TODAY) -> dict:
    return {i.key: i for s in selectors.sections_for(user, today) for i in s.items}


@pytest.fixture
def county(world, questionnaire):
    _, _, counties = world
    return counties["350901"], counties["350902"]


def test_personnel_sees_overdue_cases_and_flags_of_own_county_only(county):
    a, b = county
    lead = CadreFactory(unit=a["county"])
    visit = VisitFactory(lead=lead, target_unit=a["village"])
    add_responses(visit, [(1, 1, 1)], review="flagged")
    late = cases.raise_case(visit=visit, cadre=lead, title="路灯不亮", raised_on=TODAY - 60 * DAY)
    cases.accept(case=late)
    cases.raise_case(visit=visit, cadre=lead, title="刚登记", raised_on=TODAY)
    officer = staff_user("zzb", a["county"], "personnel")
    other = staff_user("zzb-b", b["county"], "personnel")

    mine = items(officer)
    assert mine["overdue_cases"].count == 1
    assert mine["overdue_cases"].rows[0][1] == reverse("staff:case_detail", args=[late.pk])
    assert mine["overdue_cases"].url == reverse("staff:cases_overdue")
    assert mine["review"].count == 1
    theirs = items(other)
    assert theirs["overdue_cases"].count == 0 and theirs["review"].count == 0


def test_cadre_sees_visits_without_summary_and_cases_due_soon(county):
    a, _b = county
    me = CadreFactory(unit=a["county"])
    user = staff_user("me", a["county"], "cadre", cadre=me)
    done = VisitFactory(lead=me, start_date=TODAY - 9 * DAY, end_date=TODAY - 9 * DAY)
    VisitFactory(lead=me, start_date=TODAY + 5 * DAY, end_date=TODAY + 5 * DAY)  # ahead
    VisitFactory(lead=me, summary="写好了", status=Visit.Status.DONE)
    due = cases.raise_case(visit=done, cadre=me, title="修桥", raised_on=TODAY - 9 * DAY)
    cases.accept(case=due)
    cases.assign(case=due, responsible=me, deadline=TODAY + 2 * DAY)
    later = cases.raise_case(visit=done, cadre=me, title="修路", raised_on=TODAY - 9 * DAY)
    cases.accept(case=later)
    cases.assign(case=later, responsible=me, deadline=TODAY + 30 * DAY)

    mine = items(user)
    assert mine["visits_unsummarised"].count == 1
    assert mine["visits_unsummarised"].rows[0][1] == reverse("staff:my_visit", args=[done.pk])
    assert mine["cases_due"].count == 1
    assert "修桥" in mine["cases_due"].rows[0][0]
    assert "overdue_cases" not in mine  # a cadre has no department section


def test_secretary_sees_sessions_to_open_and_to_close(county):
    a, _b = county
    shuji = staff_user("shuji", a["village"], "secretary")
    make_session(a["village"], shuji, open_it=False)
    running = make_session(a["village"], shuji)
    mine = items(shuji)
    assert mine["sessions_to_open"].count == 1
    assert mine["sessions_to_close"].count == 1
    assert mine["sessions_to_close"].rows[0][1] == reverse(
        "staff:appraisal_detail", args=[running.pk]
    )


def test_discipline_sees_flags_and_long_runs_awaiting_review(county):
    a, _b = county
    lead = CadreFactory(unit=a["county"])
    long_run = VisitFactory(
        lead=lead,
        start_date=TODAY - 70 * DAY,
        end_date=TODAY - 10 * DAY,
        summary="驻村两个月",
        status=Visit.Status.DONE,
        hours=8,
    )
    VisitFactory(lead=lead, summary="半天", status=Visit.Status.DONE, hours=None)
    VisitFactory(lead=lead, summary="一小时", status=Visit.Status.DONE, hours=1)
    VisitFactory(
        lead=lead,
        summary="三天",
        status=Visit.Status.DONE,
        start_date=TODAY - 5 * DAY,
        end_date=TODAY - 3 * DAY,
        hours=24,
    )
    add_responses(long_run, [(1, 1, 1)], review="flagged")
    jijian = staff_user("jw", a["county"], "discipline")
    mine = items(jijian)
    assert mine["flags"].count == 1
    assert mine["long_runs"].count == 1
    assert mine["no_hours"].count == 1
    assert mine["thin_visits"].count == 1  # 1 hour in a day; 24 hours over three days is not
    assert mine["long_runs"].url == reverse("staff:discipline")
    # The discipline page shows only totals: the thin visits are listed, each opening the
    # visits list at its cadre (the item linked to a page where they could not be found).
    ((label, url),) = mine["thin_visits"].rows
    assert lead.name in label and "（1.0 小时）" in label
    assert url.startswith(reverse("staff:visits") + "?q=")


def test_a_secretary_with_a_cadre_record_gets_no_link_to_the_ledger_he_cannot_open(county):
    """Scenario: 书记 (also cadre 高洁) saw 临近或超过办结期限的问题 linking to /staff/cases/,
    which answers him 403."""
    a, _b = county
    shuji = staff_user("shuji", a["village"], "secretary", cadre=CadreFactory(unit=a["village"]))
    assert "cases_due" not in items(shuji) and "visits_unsummarised" in items(shuji)
    lead = staff_user("lin", a["county"], "cadre", cadre=CadreFactory(unit=a["county"]))
    assert items(lead)["cases_due"].url == reverse("staff:cases")


def test_cadre_short_of_quota_with_period_ending_is_listed(county):
    """A 县级 cadre with no research days in December: the month (or quarter) ends soon."""
    a, _b = county
    CadreFactory(unit=a["county"], name="缺指标干部", level="county")
    officer = staff_user("zzb", a["county"], "personnel")
    short = items(officer, dt.date(2026, 12, 20))["short_of_quota"]
    assert short.count == 1  # one cadre, however many of his rules fall short
    assert any("缺指标干部" in text for text, _url in short.rows)
    # On 1 June the month, quarter and year all end more than two weeks later: nothing yet.
    assert items(officer, dt.date(2026, 6, 1))["short_of_quota"].count == 0
