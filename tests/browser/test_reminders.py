"""Reminders in a real Chromium (issue 17 §4, §8): the daily run puts a case due in three days
into the responsible cadre's inbox; he sees it on his home page, opens the case from it, and
marks it read. No mail server is configured, and nothing is mailed."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from evaluations.cases import services as cases
from evaluations.models import Reminder
from tests.factories import CadreFactory, VisitFactory, default_questionnaire, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TODAY = timezone.localdate()


def test_cadre_finds_the_reminder_and_acts_on_it(desktop, world, settings):
    settings.REMINDER_MAIL = False
    default_questionnaire()
    county = world[2]["350901"]
    me = CadreFactory(unit=county["county"], name="林海")
    user = staff_user("linhai", county["county"], "cadre", cadre=me)
    user.email = "linhai@example.org"
    user.save()
    day = TODAY - dt.timedelta(days=4)
    visit = VisitFactory(lead=me, target_unit=county["village"], start_date=day, end_date=day)
    case = cases.raise_case(visit=visit, cadre=me, title="山体滑坡隐患", raised_on=day)
    cases.accept(case=case)
    cases.assign(case=case, responsible=me, deadline=TODAY + dt.timedelta(days=3))
    call_command("send_reminders", verbosity=0)
    assert mail.outbox == []
    unread = Reminder.objects.filter(user=user).count()  # the case, and any quota period ending

    page = desktop(user)
    inbox = page.locator("[data-inbox]")
    expect(inbox).to_have_attribute("data-inbox", str(unread))
    expect(inbox).to_contain_text("山体滑坡隐患")
    inbox.get_by_role("link", name="提醒").click()
    item = page.locator('[data-reminder="case_due"]')
    expect(item).to_contain_text("还有3天")
    item.get_by_role("button", name="标为已读").click()
    expect(page.locator('[data-reminder="case_due"]')).not_to_contain_text("未读")
    assert Reminder.objects.get(user=user, kind="case_due").read_at is not None
    page.locator('[data-reminder="case_due"]').get_by_role("link").click()
    expect(page.locator("main")).to_contain_text("山体滑坡隐患")
    assert page.url.endswith(f"/staff/cases/{case.pk}/")
    page.goto("/staff/")
    expect(page.locator("[data-inbox]")).to_have_attribute("data-inbox", str(unread - 1))
