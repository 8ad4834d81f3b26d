"""The steps bench/scale.py runs, each in its own process: build, check and the measurements."""

import datetime as dt
import importlib
import io
import tempfile

import numpy as np
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Max

PROVINCE = "S1"
KINDS = ("research", "petition", "onsite")
CHUNK = 200_000


def _org(cadres: int):
    """A province of 10 cities × 10 counties; `cadres` cadres at the counties and their towns,
    each with a visit of each of three kinds (a rating link each)."""
    from evaluations.models import Cadre, OrgUnit, Visit
    from surveys.models import Questionnaire, RatingLink

    province = OrgUnit.objects.create(code=PROVINCE, name="测试省", level="province")
    counties = []
    for c in range(10):
        city = OrgUnit.objects.create(code=f"S1-{c}", name=f"市{c}", level="city", parent=province)
        for k in range(10):
            counties.append(
                OrgUnit.objects.create(
                    code=f"S1-{c}-{k}", name=f"县{c}{k}", level="county", parent=city
                )
            )
    levels = ("county", "township")
    people = Cadre.objects.bulk_create(
        Cadre(
            code=f"SC{i}",
            name=f"干部{i}",
            unit=counties[i % 100],
            level=levels[i % 2],
            post="副县长" if i % 2 == 0 else "副镇长",
        )
        for i in range(cadres)
    )
    questionnaire = Questionnaire.objects.get(code="default")
    links = RatingLink.objects.bulk_create(
        RatingLink(title=f"S{i}", questionnaire=questionnaire) for i in range(3 * cadres)
    )
    Visit.objects.bulk_create(
        Visit(
            kind=KINDS[i % 3],
            lead=people[i // 3],
            target_unit=people[i // 3].unit,
            start_date=dt.date(2026, 3, 1),
            end_date=dt.date(2026, 3, 1),
            purpose="调研",
            rating_link=link,
        )
        for i, link in enumerate(links)
    )
    return [link.pk for link in links], questionnaire.latest_published()


def _rows(rng, first_id, count, links, version_id):
    """Responses and their four answers of ids first_id… as tab-separated lines."""
    from surveys.models import Question

    questions = dict(Question.objects.filter(version_id=version_id).values_list("code", "pk"))
    ids = np.arange(first_id, first_id + count)
    link = rng.choice(links, size=count)
    minutes = rng.integers(0, 365 * 24 * 60, size=count)
    start = dt.datetime(2025, 12, 31, 16, tzinfo=dt.UTC)  # 2026-01-01 00:00 in Beijing
    review = np.where(rng.random(count) < 0.03, "flagged", "valid")
    base = rng.choice([3, 4, 4, 5, 5], size=count)
    scores = np.clip(base[:, None] + rng.choice([-1, 0, 0, 1], size=(count, 3)), 1, 5)
    overall = rng.choice(["satisfied", "satisfied", "basic", "dissatisfied"], size=count)
    # As residents do, some skip a question (each 3%, 总体评价 5%): a rating's cells then
    # depend on which dimensions it answered, so the bench is not the all-answered best case.
    skipped = rng.random((count, 4)) < np.array([0.03, 0.03, 0.03, 0.05])
    # A tenth typed in from paper sheets (issue 19): the cells group by channel too.
    channel = np.where(rng.random(count) < 0.1, "paper", "web")
    zone = "+00" if connection.vendor == "postgresql" else ""  # Django stores UTC on SQLite
    responses, answers = [], []
    for i in range(count):
        at = f"{start + dt.timedelta(minutes=int(minutes[i])):%Y-%m-%d %H:%M:%S}{zone}"
        rid = ids[i]
        responses.append(
            f"{rid}\t{link[i]}\t{version_id}\t{rid:032x}\td{rid}\t{at}\t1\t\t\t{review[i]}\t[]"
            f"\t{channel[i]}\n"
        )
        for j, code in enumerate(("attitude", "style", "results")):
            if not skipped[i, j]:
                answers.append(f"{rid}\t{questions[code]}\t{scores[i, j]}\t{scores[i, j]}\t\n")
        if not skipped[i, 3]:
            answers.append(f"{rid}\t{questions['overall']}\t{overall[i]}\t\\N\t\n")
    return "".join(responses), "".join(answers)


RESPONSE_COLUMNS = (
    "id, link_id, version_id, submission_id, device_id, submitted_at, submitted_to_minute, "
    "ip_hash, ua_hash, review, flags, channel"
)
ANSWER_COLUMNS = "response_id, question_id, value, score, text"


def _copy(table, columns, text):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write(text)
            return
        rows = [[None if v == "\\N" else v for v in line.split("\t")] for line in text.splitlines()]
        marks = ", ".join("%s" for _ in columns.split(","))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def build(size: int, cadres: int):
    """Migrate, create the province and load `size` ratings unless they are there already."""
    from surveys.models import Response

    call_command("migrate", verbosity=0)
    if Response.objects.count() >= size:
        return {"built": False, "responses": Response.objects.count()}
    links, version = _org(cadres)
    rng = np.random.default_rng(16)
    first = (Response.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    if connection.vendor == "sqlite":
        connection.cursor().execute("PRAGMA synchronous = OFF")
    for start in range(0, size, CHUNK):
        responses, answers = _rows(rng, first + start, min(CHUNK, size - start), links, version.pk)
        with transaction.atomic():
            _copy("surveys_response", RESPONSE_COLUMNS, responses)
            _copy("surveys_answer", ANSWER_COLUMNS, answers)
    _finish_load()
    return {"built": True, "responses": Response.objects.count()}


def _finish_load():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("surveys_response", "surveys_answer"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table}"
                )
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")


def _province():
    from evaluations.models import OrgUnit

    return OrgUnit.objects.get(code=PROVINCE)


# The modules each measurement loads before its clock starts (bench/scale.py `_step`).
MODULES = {
    "dashboard": ("analytics.reports", "analytics.charts"),
    "export": ("analytics.management.commands.export_scores",),
    "assessment": (
        "analytics.assessment.runs",
        "analytics.assessment.parts",
        "evaluations.cycles.services",
    ),
}


def prepare(step: str) -> None:
    for module in MODULES.get(step, ()):
        importlib.import_module(module)


def bare(size: int, cadres: int):
    """(a) Per-cadre counts and means of the three dimensions, one GROUP BY, nothing else."""
    from evaluations.models import Cadre, Visit
    from surveys.models import Answer, Response

    sql = f"""
        SELECT COALESCE(v.lead_id, c.id), COUNT(*), AVG(a.score)
        FROM {Response._meta.db_table} r
        JOIN {Answer._meta.db_table} a ON a.response_id = r.id AND a.score IS NOT NULL
        LEFT JOIN {Visit._meta.db_table} v ON v.rating_link_id = r.link_id
        LEFT JOIN {Cadre._meta.db_table} c ON c.contact_link_id = r.link_id
        WHERE r.review IN ('valid', 'cleared')
        GROUP BY COALESCE(v.lead_id, c.id)"""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {"rows": len(cursor.fetchall())}


def dashboard(size: int, cadres: int):
    """(b) The province dashboard with its charts."""
    from analytics import reports
    from analytics.frames import SYSTEM

    report = reports.dashboard(SYSTEM, year=2026, unit=_province(), with_charts=True)
    return {"responses": report.n_responses, "cadres": len(report.rows)}


def export(size: int, cadres: int):
    """(c) `export_scores` of the province as CSV."""
    with tempfile.NamedTemporaryFile(suffix=".csv") as out:
        call_command("export_scores", year=2026, output=out.name, stderr=io.StringIO())
        return {"lines": sum(1 for _ in open(out.name, encoding="utf-8")) - 1}


def assessment(size: int, cadres: int):
    """(d) A full annual-assessment run of the province's cadres."""
    from analytics.assessment import runs
    from evaluations.cycles.services import create_cycle

    cycle = create_cycle(unit=_province(), year=2026)
    run = runs.run_all(runs.start(cycle))
    return {"results": run.results.count(), "status": run.status}


def check(size: int, cadres: int):
    """The sufficient statistics equal the row-level frame on ~100,000 ratings."""
    import pandas as pd

    from analytics import sufficient
    from analytics.frames import SYSTEM, responses_frame
    from analytics.satisfaction import summarise
    from evaluations.models import Cadre

    share = max(1, round(cadres * 100_000 / size))
    ids = list(
        Cadre.objects.filter(code__startswith="SC")
        .order_by("pk")[:share]
        .values_list("pk", flat=True)
    )
    frame = responses_frame(SYSTEM, year=2026, cadre_ids=ids)
    data = sufficient.cells(SYSTEM, year=2026, cadre_ids=ids)
    worst = 0.0
    for by in ("cadre_id", "month", "visit_kind"):
        a, b = summarise(frame, by), sufficient.summarise_cells(data, by)
        assert list(a.index) == list(b.index), by
        diff = (a.astype(float) - b[a.columns].astype(float)).abs().max().max()
        worst = max(worst, float(0.0 if pd.isna(diff) else diff))
    assert worst <= 1e-9, worst
    return {"compared_responses": len(frame), "max_abs_difference": worst}
