"""The demo county's appraisal: a closed 民主评议党员 with its tally, an open 民主测评 whose
turnout shows and whose remaining slips the secretary of 城东社区 can print."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command

from evaluations.appraisal import selectors
from evaluations.models import AppraisalSession

pytestmark = pytest.mark.django_db


def test_demo_sessions(client, questionnaire):
    cache.clear()
    call_command("seed_demo")
    closed = AppraisalSession.objects.get(kind="members")
    assert closed.is_closed and closed.branch.name == "城东社区"
    assert closed.result["ballots"] == closed.box.ballots.count() > 0
    assert selectors.tally_matches(closed)[1]
    flagged = [s["name"] for s in closed.result["subjects"] if s["flags"]]
    assert flagged  # the demo shows what a flag looks like
    assert closed.subjects.filter(is_probationary=True).count() == 2
    running = AppraisalSession.objects.get(kind="leadership")
    assert running.status == "open" and running.box.voting_state() == "open"
    turnout = {row["group"].name: row for row in selectors.turnout(running)}
    assert turnout["党员"]["used"] > 0 and turnout["群众代表"]["issued"] == 0
    client.force_login(User.objects.get(username="shuji"))
    assert "城东社区" in client.get("/staff/appraisal/").content.decode()
    group = running.groups.get(name="群众代表")
    slips = client.post(f"/staff/appraisal/{running.pk}/codes/", {"group": group.pk, "count": 15})
    assert slips.status_code == 200 and slips["Content-Type"] == "application/pdf"
    assert client.get(f"/staff/appraisal/{closed.pk}/results/").status_code == 200
