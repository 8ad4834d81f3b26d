"""Satisfaction per cadre: counts, means, 满意率 with Wilson intervals, scores and ranking."""

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

from analytics.frames import SYSTEM, responses_frame
from analytics.satisfaction import summarise
from tests.analytics.conftest import add_responses, cadre_with_visit

pytestmark = pytest.mark.django_db


def table_for(year=2026):
    return summarise(responses_frame(SYSTEM, year=year), "cadre_id")


def test_counts_means_rate_and_wilson_match_statsmodels(county):
    cadre, visit = cadre_with_visit(county["350901"]["town"])
    add_responses(visit, [(5, 4, 4)] * 8, overall="satisfied")
    add_responses(visit, [(3, 3, 2)] * 3, overall="basic")
    add_responses(visit, [(1, 2, 1)] * 2, overall="dissatisfied")
    row = table_for().loc[cadre.pk]
    assert row["n"] == 13
    assert row["attitude_mean"] == pytest.approx((5 * 8 + 3 * 3 + 1 * 2) / 13)
    assert row["satisfaction"] == pytest.approx(11 / 13)
    low, high = proportion_confint(11, 13, alpha=0.05, method="wilson")
    assert (row["sat_low"], row["sat_high"]) == pytest.approx((low, high))
    composite = (8 * 13 / 3 + 3 * 8 / 3 + 2 * 4 / 3) / 13
    assert row["score"] == pytest.approx((composite - 1) / 4 * 100)


def test_mean_intervals_never_leave_the_scale(county):
    cadre, visit = cadre_with_visit(county["350901"]["town"])
    add_responses(visit, [(5, 5, 5)] * 12)
    row = table_for().loc[cadre.pk]
    for code in ("attitude", "style", "results"):
        assert 1 <= row[f"{code}_low"] < row[f"{code}_high"] <= 5
        assert row[f"{code}_high"] == pytest.approx(5)


def test_below_minimum_sample_is_marked_not_enough(county, settings):
    cadre, visit = cadre_with_visit(county["350901"]["town"])
    add_responses(visit, [(4, 4, 4)] * 9)
    assert not table_for().loc[cadre.pk, "enough"]
    settings.MIN_SAMPLE = 5
    assert table_for().loc[cadre.pk, "enough"]


def _three_perfect_and_three_hundred_good(town):
    few, few_visit = cadre_with_visit(town)
    many, many_visit = cadre_with_visit(town)
    add_responses(few_visit, [(5, 5, 5)] * 3)
    rng = np.random.default_rng(1)
    # A resident's three answers move together (one impression), as in real ratings.
    good = [(int(v),) * 3 for v in rng.choice([4, 5], 300, p=[0.4, 0.6])]
    add_responses(many_visit, good)
    for _ in range(8):  # ordinary peers: the between-cadre spread is small, as in practice
        _, visit = cadre_with_visit(town)
        add_responses(
            visit, [(int(v),) * 3 for v in rng.choice([2, 3, 4, 5], 25, p=[0.1, 0.25, 0.4, 0.25])]
        )
    return few, many


def test_shrinkage_pulls_three_responses_far_more_than_three_hundred(county, settings):
    settings.MIN_SAMPLE = 1
    few, many = _three_perfect_and_three_hundred_good(county["350901"]["town"])
    table = table_for()
    grand = (table.attrs["grand_mean"] - 1) / 4 * 100
    raw_gap = table.loc[few.pk, "score"] - table.loc[many.pk, "score"]
    adjusted_gap = table.loc[few.pk, "adjusted"] - table.loc[many.pk, "adjusted"]
    assert raw_gap > 5 and adjusted_gap < raw_gap / 3
    pulled = {pk: table.loc[pk, "score"] - table.loc[pk, "adjusted"] for pk in (few.pk, many.pk)}
    assert pulled[few.pk] > 10 * abs(pulled[many.pk])
    assert grand < table.loc[few.pk, "adjusted"] < table.loc[few.pk, "score"]


def test_three_responses_are_not_ranked_at_all_by_default(county):
    few, many = _three_perfect_and_three_hundred_good(county["350901"]["town"])
    table = table_for()
    assert not table.loc[few.pk, "enough"] and table.loc[many.pk, "enough"]
    assert list(table.index).index(many.pk) < list(table.index).index(few.pk)
    assert list(table.index)[-1] == few.pk


def test_flagged_responses_are_excluded_until_cleared(county):
    cadre, visit = cadre_with_visit(county["350901"]["town"])
    add_responses(visit, [(4, 4, 4)] * 10)
    flagged = add_responses(visit, [(1, 1, 1)] * 5, review="flagged", overall="dissatisfied")
    assert table_for().loc[cadre.pk, "n"] == 10
    for response in flagged:
        response.review = "cleared"
        response.save()
    assert table_for().loc[cadre.pk, "n"] == 15


def test_no_responses_gives_an_empty_table(county):
    assert table_for().empty


def test_one_cadre_only_is_not_shrunk(county):
    cadre, visit = cadre_with_visit(county["350901"]["town"])
    add_responses(visit, [(4, 5, 3)] * 11)
    row = table_for().loc[cadre.pk]
    assert row["adjusted"] == pytest.approx(row["score"])
