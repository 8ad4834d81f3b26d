"""The problem ledger's services and metrics (evaluations/cases.py, evaluations/case_metrics.py)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from evaluations.cases import selectors as case_selectors
from evaluations.cases import services as cases
from evaluations.cases.metrics import case_metrics
from evaluations.models import Case, CaseEvent, PolicyRuleSet, RuleSetAssignment
from surveys.models import RatingLink, Response
from tests import factories
from tests.evaluations.cases.helpers import new_case, rate_handling, visit_in

pytestmark = pytest.mark.django_db
S = Case.Status
DAY = dt.date(2026, 3, 2)
MONTH_LATER = dt.date(2026, 4, 2)  # 004: 一个月内, a calendar month


@pytest.fixture
def places(world):
    province, city, counties = world
    return {"province": province, "city": city, **counties["350901"], "far": counties["350902"]}


@pytest.fixture
def visit(places):
    return visit_in(places["village"], day=DAY)


def test_a_case_goes_through_its_statuses_and_keeps_its_whole_history(visit, places):
    officer = factories.staff_user("officer", places["county"], "personnel")
    leader = factories.CadreFactory(unit=places["county"])
    case = new_case(visit, actor=officer)
    assert case.status == S.RECEIVED and case.raised_with == visit.lead
    assert case.unit == places["village"] and case.source == Case.Source.VISIT
    case = cases.accept(case=case, actor=officer)
    case = cases.assign(case=case, responsible=leader, actor=officer, note="先行排查线路")
    case = cases.escalate(case=case, to_unit=places["county"], actor=officer)
    case = cases.close(case=case, result="县供电公司已更换线路", on=DAY + dt.timedelta(20))
    history = list(case.events.values_list("status", flat=True))
    assert history == [S.RECEIVED, S.ACCEPTED, S.ASSIGNED, S.ESCALATED, S.CLOSED]
    assign_event = case.events.get(status=S.ASSIGNED)
    assert leader.name in assign_event.shown and "先行排查线路" in assign_event.note
    assert assign_event.actor == officer
    assert case.closed_on == DAY + dt.timedelta(20) and case.escalated_to == places["county"]


@pytest.mark.parametrize(
    ("status", "action", "kwargs"),
    [
        (S.DECLINED, "accept", {}),
        (S.RECEIVED, "close", {"result": "已处理"}),
        (S.RECEIVED, "assign", {}),
        (S.SOLVED_ON_SPOT, "assign", {}),
        (S.CLOSED, "close", {"result": "再次办结"}),
        (S.ACCEPTED, "decline", {"reason": "不属于本级职责"}),
        (S.CLOSED, "escalate", {}),
    ],
)
def test_an_illegal_transition_raises_and_writes_nothing(visit, places, status, action, kwargs):
    case = new_case(visit)
    Case.objects.filter(pk=case.pk).update(status=status)
    extra = {
        "assign": {"responsible": visit.lead},
        "escalate": {"to_unit": places["county"]},
    }.get(action, {})
    with pytest.raises(cases.CaseError) as error:
        getattr(cases, action)(case=case, **kwargs, **extra)
    assert error.value.code == "transition" and "不能" in str(error.value)
    assert Case.objects.get(pk=case.pk).status == status
    assert case.events.count() == 1


def test_the_transition_table_is_what_the_services_obey(visit):
    for status in S.values:
        case = new_case(visit)
        Case.objects.filter(pk=case.pk).update(status=status)
        case.refresh_from_db()
        try:
            cases.accept(case=case)
        except cases.CaseError:
            accepted = False
        else:
            accepted = True
        assert accepted == ("accept" in cases.allowed_actions(case)) == (status == S.RECEIVED)


def test_decline_needs_a_reason_and_is_not_acceptance(visit):
    case = new_case(visit)
    with pytest.raises(cases.CaseError, match="原因"):
        cases.decline(case=case, reason="  ")
    case = cases.decline(case=case, reason="属于司法程序，已告知群众依法申请")
    assert case.status == S.DECLINED and case.decline_reason.startswith("属于司法程序")
    assert cases.allowed_actions(case) == []


def test_solved_on_the_spot_is_finished_the_day_it_was_raised(visit):
    case = cases.solve_on_spot(case=new_case(visit), result="当场协调，次日通水")
    assert case.status == S.SOLVED_ON_SPOT and case.closed_on == DAY and case.deadline is None


def test_deadline_defaults_to_the_rule_set_and_is_configurable(visit, places):
    leader = factories.CadreFactory(unit=places["county"])
    accepted = cases.accept(case=new_case(visit))
    assert PolicyRuleSet.objects.get(is_default=True).case_deadline_months == 1  # 004: 一个月
    assert accepted.deadline == MONTH_LATER
    assigned = cases.assign(case=cases.accept(case=new_case(visit)), responsible=leader)
    assert assigned.deadline == MONTH_LATER

    quick = PolicyRuleSet.objects.create(
        code="quick", name="快办", source="测试", case_deadline_days=15, case_deadline_months=None
    )
    RuleSetAssignment.objects.create(ruleset=quick, unit=places["county"], first_year=2026)
    assigned = cases.assign(case=cases.accept(case=new_case(visit)), responsible=leader)
    assert assigned.deadline == DAY + dt.timedelta(days=15)
    far = cases.accept(case=new_case(visit_in(places["far"]["village"], day=DAY)))
    assert far.deadline == MONTH_LATER  # the other county keeps the default

    chosen = cases.assign(
        case=cases.accept(case=new_case(visit)), responsible=leader, deadline=DAY + dt.timedelta(7)
    )
    assert chosen.deadline == DAY + dt.timedelta(7)
    with pytest.raises(cases.CaseError, match="早于"):
        cases.assign(case=chosen, responsible=leader, deadline=DAY - dt.timedelta(1))


def test_escalation_goes_only_upward(visit, places):
    case = cases.accept(case=new_case(visit))
    for unit in (places["village"], places["far"]["county"], places["far"]["town"]):
        with pytest.raises(cases.CaseError) as error:
            cases.escalate(case=case, to_unit=unit)
        assert error.value.code == "not_upward"
    lower = factories.OrgUnitFactory(code="350901-1-1-1", level="organ", parent=places["village"])
    with pytest.raises(cases.CaseError):
        cases.escalate(case=case, to_unit=lower)
    case = cases.escalate(case=case, to_unit=places["county"])
    with pytest.raises(cases.CaseError) as error:
        cases.escalate(case=case, to_unit=places["town"])  # back down after the county
    assert error.value.code == "not_higher"
    case = cases.escalate(case=case, to_unit=places["city"])
    assert case.escalated_to == places["city"]
    assert case.events.filter(status=S.ESCALATED).count() == 2


def test_overdue_lists_accepted_unfinished_cases_past_their_deadline(visit, places):
    officer = factories.staff_user("officer", places["county"], "personnel")
    late = cases.accept(case=new_case(visit, title="超期的问题"))
    in_time = cases.accept(case=new_case(visit, title="还没到期的问题"))
    Case.objects.filter(pk=in_time.pk).update(deadline=timezone.localdate() + dt.timedelta(3))
    done = cases.close(case=cases.accept(case=new_case(visit)), result="已办结", on=DAY)
    new_case(visit, title="尚未受理")
    listed = list(case_selectors.ledger(officer, overdue=True))
    assert listed == [late]
    assert cases.is_overdue(late, timezone.localdate()) and not cases.is_overdue(done, DAY)


def test_xiapu_reception_day_1988(places):
    """004: 接待群众102名，受理问题86件，其中12件当场解决 — 受理率 86/102, 当场解决率 12/86:
    the 12 are 其中 (among) the 86 accepted; a problem not accepted cannot be solved on the spot."""
    visit = visit_in(places["village"], day=dt.date(1988, 12, 20))
    received = [new_case(visit, title=f"群众来访{i}") for i in range(102)]
    for case in received[:12]:
        cases.solve_on_spot(case=case, result="当面锣对面鼓，当场解决")
    for case in received[12:86]:
        cases.accept(case=case)
    for case in received[86:]:
        cases.decline(case=case, reason="不属于地县职责范围，已引导依法反映")
    (row,) = case_metrics(Case.objects.all(), by="cadre", today=dt.date(1988, 12, 21))
    assert (row.received, row.accepted, row.on_spot) == (102, 86, 12)
    assert row.acceptance_rate == pytest.approx(86 / 102)
    assert row.on_spot_rate == pytest.approx(12 / 86)
    assert row.key == visit.lead_id and row.period == dt.date(1988, 1, 1)
    # 其余要求在一个月内处理完毕: the 74 others are due a calendar month later, 1989-01-20.
    assert set(Case.objects.filter(status=S.ACCEPTED).values_list("deadline", flat=True)) == {
        dt.date(1989, 1, 20)
    }


def test_on_time_and_satisfaction_rates_per_unit_subtree_and_quarter(
    places, django_assert_num_queries
):
    leader = factories.CadreFactory(unit=places["county"])
    here, there = visit_in(places["village"], day=DAY), visit_in(places["far"]["village"], day=DAY)
    on_time = cases.close(case=cases.accept(case=new_case(here)), result="好了", on=DAY)
    late = cases.assign(case=cases.accept(case=new_case(here)), responsible=leader)
    late = cases.close(case=late, result="晚了", on=DAY + dt.timedelta(45))
    overdue = cases.accept(case=new_case(here))
    cases.accept(case=new_case(here, raised_on=dt.date(2026, 11, 20)))  # not yet due, Q4
    cases.solve_on_spot(case=new_case(there), result="当场解决")
    for value in ("5", "3"):
        rate_handling(on_time, value)
    rate_handling(late, "1")
    rate_handling(overdue, "2", review=Response.Review.FLAGGED)  # held for review: not counted
    units = [places["town"], places["far"]["county"]]
    with django_assert_num_queries(1):
        rows = case_metrics(
            Case.objects.all(),
            by="unit",
            units=units,
            period="quarter",
            today=dt.date(2026, 11, 23),
        )
    by_key = {(r.key, r.period): r for r in rows}
    q1 = by_key[(places["town"].pk, dt.date(2026, 1, 1))]
    assert (q1.received, q1.accepted, q1.due, q1.on_time) == (3, 3, 3, 1)
    assert q1.on_time_rate == pytest.approx(1 / 3)
    assert (q1.ratings, q1.satisfied) == (3, 2) and q1.satisfaction_rate == pytest.approx(2 / 3)
    q4 = by_key[(places["town"].pk, dt.date(2026, 10, 1))]
    assert (q4.received, q4.due, q4.on_time_rate) == (1, 0, None)
    far = by_key[(places["far"]["county"].pk, dt.date(2026, 1, 1))]
    assert (far.on_spot, far.on_spot_rate, far.satisfaction_rate) == (1, 1.0, None)
    total = q1 + q4
    assert (total.received, total.accepted) == (4, 4)


def test_every_case_gets_its_own_haochaping_link_described_to_the_resident(visit, client):
    first, second = new_case(visit, title="水渠堵塞"), new_case(visit, title="路灯不亮")
    assert first.rating_link_id and first.rating_link_id != second.rating_link_id
    assert first.rating_link.questionnaire.code == "haochaping"
    page = client.get(first.rating_link.get_absolute_url()).content.decode()
    assert "水渠堵塞" in page and "已登记" in page
    cases.accept(case=first)
    assert "已受理" in client.get(first.rating_link.get_absolute_url()).content.decode()


@pytest.mark.parametrize("finish", ["close", "solve_on_spot", "decline"])
def test_the_handling_rating_opens_only_once_the_case_is_finished(visit, client, finish):
    """Scenario: the resident rated 非常不满意 a case accepted that morning, a promise and not
    a result. Until the case is finished the link shows its status and no form; at 办结 (or
    当场解决, or 不予受理 with its reason) the form opens, for a year from that day."""
    case = new_case(visit, title="水渠堵塞")
    url = case.rating_link.get_absolute_url()
    waiting = client.get(url)
    assert waiting.status_code == 410 and "目前还不能评价" in waiting.content.decode()
    assert "非常满意" not in waiting.content.decode()
    if finish == "close":
        cases.accept(case=case)
        case = cases.close(case=case, result="已清淤")
    elif finish == "solve_on_spot":
        case = cases.solve_on_spot(case=case, result="当场疏通")
    else:
        case = cases.decline(case=case, reason="不属于本级职责")
    case.rating_link.refresh_from_db()
    assert case.rating_link.state() == "open"
    assert case.rating_link.valid_until - case.rating_link.valid_from == dt.timedelta(days=365)
    assert "非常满意" in client.get(url).content.decode()


def test_only_a_cadre_of_the_visit_can_log_its_cases(visit, places):
    stranger = factories.CadreFactory(unit=places["county"])
    with pytest.raises(cases.CaseError, match="自己带队或参加"):
        cases.raise_case(title="问题", visit=visit, cadre=stranger)
    visit.companions.add(stranger)
    case = cases.raise_case(title="问题", visit=visit, cadre=stranger)
    assert case.raised_with == stranger
    with pytest.raises(cases.CaseError, match="请填写"):
        cases.raise_case(title=" ", visit=visit, cadre=stranger)


def test_contact_only_with_consent_and_purged_after_the_retention_period(visit, settings):
    with pytest.raises(cases.CaseError, match="同意"):
        cases.raise_case(title="问题", visit=visit, cadre=visit.lead, contact_phone="13812341234")
    kept = cases.raise_case(
        title="问题",
        visit=visit,
        cadre=visit.lead,
        contact_phone="13812341234",
        contact_name="张三",
        contact_consent=True,
    )
    old = cases.raise_case(
        title="旧问题",
        visit=visit,
        cadre=visit.lead,
        contact_phone="13900001111",
        contact_consent=True,
    )
    settings.CONTACT_RETENTION_DAYS = 180
    Case.objects.filter(pk=old.pk).update(
        contact_consent_at=timezone.now() - dt.timedelta(days=181)
    )
    call_command("purge_contacts", verbosity=0)
    old.refresh_from_db()
    kept.refresh_from_db()
    assert (old.contact_phone, old.contact_name, old.contact_consent_at) == ("", "", None)
    assert kept.contact_phone == "13812341234" and kept.contact_consent_at is not None
    assert CaseEvent.objects.filter(case=old).count() == 1


@pytest.mark.parametrize(
    ("raised", "due"),
    [
        (dt.date(1988, 12, 20), dt.date(1989, 1, 20)),
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28)),  # no 31 February: the month's last day
        (dt.date(2026, 2, 1), dt.date(2026, 3, 1)),  # 28 days, still one month
    ],
)
def test_one_month_is_a_calendar_month(places, raised, due):
    """004: "其余要求在一个月内处理完毕" — raised 20 December, due 20 January, not 30 days."""
    case = new_case(visit_in(places["village"], day=raised))
    assert cases.accept(case=case).deadline == due


def test_the_xiapu_day_can_be_entered_as_it_happened(client, places):
    """004: "一天时间里，地、县两级领导共接待群众102名，受理问题86件，其中12件当场解决，其余要求
    在一个月内处理完毕" — the reception day, its people, its problems and their deadline."""
    day = dt.date(1988, 12, 20)
    reception = visit_in(places["village"], day=day)
    reception.people_received = 102
    reception.save(update_fields=["people_received"])
    for n in range(86):
        case = new_case(reception, title=f"群众反映问题{n + 1}")
        if n < 12:
            cases.solve_on_spot(case=case, result="当场协调解决")
        else:
            assert cases.accept(case=case).deadline == dt.date(1989, 1, 20)
    officer = factories.staff_user("officer", places["county"], "personnel")
    (row,) = case_selectors.receptions(officer, year=1988)
    assert (row.people_received, row.raised, row.accepted, row.on_spot) == (102, 86, 86, 12)
    client.force_login(officer)
    html = client.get("/staff/cases/metrics/?year=1988").content.decode()
    assert "<td>102</td><td>86</td><td>86</td><td>12</td>" in html


def test_the_migration_closes_the_links_of_cases_still_being_handled(visit):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("evaluations.migrations.0012_handling_after_closing")
    waiting, done = new_case(visit, title="路灯不亮"), new_case(visit, title="水渠堵塞")
    cases.solve_on_spot(case=done, result="当场修好")
    RatingLink.objects.filter(pk__in=[waiting.rating_link_id, done.rating_link_id]).update(
        is_enabled=True
    )
    migration.close_unfinished(apps, None)
    waiting.rating_link.refresh_from_db(), done.rating_link.refresh_from_db()
    assert (waiting.rating_link.is_enabled, done.rating_link.is_enabled) == (False, True)
