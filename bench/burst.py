"""A meeting's burst of phones against the resident's page, next to a bare Django view.

Real HTTP through gunicorn (BENCH_WORKERS sync workers, production settings): N phones, each
with its own cookies, first GET the page (ours: the rating page and its ticket; bare: a small
form and its CSRF token), then POST it, C at a time. The bare view (bench/bare.py: a small
form, one INSERT) runs in the same server with the same settings and middleware. Rounds
alternate which goes first; medians of the rounds are reported with each ratio to the bare view.

    .venv/bin/python bench/burst.py                      # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mp_burst .venv/bin/python bench/burst.py

The PostgreSQL database is dropped and created again. BENCH_N (2000), BENCH_C (50),
BENCH_ROUNDS (3), BENCH_WORKERS (4), BENCH_PORT (8150). Exits 1 when a goal is missed."""

import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
N = int(os.environ.get("BENCH_N", 2000))
C = int(os.environ.get("BENCH_C", 50))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))
WORKERS = int(os.environ.get("BENCH_WORKERS", 4))
PORT = int(os.environ.get("BENCH_PORT", 8150))
HOST = "minping.example.org"
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/burst.sqlite3"
POSTGRES = os.environ["DATABASE_URL"].startswith("postgres")
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-burst-" + "k" * 40,
    "IP_HASH_SALT": "bench-burst-ip-" + "h" * 40,
    "ALLOWED_HOSTS": f"{HOST},testserver",
    "SITE_URL": f"https://{HOST}",
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
    "LOG_LEVEL": "ERROR",
    **({"DB_POOL": "1"} if POSTGRES else {}),
}
os.environ.update({k: v for k, v in SERVER_ENV.items() if k != "DB_POOL"})
ANSWERS = {"attitude": "4", "style": "5", "results": "4", "overall": "satisfied"}
# Goals of issue 15: each measure against the bare view's in the same run.
GOALS = {"get": 0.5, "post": 0.5, "p99": 2.0}

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import bare  # noqa: E402


class Phone:
    """One browser with its own cookies; the proxy in front says the request came over HTTPS."""

    def __init__(self):
        self.cookies = {}

    def request(self, method, path, body=None):
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "Origin": f"https://{HOST}"}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        conn.request(method, path, body=body, headers=headers)
        answer = conn.getresponse()
        content = answer.read().decode("utf-8", "replace")
        conn.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return answer.status, content, time.perf_counter() - started


class Ours:
    name = "ours"
    field = re.compile(r'name="ticket" value="([^"]+)"')

    def __init__(self, round_no):
        self.path = make_link(round_no).get_absolute_url()
        self.link_path = self.path

    def body(self, i, token):
        return urllib.parse.urlencode({**ANSWERS, "ticket": token})

    def stored(self):
        from surveys.models import Response

        rows = Response.objects.filter(link__token=self.path.split("/")[2])
        return rows.count(), rows.values("device_id").distinct().count()


class Bare:
    name = "bare"
    field = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    path = "/bare/"

    def __init__(self, round_no):
        self.prefix = f"r{round_no}-"

    def body(self, i, token):
        fields = {"phone": f"{self.prefix}{i}", "attitude": "4", "style": "5", "results": "4"}
        return urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token})

    def stored(self):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*), count(DISTINCT phone) FROM {bare.TABLE} WHERE phone LIKE %s",
                [self.prefix + "%"],
            )
            return cursor.fetchone()


def make_link(round_no):
    import datetime as dt

    from evaluations.models import Cadre, OrgUnit, Visit
    from surveys.models import Questionnaire, RatingLink

    unit, _ = OrgUnit.objects.get_or_create(
        code="BURST", defaults={"name": "测试县", "level": "county"}
    )
    cadre, _ = Cadre.objects.get_or_create(
        code="BURST1", defaults={"name": "张伟", "unit": unit, "level": "county", "post": "副县长"}
    )
    link = RatingLink.objects.create(
        title=f"burst {round_no}", questionnaire=Questionnaire.objects.get(code="default")
    )
    today = dt.date.today()
    Visit.objects.create(
        kind="research",
        lead=cadre,
        target_unit=unit,
        purpose="调研",
        start_date=today,
        end_date=today,
        rating_link=link,
    )
    return link


def burst(target) -> dict:
    phones = [Phone() for _ in range(N)]
    tokens = [None] * N
    gets, posts, bad = [], [], {}

    def get(i):
        status, content, seconds = phones[i].request("GET", target.path)
        match = target.field.search(content)
        tokens[i] = match.group(1) if status == 200 and match else None
        gets.append(seconds)
        if tokens[i] is None:
            bad[f"GET {status}"] = bad.get(f"GET {status}", 0) + 1

    def post(i):
        if tokens[i] is None:
            return
        status, _, seconds = phones[i].request("POST", target.path, target.body(i, tokens[i]))
        posts.append(seconds)
        if status != 303:
            bad[f"POST {status}"] = bad.get(f"POST {status}", 0) + 1

    with ThreadPoolExecutor(C) as pool:
        started = time.perf_counter()
        list(pool.map(get, range(N)))
        get_seconds = time.perf_counter() - started
        started = time.perf_counter()
        list(pool.map(post, range(N)))
        post_seconds = time.perf_counter() - started
    rows, distinct = target.stored()
    return {
        "get": N / get_seconds,
        "post": N / post_seconds,
        "get_p50": percentile(gets, 50),
        "get_p99": percentile(gets, 99),
        "p50": percentile(posts, 50),
        "p99": percentile(posts, 99),
        "lost": N - distinct,
        "duplicated": rows - distinct,
        "errors": bad,
    }


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] if ordered else float("nan")


def statements() -> dict:
    """SQL statements per GET and POST, counted in this process through the same middleware."""
    counts = {}
    for target in (Ours(0), Bare(0)):
        for i in range(2):  # the second phone meets a warm worker, as all but its first do
            phone = Client(HTTP_HOST=HOST)
            with CaptureQueriesContext(connection) as queries:
                page = phone.get(target.path, secure=True)
            counts[f"{target.name}_get"] = len(queries)
            token = target.field.search(page.content.decode()).group(1)
            body = dict(urllib.parse.parse_qsl(target.body(-1 - i, token)))
            with CaptureQueriesContext(connection) as queries:
                phone.post(target.path, body, secure=True)
            counts[f"{target.name}_post"] = len(queries)
    return counts


def prepare():
    if POSTGRES:
        import psycopg

        parts = urllib.parse.urlparse(os.environ["DATABASE_URL"])
        with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{parts.path.lstrip("/")}"')
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG=0: the manifest
    bare.create_table()
    connection.close()


def start_server(log):
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "--workers", str(WORKERS),
         "--bind", f"127.0.0.1:{PORT}", "--timeout", "120"],
        cwd=ROOT, env={**os.environ, **SERVER_ENV}, stdout=log, stderr=log,
    )  # fmt: skip
    return server, time.perf_counter()


def first_page(started, path, log_path) -> tuple[float, float]:
    """Seconds from starting gunicorn to its first rating page, and that first page's own time:
    once every worker has booted (and loaded Django), what the first request costs a fresh
    worker (the URL conf, the templates, the version's questions and markup)."""
    for _ in range(1200):
        if Path(log_path).read_text().count("Booting worker") >= WORKERS:
            break
        time.sleep(0.05)
    time.sleep(3)  # the workers import the WSGI application after saying they boot
    status, _, seconds = Phone().request("GET", path)
    if status != 200:
        raise RuntimeError(f"first page: {status}")
    return time.perf_counter() - started, seconds


def report(rounds, counts, first) -> int:
    med = {
        (name, key): statistics.median(r[name][key] for r in rounds)
        for name in ("ours", "bare")
        for key in ("get", "post", "get_p50", "get_p99", "p50", "p99", "lost", "duplicated")
    }
    print(f"{connection.vendor}: N={N} C={C} rounds={len(rounds)} workers={WORKERS}")
    print(
        f"first rating page of a fresh worker: {first[1]:.2f} s "
        f"({first[0]:.2f} s from starting gunicorn, with a 3 s wait for the workers' boot)"
    )
    print(f"{'':5} {'GET/s':>7} {'GET p50':>8} {'GET p99':>8} {'POST/s':>7} {'POST p50':>9} "
          f"{'POST p99':>9} {'lost':>5} {'dup':>4} {'SQL GET':>8} {'SQL POST':>9}")  # fmt: skip
    for name in ("ours", "bare"):
        print(
            f"{name:5} {med[name, 'get']:7.1f} {med[name, 'get_p50']:8.3f} "
            f"{med[name, 'get_p99']:8.3f} {med[name, 'post']:7.1f} {med[name, 'p50']:9.3f} "
            f"{med[name, 'p99']:9.3f} {med[name, 'lost']:5.0f} {med[name, 'duplicated']:4.0f} "
            f"{counts[name + '_get']:8} {counts[name + '_post']:9}"
        )
    ratios = {
        "get": med["ours", "get"] / med["bare", "get"],
        "post": med["ours", "post"] / med["bare", "post"],
        "p99": med["ours", "p99"] / med["bare", "p99"],
    }
    missed = 0
    for key, goal in GOALS.items():
        ok = ratios[key] <= goal if key == "p99" else ratios[key] >= goal
        missed += not ok
        sign = "<=" if key == "p99" else ">="
        print(f"ratio {key:5} {ratios[key]:5.2f}x  goal {sign} {goal}x  {'ok' if ok else 'MISSED'}")
    lost = sum(r["ours"]["lost"] + r["ours"]["duplicated"] for r in rounds)
    errors = [r[name]["errors"] for r in rounds for name in ("ours", "bare") if r[name]["errors"]]
    print(f"lost or duplicated (ours, all rounds): {lost}; unexpected statuses: {errors}")
    return 1 if missed or lost else 0


def main() -> int:
    prepare()
    counts = statements()
    log_path = f"/tmp/bench-burst-server-{PORT}.log"
    with open(log_path, "w") as log:
        server, started = start_server(log)
        try:
            first = first_page(started, Ours(0).path, log_path)
            rounds = []
            for round_no in range(1, ROUNDS + 1):
                order = [Bare, Ours] if round_no % 2 else [Ours, Bare]
                result = {}
                for kind in order:
                    target = kind(round_no)
                    result[target.name] = burst(target)
                rounds.append(result)
                print(
                    f"round {round_no}: "
                    + "  ".join(
                        f"{n} GET {r['get']:.0f}/s POST {r['post']:.0f}/s p99 {r['p99']:.2f}s"
                        for n, r in result.items()
                    ),
                    flush=True,
                )
        finally:
            server.terminate()
            server.wait(30)
    return report(rounds, counts, first)


if __name__ == "__main__":
    sys.exit(main())
