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
        assert row["score_0_100"] == pytest.approx((composite - 1) / 4 * 100)


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
