"""Two app servers, one PostgreSQL, one Redis (docs/deploy.md, issue 16 §4): once per phone, one
ballot per code, the shared limit on guessed codes and the one live assessment run hold across
two gunicorn processes, as they would behind a load balancer."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from analytics.assessment.models import AssessmentRun
from evaluations.cycles.services import create_cycle
from surveys.ballots import codes as ballot_codes
from surveys.models import Response
from tests.evaluations.appraisal.helpers import answers_for, branch_of, issue, make_session
from tests.evaluations.appraisal.helpers import secretary as make_secretary
from tests.factories import VisitFactory, default_questionnaire, staff_user

ROOT = Path(__file__).resolve().parent.parent
PORTS = (8168, 8169)
GUESSES = 10  # surveys/ballots/throttle.py: wrong codes per address per window
GUNICORN = Path(sys.executable).with_name("gunicorn")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="two app servers share a PostgreSQL database",
    ),
]


class Phone:
    """A browser: its own cookies (the device cookie, the session), any server."""

    def __init__(self):
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(self, port, path) -> tuple[int, str]:
        return self._open(urllib.request.Request(f"http://127.0.0.1:{port}{path}"))

    def post(self, port, path, data: dict) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body))

    def _open(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=60) as page:
                return page.status, page.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def _field(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)


def _wait(port):
    for _ in range(120):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn on {port} did not start")


@pytest.fixture
def servers():
    # These tests run only on PostgreSQL (the module's skipif), i.e. on a server machine: a
    # missing gunicorn or Redis is a failure there, never a skip (.ci/run starts Redis).
    assert GUNICORN.exists(), f"gunicorn is required: {GUNICORN}"
    assert _redis_up(), "Redis on 127.0.0.1:6379 is required (redis-server, as .ci/run starts it)"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DB_POOL": "1",
        "REDIS_URL": "redis://127.0.0.1:6379/9",
        "DEBUG": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=9).flushdb()
    procs = [
        subprocess.Popen(
            [str(GUNICORN), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in PORTS
    ]
    try:
        for port in PORTS:
            _wait(port)
        yield PORTS
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=30)


def _redis_up() -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", 6379)) == 0


def test_once_per_phone_across_two_servers(servers):
    a, b = servers
    default_questionnaire()
    link = VisitFactory().rating_link
    phone = Phone()
    _, form_a = phone.get(a, link.get_absolute_url())
    _, form_b = phone.get(b, link.get_absolute_url())  # a second tab, the other server
    answers = {"attitude": "4", "style": "5", "results": "3", "overall": "basic"}
    first = phone.post(
        a,
        link.get_absolute_url(),
        {
            **answers,
            "ticket": _field(form_a, "ticket"),
        },
    )
    second = phone.post(
        b,
        link.get_absolute_url(),
        {
            **answers,
            "ticket": _field(form_b, "ticket"),
        },
    )
    # The first is redirected to its thank-you page (the opener follows it); the ticket bound to
    # the signed device cookie stands in for a CSRF token on the rating page.
    assert (first[0], second[0]) == (200, 409)
    assert Response.objects.filter(link=link).count() == 1


def _vote(phone, port, code, ballot):
    _, entry = phone.get(port, "/b/")
    token = _field(entry, "csrfmiddlewaretoken")
    return phone.post(
        port, "/b/", {"code": code, "vote": "1", "csrfmiddlewaretoken": token, **ballot}
    )[0]


def test_ballot_codes_and_guess_limit_across_two_servers(servers, world):
    a, b = servers
    branch, _ = branch_of(world)
    shuji = make_secretary(branch)
    session = make_session(branch, shuji, groups=(("党员", 3, 1),))
    codes = issue(session, shuji)
    ballot = answers_for(session, "qualified")
    assert _vote(Phone(), a, codes[0], ballot) == 200
    assert _vote(Phone(), b, codes[0], ballot) == 409  # a code works once, whichever server
    guesser = Phone()
    for i in range(GUESSES):  # wrong but well-formed codes, spread over both servers
        body = ballot_codes.new_code()[:-1]
        wrong = body + ballot_codes.check_character(body)
        assert _vote(guesser, (a, b)[i % 2], wrong, ballot) != 200
    # The shared cache counted them all: one more wrong code is refused on either server ...
    body = ballot_codes.new_code()[:-1]
    wrong = body + ballot_codes.check_character(body)
    assert _vote(guesser, a, wrong, ballot) == 429
    assert _vote(Phone(), b, wrong, ballot) == 429  # same address (127.0.0.1): still paused
    # ... while a valid unused code always votes (issue 14 §9).
    assert _vote(guesser, b, codes[1], ballot) == 200


def test_one_live_assessment_run_across_two_servers(servers, world):
    _, _, counties = world
    unit = counties["350901"]["county"]
    staff_user("officer", unit, "personnel")
    cycle = create_cycle(unit=unit, year=2026)
    officers = []
    for port in servers:
        officer = Phone()
        _, login = officer.get(port, "/staff/login/")
        token = _field(login, "csrfmiddlewaretoken")
        officer.post(
            port,
            "/staff/login/",
            {"username": "officer", "password": "pw-for-tests-1", "csrfmiddlewaretoken": token},
        )
        _, page = officer.get(port, f"/staff/reports/assessment/{cycle.pk}/")
        officers.append((officer, port, _field(page, "csrfmiddlewaretoken")))

    def start(args):
        officer, port, token = args
        return officer.post(
            port, f"/staff/reports/assessment/{cycle.pk}/run/", {"csrfmiddlewaretoken": token}
        )[0]

    with ThreadPoolExecutor(2) as pool:
        statuses = list(pool.map(start, officers))
    assert statuses == [200, 200]  # each followed to the run's progress page
    assert AssessmentRun.objects.filter(cycle=cycle).count() == 1
