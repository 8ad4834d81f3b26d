"""Research plans against the days done, and the reception rota scheduled ahead with its gaps."""

import datetime as dt

import pytest
from django.urls import reverse

from evaluations.models import ResearchPlan, RotaSlot
from evaluations.planning import selectors, services
from tests.factories import CadreFactory, VisitFactory, staff_user

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 12, 7)


@pytest.fixture
def county(world):
    return world[2]["350901"]


@pytest.fixture
def leaders(county):
    return {
        "deputy": CadreFactory(unit=county["county"], name="王副县长", post="副县长"),
        "committee": CadreFactory(
            unit=county["county"],
            name="李部长",
            post="县委常委、宣传部部长",
            is_standing_committee=True,
        ),
        "township": CadreFactory(unit=county["town"], name="陈镇长", post="镇长", level="township"),
    }


def test_research_days_per_quarter_as_lead_and_companion(county, leaders, questionnaire):
    deputy, other = leaders["deputy"], leaders["committee"]
    trip = VisitFactory(
        lead=deputy,
        kind="research",
        status="done",
        summary="调研",
        start_date=dt.date(2026, 3, 30),
        end_date=dt.date(2026, 4, 2),
    )
    trip.companions.add(other)
    VisitFactory(lead=deputy, kind="petition", status="done", summary="接访")
    VisitFactory(
        lead=deputy, kind="residence", start_date=dt.date(2026, 8, 3), end_date=dt.date(2026, 8, 4)
    )
    done = selectors.research_days([deputy.pk, other.pk], 2026)
    assert done[deputy.pk] == [2, 2, 0, 0]  # the planned residence is not done
    assert done[other.pk] == [2, 2, 0, 0]


def test_plans_page_shows_planned_and_done(client, county, leaders, questionnaire):
    officer = staff_user("zuzhibu", county["county"], "personnel")
    client.force_login(officer)
    deputy = leaders["deputy"]
    data = {"cadre": deputy.pk, "year": 2026, "topic": "茶产业发展", "q1_days": 10, "q2_days": 5}
    data |= {"q3_days": 0, "q4_days": 0}
    assert client.post(reverse("staff:plans"), data).status_code == 302
    plan = ResearchPlan.objects.get()
    assert plan.created_by == officer and plan.days == [10, 5, 0, 0]
    page = client.get(reverse("staff:plans"), {"year": 2026})
    [row] = page.context["rows"]
    assert row.quarters == [(10, 0), (5, 0), (0, 0), (0, 0)]
    assert "茶产业发展" in page.content.decode()
    edit = reverse("staff:plan_edit", args=[plan.pk])
    client.post(edit, data | {"q2_days": 8})
    plan.refresh_from_db()
    assert plan.q2_days == 8
    assert client.get(edit).context["history"][0].changes == [("二季度计划天数", "5", "8")]


def test_a_cadre_reads_only_his_plan_and_cannot_plan(client, county, leaders):
    deputy, other = leaders["deputy"], leaders["committee"]
    ResearchPlan.objects.create(cadre=deputy, year=2026, topic="我的课题")
    ResearchPlan.objects.create(cadre=other, year=2026, topic="别人的课题")
    client.force_login(staff_user("wang", county["county"], "cadre", cadre=deputy))
    page = client.get(reverse("staff:plans"), {"year": 2026}).content.decode()
    assert "我的课题" in page and "别人的课题" not in page
    data = {"cadre": deputy.pk, "year": 2026, "topic": "x", "q1_days": 1}
    assert client.post(reverse("staff:plans"), data).status_code == 403


def test_rota_only_takes_committee_members_and_deputy_heads(county, leaders):
    officer = staff_user("zuzhibu", county["county"], "personnel")
    unit = county["county"]
    for who in ("deputy", "committee"):
        assert services.can_receive(leaders[who], unit)
    with pytest.raises(services.PlanningError, match="不是本级的常委或副职领导"):
        services.schedule(
            unit=unit, week=MONDAY, cadre=leaders["township"], actor=officer, today=MONDAY
        )
    with pytest.raises(services.PlanningError, match="周一"):
        services.schedule(
            unit=unit, week=MONDAY + dt.timedelta(days=1), cadre=leaders["deputy"], actor=officer
        )
    with pytest.raises(services.PlanningError, match="已经过去"):
        services.schedule(
            unit=unit,
            week=MONDAY,
            cadre=leaders["deputy"],
            actor=officer,
            today=MONDAY + dt.timedelta(days=8),
        )


def test_coming_weeks_show_the_gaps(county, leaders, django_assert_num_queries):
    officer = staff_user("zuzhibu", county["county"], "personnel")
    unit = county["county"]
    services.schedule(unit=unit, week=MONDAY, cadre=leaders["deputy"], actor=officer, today=MONDAY)
    later = MONDAY + dt.timedelta(weeks=2)
    services.schedule(
        unit=unit, week=later, cadre=leaders["committee"], actor=officer, today=MONDAY
    )
    with django_assert_num_queries(1):
        weeks = selectors.coming_weeks(unit=unit, today=MONDAY + dt.timedelta(days=3))
    assert len(weeks) == selectors.ROTA_WEEKS
    assert [w.gap for w in weeks[:4]] == [False, True, False, True]
    assert weeks[0].slot.cadre == leaders["deputy"]
    services.schedule(unit=unit, week=later, cadre=None, actor=officer, today=MONDAY)
    assert not RotaSlot.objects.filter(week=later).exists()


def test_rota_page_schedules_and_counts_gaps(client, county, leaders, settings, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a: MONDAY)
    client.force_login(staff_user("zuzhibu", county["county"], "personnel"))
    url = reverse("staff:rota")
    page = client.get(url)
    assert page.context["gaps"] == selectors.ROTA_WEEKS
    data = {"week": "2026-12-14", "cadre": leaders["committee"].pk, "note": "县信访局"}
    assert client.post(url, data).status_code == 302
    page = client.get(url)
    assert page.context["gaps"] == selectors.ROTA_WEEKS - 1
    assert "李部长" in page.content.decode() and "空缺" in page.content.decode()
    assert page.context["history"][0].who == "zuzhibu"
    refused = client.post(url, {"week": "2026-12-21", "cadre": leaders["township"].pk})
    assert refused.status_code == 200 and RotaSlot.objects.count() == 1


def test_discipline_reads_the_rota_but_cannot_schedule(client, county, leaders):
    client.force_login(staff_user("jijian", county["county"], "discipline"))
    assert client.get(reverse("staff:rota")).status_code == 200
    data = {"week": "2026-12-14", "cadre": leaders["committee"].pk}
    assert client.post(reverse("staff:rota"), data).status_code == 403
