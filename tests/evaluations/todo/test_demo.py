"""The demo county shows non-empty to-do lists and an inbox for its accounts."""

import pytest
from django.contrib.auth.models import User

from evaluations import demo
from evaluations.models import Reminder
from evaluations.todo.selectors import sections_for

pytestmark = pytest.mark.django_db


def counts(username) -> dict:
    user = User.objects.get(username=username)
    return {i.key: i.count for s in sections_for(user) for i in s.items}


def test_every_demo_account_has_something_to_do(questionnaire):
    demo.seed()
    cadre = counts("zhangwei")
    assert cadre["visits_unsummarised"] >= 1 and cadre["cases_due"] >= 1
    assert counts("shuji")["sessions_to_close"] >= 1
    assert counts("zuzhibu")["overdue_cases"] >= 1
    assert sum(counts("jijian").values()) >= 1
    inbox = Reminder.objects.filter(user__username="zhangwei", read_at=None)
    assert inbox.filter(kind=Reminder.Kind.CASE_DUE).exists()
