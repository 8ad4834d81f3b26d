"""Figures from the database's sufficient statistics equal the row-level ones (issue 16 §1).

The row-level path (analytics.frames.responses_frame → satisfaction.summarise and the stats
functions on raw rows) is the reference; every figure must agree to 1e-9 on a random sample
with missing answers, several months, visit kinds, contact cards and flagged responses."""

import datetime as dt
import random
import uuid

import numpy as np
import pandas as pd
import pytest

from analytics import stats, sufficient
from analytics.frames import DIMENSIONS, SYSTEM, responses_frame
from analytics.satisfaction import summarise
from evaluations.models import Cadre, Visit
from surveys.models import Answer, Question, Response
from tests.factories import CadreFactory, RatingLinkFactory, VisitFactory

pytestmark = pytest.mark.django_db

TOL = 1e-9
KINDS = [Visit.Kind.RESEARCH, Visit.Kind.PETITION_RECEPTION, Visit.Kind.ONSITE_OFFICE]
OVERALL = ["satisfied", "satisfied", "basic", "dissatisfied", None]


def _links(county, rng):
    units = [county["350901"]["town"], county["350901"]["village"], county["350902"]["town"]]
    links = []
    for i in range(14):
        cadre = CadreFactory(unit=units[i % 3])
        for kind in rng.sample(KINDS, 2):
            links.append(VisitFactory(lead=cadre, target_unit=cadre.unit, kind=kind).rating_link)
        if i % 4 == 0:
            cadre.contact_link = RatingLinkFactory()
            cadre.save()
            links.append(cadre.contact_link)
    return links


def _answers(response, questions, rng, skewed):
    rows = []
    for code in DIMENSIONS:
        if rng.random() < 0.04:
            continue  # a skipped question
        score = 5 if skewed and rng.random() < 0.6 else rng.randint(1, 5)
        rows.append(
            Answer(response=response, question=questions[code], value=str(score), score=score)
        )
    overall = rng.choice(OVERALL)
    if overall:
        rows.append(Answer(response=response, question=questions["overall"], value=overall))
    return rows


@pytest.fixture
def sample(county):
    rng = random.Random(16)
    links = _links(county, rng)
    version = links[0].questionnaire.latest_published()
    questions = {q.code: q for q in Question.objects.filter(version=version)}
    responses = []
    for i, link in enumerate(links):
        for j in range(rng.randint(1, 60)):
            # Around the turn of a month in local time (UTC+8), so the month is taken in SQL
            # the same way pandas takes it.
            when = dt.datetime(2026, rng.randint(1, 12), 1, rng.randint(0, 23), tzinfo=dt.UTC)
            when -= dt.timedelta(hours=rng.randint(0, 30))
            review = rng.choice(["valid"] * 8 + ["flagged", "excluded", "cleared"])
            responses.append(
                Response(
                    link=link,
                    version=version,
                    submission_id=uuid.uuid4(),
                    device_id=f"s{i}-{j}",
                    submitted_at=when,
                    review=review,
                )
            )
    Response.objects.bulk_create(responses)
    answers = []
    for response in Response.objects.filter(device_id__startswith="s"):
        answers += _answers(response, questions, rng, skewed=response.pk % 3 == 0)
    Answer.objects.bulk_create(answers)
    return county


def _assert_tables_equal(expected: pd.DataFrame, got: pd.DataFrame):
    assert list(got.index) == list(expected.index)
    for column in expected.columns:
        a = expected[column].to_numpy(dtype=float)
        b = got[column].to_numpy(dtype=float)
        assert np.allclose(a, b, rtol=0, atol=TOL, equal_nan=True), column
    for key in ("sigma2", "tau2", "m", "icc", "grand_mean"):
        assert got.attrs[key] == pytest.approx(expected.attrs[key], abs=TOL, nan_ok=True)


@pytest.mark.parametrize("by", ["cadre_id", "month", "visit_kind"])
def test_summaries_equal_the_row_level_ones(sample, by):
    frame = responses_frame(SYSTEM, year=2026)
    assert len(frame) > 500
    _assert_tables_equal(
        summarise(frame, by), sufficient.summarise_cells(sufficient.cells(SYSTEM, year=2026), by)
    )


def test_cells_are_three_queries_of_a_few_rows(sample, django_assert_num_queries):
    with django_assert_num_queries(3):  # the questions, the grouped ratings, the links
        data = sufficient.cells(SYSTEM, year=2026)
    ids = Cadre.objects.values_list("pk", flat=True)
    with django_assert_num_queries(3):  # a queryset of cadre ids stays a subquery
        assert len(sufficient.cells(SYSTEM, year=2026, cadre_ids=ids)) == len(data)
    assert int(data["n"].sum()) == len(responses_frame(SYSTEM, year=2026))
    assert len(data) < int(data["n"].sum())


def test_cells_fetched_in_chunks_equal_one_fetch(sample, monkeypatch):
    """The cells are read FETCH_ROWS at a time (a province's would cost ~120 MB as tuples);
    chunks of 7 rows give the very frame one fetch gives."""
    whole = sufficient.cells(SYSTEM, year=2026)
    monkeypatch.setattr(sufficient, "FETCH_ROWS", 7)
    chunked = sufficient.cells(SYSTEM, year=2026)
    assert len(whole) > 7 * 3
    pd.testing.assert_frame_equal(chunked, whole)


def test_cronbach_alpha_from_the_covariance_matrix(sample):
    frame = responses_frame(SYSTEM, year=2026)
    expected = stats.cronbach_alpha(frame[list(DIMENSIONS)].astype(float))
    got = sufficient.cronbach_alpha(sufficient.cells(SYSTEM, year=2026))
    assert got == pytest.approx(expected, abs=TOL)


def test_cluster_comparison_with_ties_from_cadre_means(sample):
    frame = responses_frame(SYSTEM, year=2026)
    units = {pk: pk % 3 for pk in frame["cadre_id"].unique()}
    frame["unit"] = frame["cadre_id"].map(units)
    expected = stats.compare_clusters(
        frame.dropna(subset=["composite"]), "unit", "cadre_id", "composite"
    )
    got = sufficient.compare_clusters(sufficient.cells(SYSTEM, year=2026), units)
    assert got["n_clusters"] == expected["n_clusters"]
    assert got["H"] == pytest.approx(expected["H"], abs=TOL)
    assert got["p"] == pytest.approx(expected["p"], abs=TOL)
    for column in ("U", "p_raw", "p_holm"):
        assert np.allclose(got["pairs"][column], expected["pairs"][column], atol=TOL)


def test_monthly_trend_equals_the_row_level_one(sample):
    frame = responses_frame(SYSTEM, year=2026)
    monthly = summarise(frame, "month").sort_index()
    expected = stats.monthly_trend(
        pd.DataFrame({"month": monthly.index, "value": monthly["score"].to_numpy(float)})
    )
    got = sufficient.monthly_trend(
        sufficient.summarise_cells(sufficient.cells(SYSTEM, year=2026), "month")
    )
    for key in ("S", "var_S", "z", "p", "tau", "slope", "intercept", "slope_p"):
        assert got[key] == pytest.approx(expected[key], abs=TOL), key
    assert got["n_months"] == expected["n_months"] == 12


def test_scope_and_cadre_filter_are_those_of_the_frame(sample):
    frame = responses_frame(SYSTEM, year=2026)
    some = sorted(frame["cadre_id"].unique())[:4]
    data = sufficient.cells(SYSTEM, year=2026, cadre_ids=some)
    assert set(data["cadre_id"]) == set(some)
    assert int(data["n"].sum()) == int(frame["cadre_id"].isin(some).sum())


def test_no_responses_give_an_empty_table(county):
    data = sufficient.cells(SYSTEM, year=2026)
    assert data.empty
    assert sufficient.summarise_cells(data, "cadre_id").empty
    assert np.isnan(sufficient.cronbach_alpha(data))


@pytest.mark.parametrize("period", ["year", "Q2", "11"])
def test_the_periodic_summary_equals_the_row_level_one(sample, period):
    """定期报送 (analytics.summary) from the cells, against the same rows counted in pandas:
    satisfied / answered 总体评价, the composite's 0–100 score and n, per county."""
    from analytics import summary
    from analytics.frames import SATISFIED_VALUES
    from evaluations.models import Cadre, OrgUnit
    from evaluations.org import periods

    city = sample["350901"]["county"].parent
    rows = summary.unit_summary(SYSTEM, unit=city, year=2026, period=period).rows
    frame = responses_frame(SYSTEM, year=2026)
    if period != "year":
        frame = frame[frame["month"].str[5:].astype(int).isin(list(periods.months(period)))]
    path_of = dict(Cadre.objects.values_list("pk", "unit__path"))
    for row in rows:
        child = OrgUnit.objects.get(code=row["code"])
        part = frame[frame["cadre_id"].map(path_of).str.startswith(child.path)]
        assert row["n"] == len(part) > 0
        answered = part["overall"].notna().sum()
        satisfied = part["overall"].isin(SATISFIED_VALUES).sum()
        assert row["satisfaction"] == pytest.approx(satisfied / answered, abs=TOL)
        expected = stats.score_0_100(part["composite"].mean())
        assert row["score"] == pytest.approx(float(expected), abs=TOL)
        assert row["n_web"] == len(part)  # the sample is all web


def test_no_cadres_give_an_empty_table(county):
    """A unit without cadres (the access matrix's empty county): no query, no 500."""
    assert sufficient.cells(SYSTEM, year=2026, cadre_ids=[]).empty


def test_cells_without_months_give_the_same_cadre_table(sample):
    """The exports and the assessment read cells not split by month; per cadre they equal
    the row-level table (and so the dashboard's)."""
    frame = responses_frame(SYSTEM, year=2026)
    whole = sufficient.cells(SYSTEM, year=2026, months=False)
    assert set(whole["month"]) == {""}
    assert len(whole) < len(sufficient.cells(SYSTEM, year=2026))
    _assert_tables_equal(
        summarise(frame, "cadre_id"), sufficient.summarise_cells(whole, "cadre_id")
    )


def test_the_exported_scores_are_the_dashboards(sample):
    from analytics import reports

    shown = reports.dashboard(SYSTEM, year=2026, with_charts=False).rows
    exported = reports.scores(SYSTEM, year=2026).rows
    assert len(shown) > 5
    assert pd.DataFrame(exported).equals(pd.DataFrame(shown))
