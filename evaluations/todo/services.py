"""Reminders (issue 17 §4), written by the daily `send_reminders` command: a case deadline in
DUE_SOON_DAYS, a quota period ending with a shortfall, a vote closing today. Each goes to the
person who must act, once per occasion, into the in-app inbox; e-mail, when configured, is sent
by the task worker (evaluations/todo/tasks.py)."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.cases.services import OPEN
from evaluations.models import AppraisalSession, Cadre, Case, Reminder, StaffProfile
from evaluations.quota import compliance
from evaluations.todo.selectors import DUE_SOON_DAYS, ending_short
from surveys import notes
from surveys.ballots.models import BallotBox

K = Reminder.Kind
# Kept as messages and rendered when read (issue 18 §8): the inbox reads in the reader's language.
CASE_DUE = gettext_lazy("问题“%(title)s”的办结期限是%(deadline)s，还有%(days)s天。")
PERIOD_SHORT = gettext_lazy("%(rule)s（%(period)s）%(end)s结束，还差%(left)s。")
VOTE_CLOSING = gettext_lazy("%(title)s今天%(time)s截止投票。")


def _case_reminders(today) -> list[Reminder]:
    cases = (
        Case.objects.filter(
            status__in=OPEN, deadline__range=(today, today + dt.timedelta(DUE_SOON_DAYS))
        )
        .filter(
            Q(responsible__user__isnull=False)
            | Q(responsible=None, raised_with__user__isnull=False)
        )
        .select_related("responsible", "raised_with")
    )
    found = []
    for case in cases:
        owner = case.responsible or case.raised_with
        text = notes.note(
            CASE_DUE,
            title=case.title[:100],
            deadline=f"{case.deadline:%Y-%m-%d}",
            days=(case.deadline - today).days,
        )
        found.append(
            Reminder(
                user_id=owner.user_id,
                kind=K.CASE_DUE,
                key=f"case:{case.pk}:{case.deadline}",
                message=text,
                url=reverse("staff:case_detail", args=[case.pk]),
            )
        )
    return found


def _quota_reminders(today) -> list[Reminder]:
    cadres = Cadre.objects.filter(is_active=True, user__isnull=False)
    report = compliance.evaluate(cadres=cadres, year=today.year, as_of=today)
    found = []
    for cadre, row in ending_short(report, today):
        text = notes.note(
            PERIOD_SHORT,
            rule=row.rule.shown_label,
            period=row.period.label,
            end=f"{row.period.end:%Y-%m-%d}",
            left=str(row.shortfall),  # a Decimal, which JSON does not take
        )
        found.append(
            Reminder(
                user_id=cadre.user_id,
                kind=K.PERIOD_SHORT,
                key=f"quota:{row.rule.pk}:{row.period.label}",
                message=text,
                url=reverse("staff:my_quota"),
            )
        )
    return found


def _vote_reminders(today) -> list[Reminder]:
    sessions = AppraisalSession.objects.filter(
        box__status=BallotBox.Status.OPEN, box__closes_at__date=today
    ).select_related("branch", "box")
    found = []
    for session in sessions:
        secretaries = StaffProfile.objects.filter(
            unit=session.branch, user__groups__name="secretary"
        ).values_list("user", flat=True)
        users = set(secretaries) | ({session.created_by_id} - {None})
        closes = timezone.localtime(session.box.closes_at)
        text = notes.note(VOTE_CLOSING, title=session.title, time=f"{closes:%H:%M}")
        url = reverse("staff:appraisal_detail", args=[session.pk])
        for user in sorted(users):
            found.append(
                Reminder(
                    user_id=user,
                    kind=K.VOTE_CLOSING,
                    key=f"vote:{session.pk}:{today}",
                    message=text,
                    url=url,
                )
            )
    return found


@transaction.atomic
def remind(*, today: dt.date | None = None) -> list[int]:
    """Write today's reminders into the inbox; the ids of those new today."""
    today = today or timezone.localdate()
    wanted = _case_reminders(today) + _quota_reminders(today) + _vote_reminders(today)
    existing = set(
        Reminder.objects.filter(key__in={r.key for r in wanted}).values_list("user", "key")
    )
    new = {(r.user_id, r.key): r for r in wanted if (r.user_id, r.key) not in existing}
    Reminder.objects.bulk_create(new.values(), ignore_conflicts=True)
    written = Reminder.objects.filter(key__in={key for _user, key in new}, emailed_at=None)
    return [pk for pk, user, key in written.values_list("pk", "user", "key") if (user, key) in new]


def mail_enabled() -> bool:
    """E-mail only when the deployment set a mail server (README: EMAIL_HOST)."""
    return bool(getattr(settings, "REMINDER_MAIL", False))


def mail_reminders(reminder_ids: list[int]) -> int:
    """Send the not yet mailed reminders of `reminder_ids` to users with an address: one
    message per reminder, marked as sent so a repeated task mails nothing twice."""
    if not mail_enabled():
        return 0
    User = get_user_model()
    sent = 0
    reminders = (
        Reminder.objects.filter(pk__in=reminder_ids, emailed_at=None)
        .exclude(user__email="")
        .filter(user__in=User.objects.filter(is_active=True))
        .select_related("user")
    )
    for reminder in reminders:
        link = f"{settings.SITE_URL}{reminder.url}"
        send_mail(
            subject=_("民评提醒：%(kind)s") % {"kind": reminder.get_kind_display()},
            message=f"{reminder.shown}\n\n{link}",
            from_email=None,
            recipient_list=[reminder.user.email],
        )
        Reminder.objects.filter(pk=reminder.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def mark_read(*, user, pks=None) -> int:
    unread = Reminder.objects.filter(user=user, read_at=None)
    if pks is not None:
        unread = unread.filter(pk__in=pks)
    return unread.update(read_at=timezone.now())
