"""export_scores agrees with what anyone recomputes from export_responses with pandas and
statsmodels (the Wilson interval), independently of the analytics code."""

import io

import pandas as pd
import pytest
from django.core.management import call_command
from statsmodels.stats.proportion import proportion_confint

from evaluations import demo
from evaluations.models import Visit

pytestmark = pytest.mark.django_db


def test_export_scores_matches_an_independent_recomputation(questionnaire, tmp_path):
    demo.seed()
    out = io.StringIO()
    call_command("export_scores", "--year", str(demo.YEAR), stdout=out)
    scores = pd.read_csv(io.StringIO(out.getvalue())).set_index("cadre_code")
    raw = io.StringIO()
    call_command("export_responses", "--format", "csv", stdout=raw)
    responses = pd.read_csv(io.StringIO(raw.getvalue()))
    responses = responses[responses["review"].isin(["valid", "cleared"])]
    responses = responses[responses["submitted_at"].str.startswith(str(demo.YEAR))]
    owner = dict(Visit.objects.values_list("rating_link__token", "lead__code"))
    responses["cadre"] = responses["token"].map(owner)
    grouped = responses.groupby("cadre")
    assert set(scores.index) == set(grouped.groups)
    for code, group in grouped:
        row = scores.loc[code]
        assert row["n"] == len(group)
        for dim in ("attitude", "style", "results"):
            assert row[f"{dim}_mean"] == pytest.approx(group[dim].mean())
        answered = group["overall"].notna().sum()
        satisfied = group["overall"].isin(["satisfied", "basic"]).sum()
        assert row["satisfaction_rate"] == pytest.approx(satisfied / answered)
        low, high = proportion_confint(satisfied, answered, alpha=0.05, method="wilson")
        assert (row["satisfaction_low95"], row["satisfaction_high95"]) == pytest.approx((low, high))
        composite = group[["attitude", "style", "results"]].mean(axis=1).mean()
        if len(group) >= 10:  # SPEC §6: below the minimum sample no score is printed
            assert row["score_0_100"] == pytest.approx((composite - 1) / 4 * 100)
        else:
            assert pd.isna(row["score_0_100"]) and pd.isna(row["adjusted_score"])


def test_export_scores_xlsx_and_unit_filter(questionnaire, tmp_path):
    from openpyxl import load_workbook

    demo.seed()
    target = tmp_path / "scores.xlsx"
    call_command(
        "export_scores",
        "--year",
        str(demo.YEAR),
        "--unit",
        "350999-001",
        "--format",
        "xlsx",
        "-o",
        str(target),
    )
    sheet = load_workbook(target).active
    units = {sheet.cell(row=r, column=3).value for r in range(3, sheet.max_row + 1)}
    assert units == {"城关镇", "城东社区"}  # the subtree: the town and its community


def test_below_the_minimum_sample_the_exports_print_no_score(county, tmp_path):
    """n = 5 printed 78.33 and n = 1 printed 100.00 while the pages said 样本不足 (minimum 10):
    the score columns are blank in the CSV and the XLSX; enough_sample stays."""
    from openpyxl import load_workbook

    from tests.analytics.conftest import add_responses, cadre_with_visit

    town = county["350901"]["town"]
    add_responses(cadre_with_visit(town, code="FEW")[1], [(4, 4, 4)] * 4 + [(5, 4, 4)])
    add_responses(cadre_with_visit(town, code="ONE")[1], [(5, 5, 5)])
    add_responses(cadre_with_visit(town, code="MANY")[1], [(4, 4, 4)] * 10)
    out = io.StringIO()
    call_command("export_scores", "--year", "2026", stdout=out)
    scores = pd.read_csv(io.StringIO(out.getvalue()), keep_default_na=False)
    scores = scores.set_index("cadre_code")
    for code in ("FEW", "ONE"):
        assert scores.loc[code, "score_0_100"] == "" and scores.loc[code, "adjusted_score"] == ""
        assert str(scores.loc[code, "enough_sample"]) == "False"
    assert float(scores.loc["MANY", "score_0_100"]) == pytest.approx(75.0)
    target = tmp_path / "scores.xlsx"
    call_command("export_scores", "--year", "2026", "--format", "xlsx", "-o", str(target))
    rows = list(load_workbook(target).active.iter_rows(min_row=2, values_only=True))
    header, body = rows[0], {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert "enough_sample" in header
    assert body["ONE"]["score_0_100"] is None and body["FEW"]["adjusted_score"] is None
    assert body["MANY"]["score_0_100"] == pytest.approx(75.0)
