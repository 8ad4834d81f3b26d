"""Integrity simulation: genuine meetings and stuffing attacks over real HTTP through gunicorn.

Phones are threads with their own cookie jar, browser string and address (sent the way our
load balancer does: X-Forwarded-For, X-Forwarded-Proto), waiting on the page for real. The
server runs with production settings on PostgreSQL, the integrity scan in `db_worker`. Prints,
per scenario, stored / flagged / counted, the false-positive rate of genuine responses, and
the published adjusted score's shift from the score with every fake excluded; then deadlocks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mp_bench_integrity \\
        .venv/bin/python bench/integrity.py          # about 32 minutes
    BENCH_SCALE=0.2 ...                              # a smaller, shorter run (about 7 minutes)

The database named in DATABASE_URL is dropped and created again. Exits non-zero when a goal of
bench/README.md is missed."""

import datetime as dt
import http.client
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PORT = int(os.environ.get("BENCH_PORT", 8110))
SCALE = float(os.environ.get("BENCH_SCALE", 1))
HOST = "minping.example.org"
SERVER_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-integrity-" + "k" * 40,
    "IP_HASH_SALT": "bench-integrity-ip-" + "h" * 40,
    "ALLOWED_HOSTS": HOST,
    "SITE_URL": f"https://{HOST}",
    "CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR",
    "TRUSTED_PROXY_COUNT": "1",
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11"),
    "DB_POOL": "1",
    "LOG_LEVEL": "ERROR",
}
os.environ.update({k: v for k, v in SERVER_ENV.items() if k not in ("DB_POOL",)})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if "DATABASE_URL" not in os.environ:
    sys.exit("Set DATABASE_URL to a PostgreSQL database this script may drop and create.")

import django  # noqa: E402
import psycopg  # noqa: E402

# Phone browser strings, weighted as in a county's WeChat traffic: a few models dominate, so
# many phones at one meeting send exactly the same string.
AGENTS = [
    (
        30,
        "Mozilla/5.0 (Linux; Android 12; V2134A Build/SP1A; wv) Chrome/107.0 Mobile "
        "MicroMessenger/8.0.49.2600(0x28003133) NetType/4G Language/zh_CN",
    ),
    (
        18,
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 "
        "MicroMessenger/8.0.50(0x1800322c) NetType/WIFI Language/zh_CN",
    ),
    (
        14,
        "Mozilla/5.0 (Linux; Android 13; PHM110 Build/TP1A; wv) Chrome/111.0 Mobile "
        "MicroMessenger/8.0.49.2600(0x28003133) NetType/WIFI Language/zh_CN",
    ),
    (
        10,
        "Mozilla/5.0 (Linux; Android 12; 22041216C Build/SP1A; wv) Chrome/107.0 Mobile "
        "MicroMessenger/8.0.47.2560(0x28002F30) NetType/4G Language/zh_CN",
    ),
    (
        8,
        "Mozilla/5.0 (Linux; HarmonyOS 4.0; ALN-AL00 Build/HUAWEIALN; wv) Chrome/99.0 Mobile "
        "MicroMessenger/8.0.49.2600(0x28003133) NetType/5G Language/zh_CN",
    ),
    (
        6,
        "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 "
        "MicroMessenger/8.0.48(0x18003029) NetType/4G Language/zh_CN",
    ),
    (
        5,
        "Mozilla/5.0 (Linux; Android 11; M2101K9C Build/RKQ1; wv) Chrome/99.0 Mobile "
        "MicroMessenger/8.0.40.2420(0x28002837) NetType/WIFI Language/zh_CN",
    ),
    (
        4,
        "Mozilla/5.0 (Linux; Android 10; V1938CT Build/QP1A; wv) Chrome/87.0 Mobile "
        "MicroMessenger/8.0.35.2360(0x28002351) NetType/4G Language/zh_CN",
    ),
    (
        3,
        "Mozilla/5.0 (Linux; U; Android 12; zh-cn; PGBM10 Build/SP1A) Mobile Safari/537.36 "
        "HeyTapBrowser/40.8.30.1",
    ),
    (
        2,
        "Mozilla/5.0 (iPhone; CPU iPhone OS 15_8 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 "
        "Safari/604.1",
    ),
]
TOP = {"attitude": "5", "style": "5", "results": "5", "overall": "satisfied"}
TICKET = re.compile(r'name="ticket" value="([^"]+)"')
STOP = threading.Event()


def pick_agent(rng) -> str:
    return rng.choices([a for _, a in AGENTS], weights=[w for w, _ in AGENTS])[0]


def scaled(n: float) -> int:
    return max(1, round(n * SCALE))


class Phone:
    """One browser: its own cookies (unless it keeps none), address and browser string."""

    def __init__(self, ip: str, agent: str, *, keeps_cookies=True, invented=False):
        self.ip, self.agent = ip, agent
        self.keeps_cookies, self.invented = keeps_cookies, invented
        self.cookies = {}

    def clear(self):
        self.cookies = {}

    def _headers(self, extra=None):
        headers = {
            "Host": HOST,
            "User-Agent": self.agent,
            "X-Forwarded-For": self.ip,  # as our load balancer appends it
            "X-Forwarded-Proto": "https",
            **(extra or {}),
        }
        jar = dict(self.cookies)
        if self.invented:
            jar["mp_dev"] = uuid.uuid4().hex[:24]  # a device id it made up itself
        if jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        return headers

    def request(self, method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        extra = {"Content-Type": "application/x-www-form-urlencoded"} if body else None
        conn.request(method, path, body=body, headers=self._headers(extra))
        answer = conn.getresponse()
        content = answer.read().decode("utf-8", "replace")
        if self.keeps_cookies:
            for header in answer.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
        conn.close()
        return answer.status, content

    def open(self, path) -> str | None:
        status, content = self.request("GET", path)
        match = TICKET.search(content)
        return match.group(1) if status == 200 and match else None

    def send(self, path, ticket, answers) -> int:
        body = urllib.parse.urlencode({**answers, "ticket": ticket})
        return self.request("POST", path, body)[0]


@dataclass
class Scenario:
    name: str
    genuine: bool
    audience: int | None = None
    baseline: float = 3.8  # the cadre's mean answer before (4.68 ≈ a score of 92)
    sent: dict = field(default_factory=dict)  # submission id -> "genuine" / "fake"
    errors: list = field(default_factory=list)
    statuses: dict = field(default_factory=dict)
    path: str = ""
    cadre_id: int = 0
    threads: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def later(self, delay, fn, *args, **kwargs):
        def run():
            if STOP.wait(delay):
                return
            try:
                fn(*args, **kwargs)
            except Exception as error:  # every failure is counted and printed
                with self.lock:
                    self.errors.append(repr(error))

        thread = threading.Thread(target=run, daemon=True)
        self.threads.append(thread)

    def record(self, ticket, kind, status):
        from surveys.forms import read_ticket

        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status in (200, 303):  # 303: stored, redirected to the thank-you page
                self.sent[read_ticket(ticket)["s"]] = kind


def genuine_answers(rng, mean: float) -> dict:
    values = {}
    for code in ("attitude", "style", "results"):
        values[code] = str(min(5, max(1, round(rng.gauss(mean, 0.8)))))
    composite = sum(int(v) for v in values.values()) / 3
    values["overall"] = (
        "satisfied" if composite >= 4 else "basic" if composite >= 3 else "dissatisfied"
    )
    return values


def resident(scenario, rng, ip, wait, kind="genuine", agent=None):
    phone = Phone(ip, agent or pick_agent(rng))
    ticket = phone.open(scenario.path)
    time.sleep(wait)
    answers = genuine_answers(rng, 3.9) if kind == "genuine" else TOP
    scenario.record(ticket, kind, phone.send(scenario.path, ticket, answers))


def one_phone_in_turns(scenario, ip, n, *, wait, cycle=0.0, agents=None, **phone_options):
    """One person rating `n` times: open, wait, send, clear the cookies, again."""
    phone = Phone(ip, agents[0] if agents else AGENTS[0][1], **phone_options)
    for i in range(n):
        started = time.monotonic()
        if agents:
            phone.agent = agents[i % len(agents)]
        phone.clear()
        ticket = phone.open(scenario.path)
        time.sleep(wait)
        scenario.record(ticket, "fake", phone.send(scenario.path, ticket, TOP))
        time.sleep(max(0.0, cycle - (time.monotonic() - started)))


def tickets_ahead(scenario, ip, agent, n, *, wait, spacing):
    """A script: `n` fresh cookie jars open the page at once, then send after `wait`, one every
    `spacing` seconds (0: as fast as it can)."""
    phones = [Phone(ip, agent) for _ in range(n)]
    tickets = [phone.open(scenario.path) for phone in phones]
    time.sleep(wait)
    for phone, ticket in zip(phones, tickets, strict=True):
        scenario.record(ticket, "fake", phone.send(scenario.path, ticket, TOP))
        time.sleep(spacing)


def meeting(scenario, rng, n, minutes, addresses, *, start=0.0, early_share=0.6):
    """`n` residents arriving over `minutes` (most when told to scan, the rest later), each
    reading and answering for 20–120 s behind one of `addresses` (weights)."""
    ips, weights = zip(*addresses, strict=True)
    for _ in range(n):
        early = rng.random() < early_share
        arrival = rng.uniform(0, minutes * 60 * (0.2 if early else 1.0))
        ip = rng.choices(ips, weights=weights)[0]
        scenario.later(start + arrival, resident, scenario, rng, ip, rng.uniform(20, 120))
    return start + minutes * 60 + 125


def build_scenarios(rng):
    s = {}

    def add(name, genuine, **kw):
        s[name] = Scenario(name, genuine, **kw)
        return s[name]

    g = add("genuine: 500 phones, 20 min, 3 addresses", True)
    meeting(g, rng, scaled(500), 20 * SCALE, [("10.20.0.1", 5), ("10.20.0.2", 3), ("10.20.0.3", 2)])
    g = add("genuine: 40 phones, 5 min, 1 address", True, audience=40)
    meeting(g, rng, scaled(40), 5 * max(SCALE, 0.4), [("10.21.0.1", 1)])
    g = add("genuine: 25 residents, then 10 fakes", True, audience=25)
    end = meeting(g, rng, scaled(25), 6 * max(SCALE, 0.4), [("10.22.0.1", 1)], early_share=0.8)
    g.later(end, one_phone_in_turns, g, "10.22.0.1", scaled(10), wait=9)

    a = add("attack: one phone clearing cookies 200 times", False, baseline=3.6)
    a.later(0, one_phone_in_turns, a, "10.30.0.1", scaled(200), wait=8.5)
    a = add("attack: 30 per 10 min, varied browsers, 2 windows", False, baseline=4.68)
    varied = [agent for _, agent in AGENTS]
    for window in range(2):
        a.later(
            window * 21 * 60 * SCALE,
            one_phone_in_turns,
            a,
            "10.31.0.1",
            scaled(30),
            wait=9,
            cycle=20,
            agents=varied,
        )
    a = add("attack: 100 top ratings in 2 min from 5 phones", False, baseline=3.6)
    for i in range(5):
        a.later(i * 2, tickets_ahead, a, "10.32.0.1", AGENTS[i][1], scaled(20), wait=9, spacing=5.5)
    a = add("attack: invented device cookies", False, baseline=3.6)
    a.later(
        0,
        one_phone_in_turns,
        a,
        "10.33.0.1",
        scaled(30),
        wait=9,
        invented=True,
        keeps_cookies=False,
    )
    a = add("attack: 50 tickets fetched in advance", False, baseline=3.6)
    a.later(0, tickets_ahead, a, "10.34.0.1", AGENTS[0][1], scaled(50), wait=9, spacing=0)
    a = add("attack: no cookies at all", False, baseline=3.6)
    a.later(0, one_phone_in_turns, a, "10.35.0.1", scaled(30), wait=9, keeps_cookies=False)
    return list(s.values())


# --- the world ---------------------------------------------------------------------------------


def recreate_database(url: str) -> None:
    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def baseline_responses(link, version, questions, rng, mean, n, when):
    from surveys.models import Answer, Response

    made = Response.objects.bulk_create(
        Response(
            link=link,
            version=version,
            submission_id=uuid.uuid4(),
            device_id=uuid.uuid4().hex,
            submitted_at=when - dt.timedelta(days=rng.randint(1, 60), minutes=rng.randint(0, 600)),
        )
        for _ in range(n)
    )
    rows = []
    for response in made:
        for code, value in genuine_answers(rng, mean).items():
            score = (
                int(value) if value.isdigit() else questions[code].choices.get(value=value).score
            )
            rows.append(
                Answer(response=response, question=questions[code], value=value, score=score)
            )
    Answer.objects.bulk_create(rows)


def build_world(scenarios, rng):
    """A county with 12 peer cadres (30 earlier responses each, means 3.2–4.6) and one cadre per
    scenario (20 earlier responses at its baseline) whose new visit the scenario rates."""
    from django.utils import timezone

    from evaluations.models import Cadre, OrgUnit, Visit
    from surveys.models import Question, Questionnaire, RatingLink

    now = timezone.now()
    county = OrgUnit.objects.create(code="B9", name="模拟县", level="county")
    questionnaire = Questionnaire.objects.get(code="default")
    version = questionnaire.latest_published()
    questions = {q.code: q for q in Question.objects.filter(version=version)}

    def cadre_with_link(i, mean, n, audience=None):
        cadre = Cadre.objects.create(
            code=f"B9C{i}", name=f"干部{i}", unit=county, level="county", post="副县长"
        )
        old = RatingLink.objects.create(title=f"旧活动{i}", questionnaire=questionnaire)
        Visit.objects.create(
            kind="research",
            lead=cadre,
            target_unit=county,
            purpose="调研",
            start_date=now.date(),
            end_date=now.date(),
            rating_link=old,
        )
        baseline_responses(old, version, questions, rng, mean, n, now)
        link = RatingLink.objects.create(
            title=f"活动{i}", questionnaire=questionnaire, expected_audience=audience
        )
        Visit.objects.create(
            kind="petition",
            lead=cadre,
            target_unit=county,
            purpose="接访",
            start_date=now.date(),
            end_date=now.date(),
            rating_link=link,
        )
        return cadre, link

    for i in range(12):
        cadre_with_link(100 + i, 3.2 + i * 0.12, 30)
    for i, scenario in enumerate(scenarios):
        cadre, link = cadre_with_link(i, scenario.baseline, 20, scenario.audience)
        scenario.cadre_id, scenario.path = cadre.pk, link.get_absolute_url()
    return county


# --- the server ------------------------------------------------------------------------------


def start_server(log):
    env = {**os.environ, **SERVER_ENV}
    python = str(ROOT / ".venv/bin/python")
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    worker = subprocess.Popen(
        [
            python,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.5",
            "-v",
            "0",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    for _ in range(60):
        try:
            Phone("127.0.0.1", "probe").request("GET", "/r/none/")
            return server, worker
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not start")


def deadlocks() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def wait_for_scans(timeout=120):
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"]).exists():
            return DBTaskResult.objects.filter(status="FAILED").count()
        time.sleep(1)
    raise RuntimeError("scans still waiting after the run")


# --- the figures -----------------------------------------------------------------------------


def adjusted_scores(county) -> dict:
    from analytics.frames import SYSTEM, responses_frame
    from analytics.satisfaction import summarise
    from evaluations.models import Cadre

    ids = Cadre.objects.filter(unit=county).values_list("pk", flat=True)
    frame = responses_frame(SYSTEM, cadre_ids=ids)
    return summarise(frame, "cadre_id")["adjusted"].to_dict()


def scores_if(county, fakes, genuine) -> dict:
    """The scores with every fake excluded and every genuine response counted (then undone)."""
    from django.db import transaction

    from surveys.models import Response

    with transaction.atomic():
        Response.objects.filter(submission_id__in=fakes).update(review="excluded")
        Response.objects.filter(submission_id__in=genuine).update(review="valid")
        scores = adjusted_scores(county)
        transaction.set_rollback(True)
    return scores


def report(scenarios, county) -> int:
    from surveys.models import Response

    every = {k: v for s in scenarios for k, v in s.sent.items()}
    fakes = [k for k, v in every.items() if v == "fake"]
    genuine = [k for k, v in every.items() if v == "genuine"]
    published = adjusted_scores(county)
    truth = scores_if(county, fakes, genuine)
    unchecked = scores_if(county, [], list(every))
    missed = 0
    print(
        f"{'scenario':52} {'stored':>6} {'flagged':>7} {'counted':>7}  {'genuine FP':>10}  "
        f"{'fakes flagged':>13}  {'shift':>6}  {'unchecked':>9}  errors"
    )
    for s in scenarios:
        rows = Response.objects.filter(submission_id__in=list(s.sent)).values_list(
            "submission_id", "review"
        )
        kinds = {"genuine": [0, 0], "fake": [0, 0]}  # [stored, flagged]
        counted = 0
        for sid, review in rows:
            kinds[s.sent[sid]][0] += 1
            kinds[s.sent[sid]][1] += review == "flagged"
            counted += review in ("valid", "cleared")
        stored = kinds["genuine"][0] + kinds["fake"][0]
        flagged = kinds["genuine"][1] + kinds["fake"][1]
        fp = kinds["genuine"][1] / kinds["genuine"][0] if kinds["genuine"][0] else 0.0
        caught = f"{kinds['fake'][1]}/{kinds['fake'][0]}" if kinds["fake"][0] else "-"
        shift = published[s.cadre_id] - truth[s.cadre_id]
        loose = unchecked[s.cadre_id] - truth[s.cadre_id]
        bad = (s.genuine and fp >= 0.01) or abs(shift) >= 1.0 or s.errors
        missed += bool(bad)
        print(
            f"{s.name:52} {stored:6} {flagged:7} {counted:7}  {fp:10.1%}  {caught:>13}  "
            f"{shift:+6.2f}  {loose:+9.2f}  {len(s.errors)} {dict(sorted(s.statuses.items()))}"
            f"{'  MISSED' if bad else ''}"
        )
        for error in s.errors[:3]:
            print("    ", error)
    return missed


def main() -> int:
    recreate_database(os.environ["DATABASE_URL"])
    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    cache.clear()
    rng = random.Random(2026)
    scenarios = build_scenarios(rng)
    county = build_world(scenarios, rng)
    log_path = Path(os.environ.get("BENCH_LOG", "/tmp/bench-integrity-server.log"))
    with log_path.open("w") as log:
        server, worker = start_server(log)
        try:
            before = deadlocks()
            started = time.monotonic()
            threads = [t for s in scenarios for t in s.threads]
            print(f"{len(threads)} phones/scripts on {len(scenarios)} links, scale {SCALE}")
            for thread in threads:
                thread.start()
            for thread in threads:
                while thread.is_alive():
                    thread.join(1)
            print(f"sent in {(time.monotonic() - started) / 60:.1f} min")
            failed_scans = wait_for_scans()
            locked = deadlocks() - before
        finally:
            STOP.set()
            for process in (server, worker):
                process.terminate()
                process.wait(30)
    missed = report(scenarios, county)
    print(f"PostgreSQL deadlocks during the run: {locked}; failed scans: {failed_scans}")
    server_errors = log_path.read_text().count("Traceback")
    print(f"tracebacks in the server log ({log_path}): {server_errors}")
    return 1 if missed or locked or failed_scans or server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
