"""Load: 300 voters at once, on PostgreSQL and on SQLite: every valid code counted exactly once,
every reused code refused, nothing lost, and the stored tally reproducible."""

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client

from evaluations.appraisal import selectors, services
from surveys.ballots.models import AdmissionCode, Ballot
from tests.evaluations.appraisal.helpers import (
    answers_for,
    branch_of,
    issue,
    make_session,
    secretary,
)

THREADS = 30
VOTERS = 300
REUSES = 100


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_300_voters_at_once_each_code_counts_exactly_once(world):
    cache.clear()
    voters, reuses = VOTERS, REUSES
    branch, _ = branch_of(world)
    shuji = secretary(branch)
    session = make_session(branch, shuji, groups=(("党员", voters, 1),))
    codes = issue(session, shuji)
    ballots = [
        answers_for(session, "excellent" if i % 3 == 0 else "qualified") for i in range(voters)
    ]
    rng = random.Random(300)
    attempts = [(i, codes[i]) for i in range(voters)] + [
        (i, codes[i]) for i in rng.sample(range(voters), reuses)
    ]
    rng.shuffle(attempts)
    connection.close()
    barrier = threading.Barrier(THREADS)
    errors, statuses = [], []

    def vote(n):
        i, code = attempts[n]
        if n < THREADS:
            barrier.wait()
        try:
            page = Client().post("/b/", {"code": code, "vote": "1", **ballots[i]})
            statuses.append(page.status_code)
        except Exception as exc:  # any error at all fails the test below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(vote, range(len(attempts))))
    assert errors == []
    assert statuses.count(200) == voters  # every valid code counted ...
    assert statuses.count(409) == reuses  # ... and every reuse refused
    assert len(statuses) == voters + reuses
    assert Ballot.objects.count() == voters
    assert not AdmissionCode.objects.exclude(status="used").exists()
    first = session.box.options["items"][0]["key"]
    excellent = sum(
        1 for b in Ballot.objects.values_list("answers", flat=True) if b[first] == "excellent"
    )
    assert excellent == len(range(0, voters, 3))
    result = services.close_session(session=session, actor=shuji)
    assert result["ballots"] == voters and result["quorum_met"]
    session.refresh_from_db()
    assert selectors.tally_matches(session)[1]
