"""No future, no paper (issue 13, point 4): a visit is done only after its last day; a done
visit's dates, hours and companions change only by a logged amendment."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from evaluations.discipline import selectors as discipline
from evaluations.models import Visit, VisitAmendment
from evaluations.visits import services
from tests.factories import CadreFactory, VisitFactory, staff_user

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def county(world, questionnaire):
    return world[2]["350901"]


@pytest.fixture
def zhang(county):
    return CadreFactory(unit=county["county"], name="张伟", post="副县长")


def test_a_visit_cannot_be_done_before_its_last_day(zhang):
    """000: "回来以后要认真进行总结" — the summary comes after the return, so a visit ending
    tomorrow cannot be marked done today; on its last day it can."""
    visit = VisitFactory(lead=zhang, start_date=D(2026, 11, 29), end_date=D(2026, 12, 1))
    with pytest.raises(services.VisitError, match="2026-12-01才结束"):
        services.complete_visit(visit=visit, summary="走访了三户", today=D(2026, 11, 30))
    visit.refresh_from_db()
    assert visit.status == Visit.Status.PLANNED
    services.complete_visit(visit=visit, summary="走访了三户", today=D(2026, 12, 1))
    assert visit.status == Visit.Status.DONE


def done_visit(lead, **extra):
    visit = VisitFactory(
        lead=lead,
        start_date=D(2026, 5, 6),
        end_date=D(2026, 5, 7),
        hours=Decimal(14),
        status=Visit.Status.DONE,
        summary="召开座谈会两场",
        **extra,
    )
    return Visit.objects.get(pk=visit.pk)


def test_a_done_visits_dates_change_only_by_a_logged_amendment(county, zhang):
    """SPEC §7 "quotas met only on paper": stretching a done visit from two days to five is
    refused without a reason; with one, it is an amendment 纪检 reads, never a silent edit."""
    visit = done_visit(zhang)
    visit.end_date = D(2026, 5, 10)
    with pytest.raises(services.VisitError, match="更正原因"):
        services.save_visit(visit=visit, lead=zhang)
    assert Visit.objects.get(pk=visit.pk).end_date == D(2026, 5, 7)
    officer = staff_user("jijian", county["county"], "discipline")
    services.save_visit(visit=visit, lead=zhang, amendment_reason="漏记后三天驻村", actor=officer)
    (amendment,) = VisitAmendment.objects.filter(visit=visit)
    assert amendment.changes == {"end_date": ["2026-05-07", "2026-05-10"]}
    assert amendment.rows() == [("结束日期", "2026-05-07", "2026-05-10")]
    (row,) = discipline.report(officer, year=2026)
    assert row.amendments == [amendment]


def test_hours_and_companions_are_frozen_too_but_the_purpose_is_not(county, zhang):
    colleague = CadreFactory(unit=county["town"], name="李娜", post="镇长")
    visit = done_visit(zhang)
    visit.purpose = "调研茶产业和电商"
    services.save_visit(visit=visit, lead=zhang)  # not a frozen field: no reason needed
    with pytest.raises(services.VisitError):
        services.save_visit(visit=visit, lead=zhang, companions=[colleague])
    visit.hours = Decimal(4)
    services.save_visit(
        visit=visit, lead=zhang, companions=[colleague], amendment_reason="补记同行和时长"
    )
    (amendment,) = visit.amendments.all()
    assert amendment.changes == {"hours": ["14.0", "4"], "companions": ["—", "李娜"]}
    assert list(visit.companions.all()) == [colleague]


def test_a_planned_visit_is_edited_freely(zhang):
    visit = VisitFactory(lead=zhang)
    visit.end_date = visit.end_date + dt.timedelta(days=2)
    services.save_visit(visit=visit, lead=zhang)
    assert not VisitAmendment.objects.exists()


def test_a_point_of_someone_else_is_refused(county, zhang):
    from evaluations.models import ContactPoint

    other = CadreFactory(unit=county["county"], name="王强", post="副县长")
    point = ContactPoint.objects.create(
        cadre=other, kind="village", unit=county["village"], start=D(2025, 1, 1)
    )
    visit = VisitFactory.build(lead=zhang, target_unit=county["village"], contact_point=point)
    visit.rating_link = None
    with pytest.raises(services.VisitError, match="不是带队干部本人的联系点"):
        services.save_visit(visit=visit, lead=zhang)


def test_a_visit_date_follows_the_language():
    visit = Visit(start_date=dt.date(2026, 3, 2), end_date=dt.date(2026, 3, 4))
    with translation.override("zh-hans"):
        assert visit.date_label() == "2026年3月2日至3月4日"  # config/formats: no zero padding
    with translation.override("en"):
        assert visit.date_label() == "March 2, 2026 to March 4"
