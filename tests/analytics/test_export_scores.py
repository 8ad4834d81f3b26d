"""export_scores agrees with what anyone recomputes from export_responses with pandas and
statsmodels (the Wilson interval), independently of the analytics code."""

import datetime as dt
import io
import math
from fractions import Fraction

import pandas as pd
import pytest
from django.core.management import call_command
from statsmodels.stats.proportion import proportion_confint

from evaluations import demo
from evaluations.models import Cadre, OrgUnit, Visit, ruleset_for

pytestmark = pytest.mark.django_db


DIMS = ["attitude", "style", "results"]
MIN_SAMPLE, MIN_CELL = 10, 3  # SPEC §6 default; issue 12 §9


def _responses(year):
    """export_responses, official answers of `year`, each with the code of the cadre rated."""
    raw = io.StringIO()
    call_command("export_responses", "--columns", "codes", stdout=raw)
    responses = pd.read_csv(io.StringIO(raw.getvalue()))
    responses = responses[responses["review"].isin(["valid", "cleared"])]
    responses = responses[responses["submitted_at"].str.startswith(str(year))].copy()
    owner = dict(Visit.objects.values_list("rating_link__token", "lead__code"))
    owner |= dict(
        Cadre.objects.filter(contact_link__isnull=False).values_list("contact_link__token", "code")
    )
    responses["cadre"] = responses["token"].map(owner)
    responses["composite"] = responses[DIMS].mean(axis=1)
    return responses.dropna(subset=["cadre"])


def _roster(year):
    """The roster: each cadre's code, rank and unit; its reference group is the rank, the
    province (first code of the unit's path) and the rule set governing the unit that year."""
    rows = []
    for cadre in Cadre.objects.select_related("unit"):
        ruleset = ruleset_for(cadre.unit, year)
        province = cadre.unit.path.strip("/").split("/")[0]
        group = (cadre.level, province, ruleset.pk if ruleset else None)
        rows.append({"cadre": cadre.code, "path": cadre.unit.path, "group": group})
    return pd.DataFrame(rows).set_index("cadre")


def _eb(cadres: pd.DataFrame) -> pd.DataFrame:
    """Empirical Bayes by the one-way ANOVA moments (Searle 1992), written out in pandas:
    σ² pooled within, τ² = max((MSB − σ²)/n0, 0), m = σ²/τ², shrinkage toward the
    precision-weighted mean; ICC = τ²/(τ² + σ²)."""
    n, mean, var = cadres["n"], cadres["mean"], cadres["var"].fillna(0)
    k, total = len(n), n.sum()
    sigma2 = ((n - 1) * var).sum() / (n - 1).sum()
    if k < 2:
        return cadres.assign(adjusted=mean, reliability=float("nan"))
    grand_n = (n * mean).sum() / total
    msb = (n * (mean - grand_n) ** 2).sum() / (k - 1)
    n0 = (total - (n**2).sum() / total) / (k - 1)
    tau2 = max((msb - sigma2) / n0, 0.0)
    w = n / (n + sigma2 / tau2) if tau2 > 0 else n * 0.0
    grand = (w * mean).sum() / w.sum() if w.sum() > 0 else grand_n
    icc = tau2 / (tau2 + sigma2)
    return cadres.assign(
        adjusted=w * mean + (1 - w) * grand, reliability=n * icc / (1 + (n - 1) * icc)
    )


def _expected_scores(year) -> pd.DataFrame:
    responses = _responses(year)
    roster = _roster(year)
    grouped = responses.groupby("cadre")
    table = pd.DataFrame(
        {
            "n": grouped.size(),
            **{f"{d}_mean": grouped[d].mean() for d in DIMS},
            "answered": grouped["overall"].count(),
            "satisfied": grouped["overall"].agg(lambda o: o.isin(["satisfied", "basic"]).sum()),
            "mean": grouped["composite"].mean(),
            "var": grouped["composite"].var(ddof=1),
        }
    )
    table["group"] = roster["group"].reindex(table.index)
    table = pd.concat([_eb(g) for _, g in table.groupby("group")])
    table["satisfaction_rate"] = table["satisfied"] / table["answered"]
    low, high = proportion_confint(table["satisfied"], table["answered"], method="wilson")
    table["satisfaction_low95"], table["satisfaction_high95"] = low, high
    table["score_0_100"] = (table["mean"] - 1) / 4 * 100
    table["adjusted_score"] = (table["adjusted"] - 1) / 4 * 100
    table["enough_sample"] = table["n"] >= MIN_SAMPLE
    table["path"] = roster["path"].reindex(table.index)
    return table


def _assert_row(row, exp):
    """One export_scores row against the recomputation, to 1e-9."""
    assert row["n"] == exp["n"]
    assert bool(row["enough_sample"]) == exp["enough_sample"]
    figures = [f"{d}_mean" for d in DIMS] + [
        "satisfaction_rate",
        "satisfaction_low95",
        "satisfaction_high95",
        "reliability",
    ]
    scores = ["score_0_100", "adjusted_score"]
    if exp["n"] < MIN_CELL:  # no figure over fewer than 3 responses
        assert row[figures + scores].isna().all()
        return
    assert row[figures].to_numpy(float) == pytest.approx(exp[figures].to_numpy(float), abs=1e-9)
    if exp["enough_sample"]:
        assert row[scores].to_numpy(float) == pytest.approx(exp[scores].to_numpy(float), abs=1e-9)
    else:  # SPEC §6: below the minimum sample no score is printed
        assert row[scores].isna().all()


def test_export_scores_matches_an_independent_recomputation(questionnaire, tmp_path):
    """Issue 12 §11: every column of export_scores for the demo county (清溪县) and year, recomputed
    from export_responses and the roster alone with pandas and statsmodels (Wilson), 1e-9."""
    demo.seed()
    unit = OrgUnit.objects.get(code=demo.COUNTY_CODE)
    out = io.StringIO()
    call_command(
        "export_scores",
        "--year",
        str(demo.YEAR),
        "--unit",
        unit.code,
        "--columns",
        "codes",
        stdout=out,
    )
    scores = pd.read_csv(io.StringIO(out.getvalue()), float_precision="round_trip")
    scores = scores.set_index("cadre_code")
    expected = _expected_scores(demo.YEAR)
    expected = expected[expected["path"].str.startswith(unit.path)]
    assert set(scores.index) == set(expected.index) and len(scores) >= 3
    for code, row in scores.iterrows():
        _assert_row(row, expected.loc[code])


ACCEPTED = {"accepted", "on_spot", "assigned", "escalated", "closed"}
OPEN = {"accepted", "assigned", "escalated"}
HAOCHAPING_SATISFIED = {3, 4, 5}  # 非常满意, 满意, 基本满意 (好差评 scale)


def _half_up(x) -> float:
    return math.floor(Fraction(str(x)) * 10 + Fraction(1, 2)) / 10


def _expected_cases(year, as_of) -> dict:
    """The case part from the ledger and export_responses, in pandas: cases raised in `year`
    before `as_of`, less those declined with a reason and those waiting for acceptance for
    under 7 days; mean of 受理率, 按期办结率, 满意率 where defined, × 100, half up to 0.1."""
    from evaluations.models import Case

    cases = pd.DataFrame(
        Case.objects.filter(raised_on__year=year, raised_with__isnull=False).values(
            "raised_with__code",
            "status",
            "decline_reason",
            "raised_on",
            "deadline",
            "closed_on",
            "rating_link__token",
        )
    )
    cases = cases[cases["raised_on"] < as_of]
    cases = cases[~((cases["status"] == "declined") & (cases["decline_reason"] != ""))]
    fresh = (cases["status"] == "received") & (cases["raised_on"] > as_of - dt.timedelta(days=7))
    cases = cases[~fresh].copy()
    raw = io.StringIO()
    call_command("export_responses", "--columns", "codes", stdout=raw)
    ratings = pd.read_csv(io.StringIO(raw.getvalue()))
    ratings = ratings[ratings["review"].isin(["valid", "cleared"]) & ratings["service"].notna()]
    per_link = ratings.groupby("token")["service"]
    cases["rated"] = cases["rating_link__token"].map(per_link.size()).fillna(0)
    satisfied = per_link.agg(lambda v: v.isin(HAOCHAPING_SATISFIED).sum())
    cases["pleased"] = cases["rating_link__token"].map(satisfied).fillna(0)
    closed = cases["status"] == "closed"
    overdue = cases["status"].isin(OPEN) & (cases["deadline"] < as_of)
    cases["due"] = cases["deadline"].notna() & (closed | overdue)
    cases["on_time"] = closed & (cases["closed_on"] <= cases["deadline"])
    cases["accepted"] = cases["status"].isin(ACCEPTED)
    out = {}
    for code, g in cases.groupby("raised_with__code"):
        rates = [g["accepted"].mean()]
        rates += [g["on_time"].sum() / g["due"].sum()] if g["due"].any() else []
        rates += [g["pleased"].sum() / g["rated"].sum()] if g["rated"].sum() else []
        out[code] = _half_up(100 * sum(rates) / len(rates))
    return out


def _expected_appraisal(year) -> dict:
    """The appraisal part from the stored ballots: per closed session appraising `year` with
    more than its quorum share of the electorate voting, per graded subject, each group's mean
    points (the tally keeps 4 decimals), the weight-averaged score, then the mean over
    sessions weighted by valid votes, × 100, half up to 0.1."""
    from evaluations.appraisal.models import AppraisalSession
    from evaluations.appraisal.scales import grades_of
    from surveys.ballots.models import Ballot

    sums = {}
    for session in AppraisalSession.objects.filter(year=year, result__isnull=False):
        groups = {g.code: (g.voters, Fraction(str(g.weight))) for g in session.groups.all()}
        ballots = pd.DataFrame(Ballot.objects.filter(box=session.box).values("group", "answers"))
        ballots = ballots[ballots["group"].isin(groups)]
        if not len(ballots) > Fraction(session.quorum_fraction) * sum(
            v for v, _ in groups.values()
        ):
            continue
        allowed = {value for value, _ in grades_of(session.scale)}
        for subject in session.subjects.filter(is_probationary=False, cadre__isnull=False):
            votes = ballots.assign(vote=ballots["answers"].map(lambda a, k=subject.key: a.get(k)))
            votes = votes[votes["vote"].isin(allowed)]
            points = votes["vote"].map(session.grade_points)
            means = points.groupby(votes["group"]).agg(lambda p: round(p.sum() / len(p), 4))
            weights = pd.Series({g: groups[g][1] for g in means.index}, dtype=object)
            weights = weights[weights > 0]
            if weights.empty:
                continue
            score = round(
                float(
                    sum(weights[g] * Fraction(str(means[g])) for g in weights.index) / sum(weights)
                ),
                4,
            )
            total, n = sums.get(subject.cadre.code, (0.0, 0))
            sums[subject.cadre.code] = (total + score * 100 * len(votes), n + len(votes))
    return {code: _half_up(total / n) for code, (total, n) in sums.items() if n}


RUN_AS_OF = dt.date(2026, 11, 30)  # the run of the report: the demo year not yet over


def _expected_compliance(year, as_of) -> dict:
    """The compliance part on `as_of` = 30 November, from the visits and tenures: the only
    scored rule with periods over is 001's 县级 ≥1 接访 a month (the annual research and
    宣讲 rules are 进行中), so a 县级 cadre's part is the mean over the months over and
    wholly inside a 县级 tenure of min(1, done petition visits led or accompanied)."""
    from evaluations.models import Tenure

    assert as_of == RUN_AS_OF
    visits = pd.DataFrame(
        Visit.objects.filter(status="done", kind="petition").values(
            "pk", "lead__code", "start_date", "end_date"
        )
    )
    companions = pd.DataFrame(
        Visit.companions.through.objects.filter(
            visit__status="done", visit__kind="petition"
        ).values_list("visit_id", "cadre__code"),
        columns=["visit_id", "cadre__code"],
    )
    acts = pd.concat(
        [
            visits.rename(columns={"lead__code": "cadre"}),
            companions.rename(columns={"visit_id": "pk", "cadre__code": "cadre"}).merge(
                visits[["pk", "start_date", "end_date"]], on="pk"
            ),
        ]
    )
    months = [
        m
        for m in pd.period_range(f"{year}-01", f"{year}-12", freq="M")
        if m.end_time.date() < as_of
    ]
    out = {}
    for tenure in Tenure.objects.filter(level="county").select_related("cadre"):
        end = tenure.end or dt.date.max
        inside = [
            m for m in months if tenure.start <= m.start_time.date() and m.end_time.date() <= end
        ]
        mine = acts[acts["cadre"] == tenure.cadre.code]
        credits = [
            min(
                1,
                mine[
                    (mine["start_date"] <= m.end_time.date())
                    & (mine["end_date"] >= m.start_time.date())
                ]["pk"].nunique(),
            )
            for m in inside
        ]
        if credits:
            out[tenure.cadre.code] = _half_up(Fraction(100 * sum(credits), len(credits)))
    return out


def test_assessment_run_parts_match_an_independent_recomputation(questionnaire):
    """Issue 12 §11: the satisfaction part of a run for 清溪县 is the recomputed adjusted
    score rounded once to 0.1 (None below the minimum sample), the case part is recomputed
    from the ledger and export_responses, the compliance part from visits and tenures, and
    each composite is the
    weighted mean of the parts shown, weights shared among the parts present, rounded once
    (half up, exact fractions)."""
    from analytics.assessment import runs
    from evaluations.cycles.services import create_cycle

    demo.seed()
    unit = OrgUnit.objects.get(code=demo.COUNTY_CODE)
    cycle = create_cycle(unit=unit, year=demo.YEAR)
    run = runs.run_all(runs.start(cycle, as_of=RUN_AS_OF))
    expected = _expected_scores(demo.YEAR)
    case_parts = _expected_cases(demo.YEAR, RUN_AS_OF)
    compliance_parts = _expected_compliance(demo.YEAR, RUN_AS_OF)
    assert len(case_parts) >= 3 and len(compliance_parts) >= 3
    weights = pd.Series(cycle.weights())
    results = run.results.select_related("cadre")
    assert results.count() >= 3
    for result in results:
        code = result.cadre.code
        exp = expected.loc[code] if code in expected.index else None
        if exp is None or not exp["enough_sample"]:
            assert result.satisfaction is None
        else:
            assert result.satisfaction == pytest.approx(_half_up(exp["adjusted_score"]), abs=1e-9)
        assert result.cases == case_parts.get(code)
        assert result.appraisal is None  # the demo's 2026 session is still open
        assert result.compliance == compliance_parts.get(code)
        parts = pd.Series({k: getattr(result, k) for k in weights.index}, dtype=float).dropna()
        if len(parts) < 2 or result.cadre.on_leave:
            assert result.composite is None
            continue
        exact = sum(Fraction(str(weights[k])) * Fraction(str(v)) for k, v in parts.items())
        exact /= sum(Fraction(str(weights[k])) for k in parts.index)
        assert result.composite == pytest.approx(_half_up(exact), abs=1e-9)


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
    call_command("export_scores", "--year", "2026", "--columns", "codes", stdout=out)
    scores = pd.read_csv(io.StringIO(out.getvalue()), keep_default_na=False)
    scores = scores.set_index("cadre_code")
    for code in ("FEW", "ONE"):
        assert scores.loc[code, "score_0_100"] == "" and scores.loc[code, "adjusted_score"] == ""
        assert str(scores.loc[code, "enough_sample"]) == "False"
    assert float(scores.loc["MANY", "score_0_100"]) == pytest.approx(75.0)
    target = tmp_path / "scores.xlsx"
    call_command(
        "export_scores",
        "--year",
        "2026",
        "--format",
        "xlsx",
        "--columns",
        "codes",
        "-o",
        str(target),
    )
    rows = list(load_workbook(target).active.iter_rows(min_row=2, values_only=True))
    header, body = rows[0], {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert "enough_sample" in header
    assert body["ONE"]["score_0_100"] is None and body["FEW"]["adjusted_score"] is None
    assert body["MANY"]["score_0_100"] == pytest.approx(75.0)


def test_appraisal_part_matches_the_ballots(questionnaire):
    """The demo's 2025年度民主评议党员 (城东社区), recomputed from its ballots, is the appraisal
    part of the 2025 run for each member, to 1e-9."""
    from analytics.assessment import runs
    from evaluations.cycles.services import create_cycle

    demo.seed()
    cycle = create_cycle(unit=OrgUnit.objects.get(code=demo.COUNTY_CODE), year=demo.YEAR - 1)
    run = runs.run_all(runs.start(cycle))
    expected = _expected_appraisal(demo.YEAR - 1)
    got = {r.cadre.code: r.appraisal for r in run.results.select_related("cadre")}
    assert expected and all(got[code] is not None for code in expected)
    for code, value in got.items():
        assert (
            value == pytest.approx(expected[code], abs=1e-9) if code in expected else value is None
        )


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
