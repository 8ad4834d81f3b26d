"""Reminders (issue 17 §4): into the inbox of whoever must act, once per occasion; e-mail only
when a mail server is configured, sent by the task worker, never twice."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from evaluations.cases import services as cases
from evaluations.models import Reminder
from evaluations.todo import services
from evaluations.todo.tasks import remind_and_queue_mail
from tests.evaluations.appraisal.helpers import make_session
from tests.factories import CadreFactory, VisitFactory, staff_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


@pytest.fixture
def county(world, questionnaire):
    return world[2]["350901"]


@pytest.fixture
def due_case(county):
    me = CadreFactory(unit=county["county"], name="林海")
    user = staff_user("linhai", county["county"], "cadre", cadre=me)
    user.email = "linhai@example.org"
    user.save()
    visit = VisitFactory(lead=me, start_date=TODAY - 5 * DAY, end_date=TODAY - 5 * DAY)
    case = cases.raise_case(visit=visit, cadre=me, title="修桥", raised_on=TODAY - 5 * DAY)
    cases.accept(case=case)
    cases.assign(case=case, responsible=me, deadline=TODAY + 3 * DAY)
    later = cases.raise_case(visit=visit, cadre=me, title="修路", raised_on=TODAY - 5 * DAY)
    cases.accept(case=later)
    cases.assign(case=later, responsible=me, deadline=TODAY + 20 * DAY)
    return user, case


def kinds(user) -> list[str]:
    return sorted(Reminder.objects.filter(user=user).values_list("kind", flat=True))


def test_a_case_due_in_three_days_reminds_its_responsible_leader_once(due_case):
    user, case = due_case
    services.remind(today=TODAY)
    reminder = Reminder.objects.get(user=user, kind=Reminder.Kind.CASE_DUE)
    assert "修桥" in reminder.shown and "还有3天" in reminder.shown
    assert reminder.url == f"/staff/cases/{case.pk}/"
    assert services.remind(today=TODAY) == []  # the next run adds nothing
    assert Reminder.objects.filter(kind=Reminder.Kind.CASE_DUE).count() == 1


def test_a_period_ending_with_a_shortfall_reminds_the_cadre(county):
    cadre = CadreFactory(unit=county["county"], level="county", name="陈静")
    user = staff_user("chenjing", county["county"], "cadre", cadre=cadre)
    services.remind(today=dt.date(2026, 12, 20))
    texts = [(r.shown, r.kind) for r in Reminder.objects.filter(user=user)]
    assert texts and all(kind == Reminder.Kind.PERIOD_SHORT for _t, kind in texts)
    assert any("还差" in text for text, _kind in texts)
    assert not Reminder.objects.filter(user__isnull=True).exists()
    Reminder.objects.all().delete()
    services.remind(today=dt.date(2026, 6, 1))  # every period ends more than two weeks later
    assert kinds(user) == []


def test_a_vote_closing_today_reminds_the_branch_secretary(county):
    shuji = staff_user("shuji", county["village"], "secretary")
    closes_at = timezone.now() + dt.timedelta(minutes=30)
    make_session(county["village"], shuji, closes_at=closes_at)
    make_session(county["village"], shuji, closes_at=timezone.now() + 3 * DAY)
    services.remind(today=timezone.localdate(closes_at))
    assert kinds(shuji) == [Reminder.Kind.VOTE_CLOSING]
    assert "截止投票" in Reminder.objects.get(user=shuji).shown


def test_without_a_mail_server_nothing_is_mailed_and_nothing_fails(due_case, settings):
    settings.REMINDER_MAIL = False
    new = remind_and_queue_mail(today=TODAY)
    assert new and mail.outbox == []
    assert not Reminder.objects.exclude(emailed_at=None).exists()


def test_with_a_mail_server_the_worker_mails_each_new_reminder_once(due_case, settings):
    settings.REMINDER_MAIL = True
    user, _case = due_case
    remind_and_queue_mail(today=TODAY)  # the test settings run tasks at once
    reminders = Reminder.objects.filter(user=user)
    assert len(mail.outbox) == reminders.count() >= 1  # one message per reminder
    assert {tuple(m.to) for m in mail.outbox} == {("linhai@example.org",)}
    case_mail = next(m for m in mail.outbox if "修桥" in m.body)
    assert "http://testserver/staff/cases/" in case_mail.body
    assert not reminders.filter(emailed_at=None).exists()
    assert services.mail_reminders(list(reminders.values_list("pk", flat=True))) == 0
    assert len(mail.outbox) == reminders.count()  # never twice


def test_the_daily_command_writes_the_inbox(due_case):
    user, _case = due_case
    call_command("send_reminders", verbosity=0)
    assert Reminder.Kind.CASE_DUE in kinds(user)


def test_mark_read_touches_only_the_users_own(due_case, county):
    user, _case = due_case
    other = staff_user("other", county["county"], "personnel")
    services.remind(today=TODAY)
    theirs = Reminder.objects.create(user=other, kind="case_due", key="x", text="x", url="/")
    assert services.mark_read(user=user, pks=[theirs.pk]) == 0
    assert services.mark_read(user=user) >= 1
    theirs.refresh_from_db()
    assert theirs.read_at is None
