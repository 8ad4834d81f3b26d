"""One adjusted score per cadre and year, whichever page, export or cycle asks (issue 12 §5)."""

import io

import pandas as pd
import pytest
from django.core.management import call_command

from analytics import reports, stats
from analytics.assessment import parts
from analytics.assessment import runs as assessment
from analytics.frames import SYSTEM, responses_frame
from analytics.reference import adjusted_scores
from evaluations.cycles.services import create_cycle
from evaluations.models import Cadre
from surveys.notes import texts
from tests.analytics.conftest import add_responses, cadre_with_visit
from tests.factories import staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def gao(county):
    """高洁 (乡科级, 清溪县城关镇) and peers: two 乡科级 elsewhere in the province, one 县级."""
    a, b = county["350901"], county["350902"]
    gao, visit = cadre_with_visit(a["town"], name="高洁", code="GAO", level="township")
    add_responses(visit, [(5, 5, 4)] * 9 + [(3, 4, 4)] * 3)
    for unit, triple, level, code in (
        (a["village"], (3, 3, 3), "township", "P1"),
        (b["town"], (4, 4, 3), "township", "P2"),
        (a["county"], (2, 2, 2), "county", "P3"),
    ):
        add_responses(
            cadre_with_visit(unit, code=code, level=level)[1], [triple] * 8 + [(4, 4, 4)] * 4
        )
    return gao, county


def _independent(gao):
    """The documented rule rebuilt with pandas: the 乡科级 cadres of the province (same default
    rule set) shrunk together — 高洁, P1 and P2, not P3."""
    frame = responses_frame(SYSTEM, year=2026)
    codes = dict(Cadre.objects.values_list("pk", "code"))
    frame["code"] = frame["cadre_id"].map(codes)
    members = frame[frame["code"].isin(["GAO", "P1", "P2"])]
    shrunk = stats.shrinkage_from_raw(members, "cadre_id", "composite").set_index("group")
    return float(stats.score_0_100(shrunk.loc[gao.pk, "adjusted"]))


def test_every_page_export_and_cycle_shows_the_same_adjusted_score(client, gao):
    """Before: 高洁's adjusted score was one figure on the town's page (one cadre: not shrunk),
    another on the county's, another on the cadre report (county peers) and in each cycle.
    Now all show the figure of the reference group 福建省 · 乡科级 (高洁, P1, P2)."""
    gao, county = gao
    expected = _independent(gao)
    a = county["350901"]
    officer = staff_user("officer", a["county"], "personnel")
    seen = []
    for unit in (a["town"], a["county"], None):
        report = reports.dashboard(officer, year=2026, unit=unit, with_charts=False)
        seen += [r["adjusted"] for r in report.rows if r["key"] == gao.pk]
    seen.append(reports.cadre_report(officer, cadre=gao, year=2026).overall["adjusted"])
    out = io.StringIO()
    call_command(
        "export_scores",
        "--year",
        "2026",
        "--unit",
        a["town"].code,
        "--columns",
        "codes",
        stdout=out,
    )
    seen.append(
        pd.read_csv(io.StringIO(out.getvalue()))
        .set_index("cadre_code")
        .loc["GAO", "adjusted_score"]
    )
    assert len(seen) == 5 and seen == pytest.approx([expected] * 5, abs=1e-9)
    raw = reports.dashboard(officer, year=2026, unit=a["town"], with_charts=False).rows[0]["score"]
    assert abs(raw - expected) > 0.5  # a one-cadre page is shrunk too
    for unit in (a["town"], a["county"]):
        part = parts.satisfaction(cycle=create_cycle(unit=unit, year=2026), cadre_ids=[gao.pk])
        assert part.values[gao.pk] == round(expected, 1)


def test_the_run_keeps_the_reference_group(gao):
    gao, county = gao
    cycle = create_cycle(unit=county["350901"]["town"], year=2026)
    run = assessment.run_all(assessment.start(cycle))
    label = run.inputs["satisfaction_inputs"]["reference"][str(gao.pk)]
    assert label == "福建省 · fujian-2013 · 乡科级"
    prior = run.inputs["satisfaction_inputs"]["groups"][label]
    assert prior["group_cadres"] == 3 and 0 <= prior["icc"] <= 1
    assert any(
        "参照组：福建省 · fujian-2013 · 乡科级" in r
        for r in texts(run.results.get(cadre=gao).reasons)
    )


def test_rank_and_province_split_the_groups(gao):
    gao, _ = gao
    table = adjusted_scores(year=2026, cadre_ids=[gao.pk])
    assert table.loc[gao.pk, "group_cadres"] == 3  # 高洁, P1, P2 — not the 县级 P3
