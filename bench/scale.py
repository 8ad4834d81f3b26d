"""Province scale (issue 16 §2): 1M and 2M ratings, the reports against a bare GROUP BY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/minping_scale .venv/bin/python bench/scale.py

For each size in SCALE_SIZES (default 1000000,2000000) a database of its own is built once and
reused (PostgreSQL: `<name>_<size>`, loaded with COPY; SQLite: `SCALE_DIR/scale-<size>.sqlite3`,
batched inserts), then each measurement runs in a fresh process so its peak memory is its own:
(a) a bare SQL GROUP BY of per-cadre counts and means, (b) the province dashboard, (c)
`export_scores`, (d) a full annual-assessment run of the province's cadres. Prints one JSON line
per measurement, then the goals of bench/README.md met or missed; exits non-zero on a miss.
`python bench/scale.py check` also compares the sufficient statistics with the row-level frame
on ~100,000 of the ratings (tolerance 1e-9)."""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

SIZES = [int(s) for s in os.environ.get("SCALE_SIZES", "1000000,2000000").split(",")]
CADRES = int(os.environ.get("SCALE_CADRES", 2000))
MEASURES = ("bare", "dashboard", "export", "assessment")
# Issue 16 §2, on PostgreSQL: each report at most 3× the bare query, under 300 MB, and twice
# the ratings at most 2.2× the time.
GOALS = {"ratio": 3.0, "peak_mb": 300, "growth": 2.2}


def database_url(size: int) -> str:
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgres"):
        return f"{base}_{size}"
    folder = os.environ.get("SCALE_DIR", tempfile.gettempdir())
    return f"sqlite:///{folder}/minping-scale-{size}.sqlite3"


def _child(step: str, size: int) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url(size), "SCALE_SIZE": str(size)}
    out = subprocess.run(
        [sys.executable, __file__, "_step", step], env=env, check=True, stdout=subprocess.PIPE
    )
    return json.loads(out.stdout.decode().strip().splitlines()[-1])


def _create_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main(argv) -> int:
    if argv[:1] == ["_step"]:
        return _step(argv[1])
    results = {}
    for size in SIZES:
        _create_database(database_url(size))
        print(json.dumps({"size": size, **_child("build", size)}), flush=True)
        if argv[:1] == ["check"]:
            print(json.dumps({"size": size, **_child("check", size)}), flush=True)
        _child("bare", size)  # warm the database's cache once
        results[size] = {m: _child(m, size) for m in MEASURES}
        for m, r in results[size].items():
            print(json.dumps({"size": size, "measure": m, **r}), flush=True)
    misses = verdicts(results)
    for line in misses:
        print("MISSED", line)
    return 1 if misses else 0


def verdicts(results: dict) -> list[str]:
    misses = []
    for size, r in results.items():
        for m in MEASURES[1:]:
            ratio = r[m]["seconds"] / r["bare"]["seconds"]
            print(f"{size}: {m} {r[m]['seconds']:.2f} s = {ratio:.1f}× bare")
            if ratio > GOALS["ratio"]:
                misses.append(f"{size}: {m} is {ratio:.1f}× the bare query")
        for m in MEASURES:
            if r[m]["peak_mb"] > GOALS["peak_mb"]:
                misses.append(f"{size}: {m} peaks at {r[m]['peak_mb']:.0f} MB")
    if len(results) == 2:
        small, large = sorted(results)
        for m in MEASURES:
            growth = results[large][m]["seconds"] / results[small][m]["seconds"]
            print(f"{m}: {large} costs {growth:.2f}× {small}")
            if growth > GOALS["growth"]:
                misses.append(f"{m}: {large} costs {growth:.2f}× {small}")
    return misses


def _step(step: str) -> int:
    import django

    django.setup()
    from bench import scale_steps

    # The modules a measurement needs are loaded first and timed apart: a web worker or task
    # worker has them loaded once for all its requests, and the bare query's own imports
    # (Django, psycopg) are not timed either. Peak memory includes them.
    loading = time.perf_counter()
    scale_steps.prepare(step)
    imports = time.perf_counter() - loading
    started = time.perf_counter()
    extra = getattr(scale_steps, step)(int(os.environ["SCALE_SIZE"]), CADRES) or {}
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    timing = {"seconds": round(seconds, 3), "imports_s": round(imports, 3)}
    print(json.dumps({**timing, "peak_mb": round(peak, 1), **extra}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
