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
    call_command("export_scores", "--year", str(demo.YEAR), "--columns", "codes", stdout=out)
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


def test_export_scores_for_people_chinese_headers_rounded_with_a_bom(questionnaire):
    import csv

    demo.seed()
    out = io.StringIO()
    call_command("export_scores", "--year", str(demo.YEAR), stdout=out)
    text = out.getvalue()
    assert text.startswith("\ufeff")  # Excel on Chinese Windows reads UTF-8
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][:4] == ["干部编号", "干部", "单位", "有效评价"] and rows[0][-1] == "样本充足"
    means = [cell for row in rows[1:] for cell in row[4:7] if cell]
    assert means and all(len(cell.split(".")[-1]) <= 2 for cell in means)  # as on screen
    assert {row[-1] for row in rows[1:]} <= {"是", "否"}


def test_dashboard_exports_name_the_unit_and_year(client, questionnaire):
    from urllib.parse import unquote

    from evaluations.models import Cadre, OrgUnit
    from tests.factories import staff_user

    demo.seed()
    client.force_login(staff_user("officer", Cadre.objects.get(code="C001").unit, "personnel"))
    town = OrgUnit.objects.get(code="350999-001")
    response = client.get(f"/staff/reports/scores.csv?year=2026&unit={town.code}")
    assert response.content.decode("utf-8").startswith("\ufeff干部编号")
    assert "满意度得分-城关镇-2026.csv" in unquote(response["Content-Disposition"])
