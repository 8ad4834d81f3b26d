"""analytics.stats, each statistic checked against an independent implementation or a
published worked example (never against itself)."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps
from statsmodels.stats.proportion import proportion_confint

from analytics import stats

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import pingouin as pg

ratings = st.lists(st.integers(1, 5), min_size=1, max_size=200)
fast = settings(max_examples=150, deadline=None)


# --- Wilson ---------------------------------------------------------------------------------


@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95, 0.99])
def test_wilson_matches_statsmodels_over_a_grid(confidence):
    nobs = np.concatenate([np.repeat(np.arange(1, 61), np.arange(2, 62)), [500, 1000, 5000]])
    count = np.concatenate([np.arange(n + 1) for n in range(1, 61)] + [[7, 1000, 2500]])
    low, high = stats.wilson_interval_arrays(count, nobs, confidence)
    ref_low, ref_high = proportion_confint(count, nobs, alpha=1 - confidence, method="wilson")
    np.testing.assert_allclose(low, ref_low, atol=1e-12)
    np.testing.assert_allclose(high, ref_high, atol=1e-12)
    for c, n in [(0, 1), (3, 7), (7, 7), (1000, 1000)]:
        ref = proportion_confint(c, n, alpha=1 - confidence, method="wilson")
        assert stats.wilson_interval(c, n, confidence) == pytest.approx(ref, abs=1e-12)


@pytest.mark.parametrize(
    ("count", "n", "expected"),
    # Newcombe (1998), Statistics in Medicine 17:857, Table I, method 3 (Wilson score).
    [(81, 263, (0.2553, 0.3662)), (15, 148, (0.0624, 0.1605)), (0, 20, (0.0, 0.1611))],
)
def test_wilson_published_examples(count, n, expected):
    assert stats.wilson_interval(count, n) == pytest.approx(expected, abs=5e-5)


def test_wilson_edges():
    assert all(math.isnan(v) for v in stats.wilson_interval(0, 0))
    low, high = stats.wilson_interval_arrays([0, 0, 5], [0, 5, 5])
    assert math.isnan(low[0]) and math.isnan(high[0])
    assert low[1] == 0.0 and 0 < high[1] < 1
    assert 0 < low[2] < 1 and high[2] == 1.0
    with pytest.raises(ValueError):
        stats.wilson_interval(6, 5)


# --- mean interval on the 1–5 scale ---------------------------------------------------------


@fast
@given(ratings)
def test_mean_interval_never_leaves_the_scale(values):
    low, high = stats.mean_interval(values)
    assert 1 <= low < high <= 5
    assert low <= np.mean(values) <= high


@pytest.mark.parametrize("value", [1, 2, 3, 4, 5])
def test_mean_interval_constant_data_has_positive_width(value):
    low, high = stats.mean_interval([value] * 20)
    assert low <= value <= high
    assert high - low > 0.05
    assert low >= 1 and high <= 5


def _wilson_shifted(count, n):
    """The documented method rebuilt from statsmodels' Wilson interval: lower end at the count
    minus a quarter, upper end at the count plus a quarter, counts clipped to [0, n]."""
    low = proportion_confint(max(count - 0.25, 0), n, alpha=0.05, method="wilson")[0]
    high = proportion_confint(min(count + 0.25, n), n, alpha=0.05, method="wilson")[1]
    return 1 + 4 * low, 1 + 4 * high


def test_mean_interval_all_fives_is_wilson_for_twenty_of_twenty():
    # Rescaled, twenty 5s are 20 successes in 20: the Wilson interval (statsmodels) at 19.75.
    assert stats.mean_interval([5] * 20) == pytest.approx(_wilson_shifted(20, 20), abs=1e-12)
    assert stats.mean_interval([5] * 20)[1] == 5


@fast
@given(st.lists(st.integers(1, 5), min_size=1, max_size=200))
def test_mean_interval_is_the_documented_wilson_construction(values):
    n = len(values)
    expected = _wilson_shifted((np.mean(values) - 1) / 4 * n, n)
    assert stats.mean_interval(values) == pytest.approx(expected, abs=1e-9)


# Skewed 1–5 distributions (probabilities of 1..5): 90 % top answers in several shapes, the
# two-point extremes, and a few milder ones.
SKEWED = {
    "90% 5, rest spread": [0.02, 0.02, 0.02, 0.04, 0.90],
    "90% 5, rest 3–4": [0.0, 0.0, 0.05, 0.05, 0.90],
    "90% 5, 10% 4": [0.0, 0.0, 0.0, 0.10, 0.90],
    "90% 5, 10% 1": [0.10, 0.0, 0.0, 0.0, 0.90],
    "97% 5, 3% 4": [0.0, 0.0, 0.0, 0.03, 0.97],
    "80% 5": [0.05, 0.03, 0.04, 0.08, 0.80],
    "90% 1": [0.90, 0.10, 0.0, 0.0, 0.0],
    "half 1, half 5": [0.5, 0.0, 0.0, 0.0, 0.5],
}


@pytest.mark.parametrize("n", [10, 12, 15, 20, 30, 50, 100, 200])
def test_mean_interval_covers_skewed_data(n):
    """Issue 12 §8: with 90 % top answers the old interval (observed variance) covered the true
    mean 74 % of the time at n = 10. 4,000 samples per distribution and n (fixed seed): this
    interval covers at least 93 % everywhere, and stays inside 1–5."""
    rng = np.random.default_rng(20261130 + n)
    for name, probs in SKEWED.items():
        truth = float(np.dot(probs, [1, 2, 3, 4, 5]))
        means = rng.choice([1, 2, 3, 4, 5], size=(4000, n), p=probs).mean(axis=1)
        low, high = stats.mean_interval_from_stats(means, np.full(means.size, n))
        coverage = float(((low <= truth) & (truth <= high)).mean())
        assert coverage >= 0.93, f"{name}, n = {n}: {coverage:.3f}"
        assert (low >= 1).all() and (high <= 5).all()


@pytest.mark.parametrize("seed", range(5))
def test_mean_interval_large_n_contains_the_t_interval(seed):
    # The bound variance is never below the observed one: for large n the interval holds the
    # t interval and is not much wider (Bhatia–Davis: σ² ≤ (μ − 1)(5 − μ)).
    rng = np.random.default_rng(seed)
    values = rng.choice(
        [1, 2, 3, 4, 5], size=int(rng.integers(400, 2000)), p=[0.1, 0.2, 0.3, 0.25, 0.15]
    )
    ref = sps.t.interval(0.95, values.size - 1, loc=values.mean(), scale=sps.sem(values))
    low, high = stats.mean_interval(values)
    assert low <= ref[0] and ref[1] <= high and high - low < 2 * (ref[1] - ref[0])


def test_mean_interval_small_n():
    assert all(math.isnan(v) for v in stats.mean_interval([]))
    assert all(math.isnan(v) for v in stats.mean_interval([np.nan]))
    low, high = stats.mean_interval([3])
    assert 1 < low < 3 < high < 5 and high - low > 2
    low, high = stats.mean_interval([5])
    assert 1 < low < 5 and high == 5


@fast
@given(st.lists(ratings, min_size=1, max_size=8))
def test_mean_interval_from_stats_agrees_with_raw(groups):
    n = np.array([len(g) for g in groups], dtype=float)
    mean = np.array([np.mean(g) for g in groups])
    expected = np.array([stats.mean_interval(g) for g in groups])
    low, high = stats.mean_interval_from_stats(mean, n)
    np.testing.assert_allclose(np.c_[low, high], expected, atol=1e-9)


def test_mean_interval_from_stats_zero_n():
    low, high = stats.mean_interval_from_stats(np.array([np.nan, 4.0]), [0, 10])
    assert np.isnan(low[0]) and np.isnan(high[0]) and 1 < low[1] < 4 < high[1] < 5


# --- shrinkage ------------------------------------------------------------------------------


def _random_intercepts(seed, sizes, tau=0.3, sigma=0.8):
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(len(sizes)), sizes)
    y = 4.0 + rng.normal(0, tau, len(sizes))[g] + rng.normal(0, sigma, g.size)
    return pd.DataFrame({"g": g, "y": y})


def _mixedlm(df, groups):
    fit = smf.mixedlm("y ~ 1", df, groups=df["g"]).fit(reml=True)
    assert fit.converged
    blup = fit.fe_params.iloc[0] + np.array([fit.random_effects[k].iloc[0] for k in groups])
    return fit.scale, float(fit.cov_re.iloc[0, 0]), blup


def test_shrinkage_matches_mixedlm_unbalanced():
    sizes = np.random.default_rng(0).integers(3, 301, 30)
    df = _random_intercepts(0, sizes)
    res = stats.shrinkage_from_raw(df, "g", "y")
    sigma2, tau2, blup = _mixedlm(df, res["group"])
    # σ²: pooled within-group variance and REML agree closely with thousands of residual df.
    assert res.attrs["sigma2"] == pytest.approx(sigma2, rel=0.01)
    # τ²: moments (ANOVA) vs REML differ on unbalanced data by a fraction of τ²'s own
    # sampling error (relative SE ≈ √(2/(k−1)) ≈ 26% for k = 30 groups): allow 15%.
    assert res.attrs["tau2"] == pytest.approx(tau2, rel=0.15)
    assert np.corrcoef(blup, res["adjusted"])[0, 1] > 0.99
    assert np.abs(blup - res["adjusted"]).max() < 0.03
    assert res.attrs["icc"] == pytest.approx(tau2 / (tau2 + sigma2), rel=0.15)


def test_shrinkage_matches_mixedlm_balanced():
    # Balanced design: the ANOVA estimator of τ² equals REML when positive (Searle 1992 §4.8).
    df = _random_intercepts(1, [20] * 12, tau=0.4)
    res = stats.shrinkage_from_raw(df, "g", "y")
    sigma2, tau2, blup = _mixedlm(df, res["group"])
    assert res.attrs["sigma2"] == pytest.approx(sigma2, rel=1e-3)
    assert res.attrs["tau2"] == pytest.approx(tau2, rel=1e-3)
    np.testing.assert_allclose(res["adjusted"], blup, atol=1e-3)


def _group_frame(rows):
    return pd.DataFrame(rows, columns=["group", "n", "mean", "var"])


def test_three_fives_do_not_outrank_three_hundred_at_four_point_six():
    rng = np.random.default_rng(2)
    others = [(f"u{i}", 50, m, 1.0) for i, m in enumerate(rng.normal(4.0, 0.3, 20))]
    res = stats.shrinkage(_group_frame([("small", 3, 5.0, 0.0), ("big", 300, 4.6, 1.0), *others]))
    assert res.attrs["grand_mean"] == pytest.approx(4.0, abs=0.15)
    ranking = res.sort_values("adjusted", ascending=False)["group"].tolist()
    assert ranking.index("big") < ranking.index("small")
    assert res.sort_values("mean", ascending=False)["group"].iloc[0] == "small"  # raw mean would


def test_shrinkage_hand_computed():
    # Two groups n = 2: within vars 0.5 and 0.5 → σ² = 0.5; means 1 and 3, grand 2,
    # MSB = 2·1 + 2·1 = 4, n0 = (4 − 8/4)/1 = 2, τ² = (4 − 0.5)/2 = 1.75, m = 2/7.
    res = stats.shrinkage(_group_frame([("a", 2, 1.0, 0.5), ("b", 2, 3.0, 0.5)]))
    assert res.attrs["sigma2"] == pytest.approx(0.5)
    assert res.attrs["tau2"] == pytest.approx(1.75)
    assert res.attrs["m"] == pytest.approx(2 / 7)
    assert res.attrs["icc"] == pytest.approx(1.75 / 2.25)
    assert res["weight"].tolist() == pytest.approx([2 / (2 + 2 / 7)] * 2)
    assert res["adjusted"].tolist() == pytest.approx(
        [(2 + 4 / 7) / (16 / 7), (6 + 4 / 7) / (16 / 7)]
    )


def test_shrinkage_tau_zero_shrinks_everything_to_grand_mean():
    res = stats.shrinkage(_group_frame([("a", 10, 4.0, 1.0), ("b", 30, 4.0, 1.0)]))
    assert res.attrs["tau2"] == 0 and res.attrs["m"] == math.inf
    assert (res["weight"] == 0).all()
    assert res["adjusted"].tolist() == pytest.approx([4.0, 4.0])


def test_shrinkage_edges():
    one = stats.shrinkage(_group_frame([("a", 5, 4.2, 0.7)]))
    assert one["adjusted"].tolist() == [4.2] and one["weight"].tolist() == [1.0]
    assert math.isnan(one.attrs["tau2"]) and one.attrs["sigma2"] == pytest.approx(0.7)
    singles = stats.shrinkage(_group_frame([("a", 1, 5.0, np.nan), ("b", 1, 3.0, np.nan)]))
    assert singles["adjusted"].tolist() == [5.0, 3.0] and math.isnan(singles.attrs["sigma2"])
    mixed = stats.shrinkage(
        _group_frame([("a", 1, 5.0, np.nan), ("b", 40, 3.5, 1.0), ("c", 60, 4.5, 1.0)])
    )
    assert mixed.attrs["sigma2"] == pytest.approx(1.0)
    assert mixed["adjusted"].notna().all()
    same = stats.shrinkage_from_raw(pd.DataFrame({"g": list("aabbb"), "y": [4.0] * 5}), "g", "y")
    assert same["adjusted"].tolist() == [4.0, 4.0] and math.isnan(same.attrs["icc"])


def test_reliability_spearman_brown():
    # Doubling a test of reliability 0.5 gives 2·0.5/(1 + 0.5) = 2/3 (Spearman–Brown).
    assert stats.reliability(2, 0.5) == pytest.approx(2 / 3)
    assert stats.reliability(1, 0.3) == pytest.approx(0.3)
    np.testing.assert_allclose(stats.reliability([10, 100], 0.2), [2 / 2.8, 20 / 20.8])


def test_shrinkage_weight_is_spearman_brown_reliability():
    df = _random_intercepts(3, [5, 20, 80, 200, 10, 40])
    res = stats.shrinkage_from_raw(df, "g", "y")
    np.testing.assert_allclose(res["weight"], stats.reliability(res["n"], res.attrs["icc"]))


# --- Cronbach's alpha -----------------------------------------------------------------------


@pytest.mark.parametrize("loading", [0.0, 0.5, 2.0])
def test_cronbach_alpha_matches_pingouin(loading):
    rng = np.random.default_rng(4)
    common = rng.normal(size=(200, 1))
    items = pd.DataFrame(loading * common + rng.normal(size=(200, 3)), columns=list("xyz"))
    items.iloc[[3, 50, 77], [0, 2, 1]] = np.nan
    expected = pg.cronbach_alpha(data=items, nan_policy="listwise")[0]
    assert stats.cronbach_alpha(items) == pytest.approx(expected, abs=1e-12)


def test_cronbach_alpha_edges():
    assert math.isnan(stats.cronbach_alpha(pd.DataFrame({"a": [1, 2, 3], "b": [3, 2, 1]})))
    assert math.isnan(stats.cronbach_alpha(pd.DataFrame({"a": [5, 5], "b": [5, 5]})))
    assert math.isnan(stats.cronbach_alpha(pd.DataFrame({"a": [1], "b": [2], "c": [3]})))
    assert math.isnan(stats.cronbach_alpha(pd.DataFrame({"a": [1, np.nan], "b": [2, 3]})))


# --- group comparisons ----------------------------------------------------------------------


def _holm(p):
    """Holm (1979) step-down, written out: sorted p(i)·(m − i), running max, capped at 1."""
    p = np.asarray(p, dtype=float)
    order = np.argsort(p)
    adjusted = np.empty_like(p)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, (len(p) - rank) * p[i])
        adjusted[i] = min(running, 1.0)
    return adjusted


def test_holm_worked_example():
    np.testing.assert_allclose(_holm([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(0, 1) | st.sampled_from([0.0, 0.01, 0.05, 1.0]), min_size=0, max_size=40),
    st.sampled_from([0.01, 0.05, 0.1]),
)
def test_holm_matches_statsmodels(p_values, alpha):
    """`stats.holm` replaces statsmodels' multipletests in the reports (so statsmodels is not
    imported by every reporting process): same rejections and adjusted p, ties included."""
    from statsmodels.stats.multitest import multipletests

    reject, adjusted = stats.holm(p_values, alpha)
    if not p_values:
        assert reject.size == adjusted.size == 0
        return
    expected_reject, expected, _, _ = multipletests(p_values, alpha=alpha, method="holm")
    np.testing.assert_array_equal(reject, expected_reject)
    np.testing.assert_allclose(adjusted, expected, rtol=0, atol=1e-15)
    np.testing.assert_allclose(adjusted, _holm(p_values), rtol=0, atol=1e-15)


def _three_units(seed=5):
    rng = np.random.default_rng(seed)
    frames = [
        pd.DataFrame({"unit": u, "score": rng.choice([1, 2, 3, 4, 5], n, p=p)})
        for u, n, p in [
            ("东村", 40, [0.05, 0.1, 0.2, 0.35, 0.3]),
            ("西村", 25, [0.1, 0.2, 0.3, 0.25, 0.15]),
            ("南村", 60, [0.02, 0.08, 0.2, 0.3, 0.4]),
            ("北村", 8, [0.0, 0.0, 0.25, 0.25, 0.5]),
        ]
    ]
    return pd.concat(frames, ignore_index=True)


def test_compare_groups_matches_pingouin():
    df = _three_units()
    df.loc[[0, 7], "score"] = np.nan
    result = stats.compare_groups(df, "unit", "score")
    assert result["method"] == "Kruskal–Wallis; pairwise Mann–Whitney U, Holm"
    kw = pg.kruskal(data=df.dropna(), dv="score", between="unit")
    assert result["H"] == pytest.approx(kw["H"].iloc[0])
    assert result["p"] == pytest.approx(kw["p_unc"].iloc[0])
    ref = pg.pairwise_tests(
        data=df.dropna(), dv="score", between="unit", parametric=False, padjust="holm"
    )
    ours = result["pairs"]
    assert len(ours) == len(ref) == 6
    ref_map = {frozenset((r.A, r.B)): r for r in ref.itertuples()}
    sizes = df.dropna().groupby("unit").size()
    for row in ours.to_dict("records"):
        r = ref_map[frozenset((row["a"], row["b"]))]
        assert row["p_raw"] == pytest.approx(r.p_unc)
        assert row["p_holm"] == pytest.approx(r.p_corr)
        # pingouin reports U of its first group; U_a + U_b = n_a·n_b.
        same_order = row["a"] == r.A
        u = r.U_val if same_order else sizes[row["a"]] * sizes[row["b"]] - r.U_val
        assert row["U"] == pytest.approx(u)
    np.testing.assert_allclose(ours["p_holm"], _holm(ours["p_raw"]))
    assert (ours["reject"] == (ours["p_holm"] <= 0.05)).all()


def test_compare_groups_edges():
    one = stats.compare_groups(pd.DataFrame({"g": ["a"] * 5, "v": range(5)}), "g", "v")
    assert math.isnan(one["H"]) and math.isnan(one["p"]) and one["pairs"].empty
    assert list(one["pairs"].columns) == ["a", "b", "U", "p_raw", "p_holm", "reject"]
    same = stats.compare_groups(pd.DataFrame({"g": list("aabbcc"), "v": [5] * 6}), "g", "v")
    assert same["H"] == 0.0 and same["p"] == 1.0
    assert (same["pairs"]["p_holm"] == 1.0).all() and not same["pairs"]["reject"].any()
    empty = stats.compare_groups(pd.DataFrame({"g": [], "v": []}), "g", "v")
    assert math.isnan(empty["p"]) and empty["pairs"].empty


def _clustered(seed, units=3, cadres=6, per_cadre=40):
    """Units that do not differ; cadres within them do (ICC = 0.25² / (0.25² + 0.5²) = 0.2)."""
    rng = np.random.default_rng(seed)
    rows = []
    for u in range(units):
        for c in range(cadres):
            effect = rng.normal(0, 0.25)
            values = np.clip(np.round(4 + effect + rng.normal(0, 0.5, per_cadre)), 1, 5)
            rows += [(f"单位{u}", f"{u}-{c}", v) for v in values]
    return pd.DataFrame(rows, columns=["unit", "cadre", "score"])


def test_compare_clusters_is_kruskal_on_cadre_means_cross_checked_with_pingouin():
    df = _clustered(3)
    result = stats.compare_clusters(df, "unit", "cadre", "score")
    means = df.groupby(["unit", "cadre"])["score"].mean().reset_index()
    kw = pg.kruskal(data=means, dv="score", between="unit")
    assert result["H"] == pytest.approx(kw["H"].iloc[0])
    assert result["p"] == pytest.approx(kw["p_unc"].iloc[0])
    assert result["n_clusters"] == 18 and "cadre means" in result["method"]
    ref = pg.pairwise_tests(
        data=means, dv="score", between="unit", parametric=False, padjust="holm"
    )
    ref_map = {frozenset((r.A, r.B)): r.p_corr for r in ref.itertuples()}
    for row in result["pairs"].to_dict("records"):
        assert row["p_holm"] == pytest.approx(ref_map[frozenset((row["a"], row["b"]))])


def test_units_that_do_not_differ_are_not_found_to_differ():
    """Issue 12 §7: with ICC ≈ 0.2 and no unit effect, Kruskal–Wallis on individual responses
    rejected at 5 % far more often than 5 % (p = 3e-6 in the demo); on cadre means — what
    compare_clusters computes, cross-checked above — it keeps its level. 300 simulated
    datasets, fixed seeds, scipy's kruskal on pandas' means."""
    on_responses = on_means = 0
    for seed in range(300):
        df = _clustered(seed)
        means = df.groupby(["unit", "cadre"])["score"].mean().reset_index()
        by_unit = [g.to_numpy() for _, g in df.groupby("unit")["score"]]
        on_responses += sps.kruskal(*by_unit).pvalue < 0.05
        on_means += (
            sps.kruskal(*[g.to_numpy() for _, g in means.groupby("unit")["score"]]).pvalue < 0.05
        )
    assert on_responses / 300 > 0.3
    assert on_means / 300 <= 0.08


# --- monthly trend --------------------------------------------------------------------------


def _monthly_frame(values, start="2024-01", repeat=3):
    months = pd.period_range(start, periods=len(values), freq="M")
    return pd.DataFrame(
        {"month": np.repeat(months, repeat), "value": np.repeat(np.asarray(values, float), repeat)}
    )


@pytest.mark.parametrize("seed", range(4))
def test_monthly_trend_matches_kendalltau_and_ols(seed):
    rng = np.random.default_rng(seed)
    y = np.round(4.0 + 0.02 * np.arange(24) + rng.normal(0, 0.15, 24), 1)  # rounding → ties
    result = stats.monthly_trend(_monthly_frame(y))
    x = np.arange(24)
    kt = sps.kendalltau(x, y, method="asymptotic")
    assert result["p"] == pytest.approx(kt.pvalue, rel=1e-9)
    assert result["tau"] == pytest.approx(kt.statistic, rel=1e-9)
    ols = sm.OLS(y, sm.add_constant(x.astype(float))).fit()
    assert result["slope"] == pytest.approx(ols.params[1])
    assert result["intercept"] == pytest.approx(ols.params[0])
    assert result["slope_p"] == pytest.approx(ols.pvalues[1], rel=1e-6)
    assert result["n_months"] == 24 and result["note"] == ""


def test_mann_kendall_hand_computed():
    # y = 1, 2, 3: S = 3, Var(S) = 3·2·11/18 = 11/3, z = 3/√(11/3), two-sided normal p.
    result = stats.mann_kendall([1, 2, 3])
    assert result["S"] == 3 and result["var_S"] == pytest.approx(11 / 3)
    assert result["z"] == pytest.approx(1.5667, abs=1e-4)
    assert result["p"] == pytest.approx(0.1172, abs=1e-4)
    assert result["tau"] == pytest.approx(1.0)


def test_monthly_trend_dates_gaps_and_averaging():
    df = pd.DataFrame(
        {
            "month": pd.to_datetime(["2024-01-03", "2024-01-28", "2024-02-10", "2024-05-01"]),
            "value": [3.0, 5.0, 4.5, 5.0],
        }
    )
    result = stats.monthly_trend(df)
    assert result["monthly"].tolist() == [4.0, 4.5, 5.0]
    ols = sm.OLS([4.0, 4.5, 5.0], sm.add_constant([0.0, 1.0, 4.0])).fit()
    assert result["slope"] == pytest.approx(ols.params[1])
    dates = df.assign(month=df["month"].dt.date.astype(str))
    assert stats.monthly_trend(dates)["slope"] == pytest.approx(ols.params[1])


def test_monthly_trend_edges():
    short = stats.monthly_trend(_monthly_frame([4.0, 4.5]))
    assert short["note"] == "样本不足" and math.isnan(short["p"]) and math.isnan(short["slope"])
    empty = stats.monthly_trend(pd.DataFrame({"month": [], "value": []}))
    assert empty["note"] == "样本不足" and empty["n_months"] == 0
    flat = stats.monthly_trend(_monthly_frame([4.2] * 6))
    assert flat["p"] == 1.0 and flat["z"] == 0.0 and math.isnan(flat["tau"])
    assert flat["slope"] == 0.0 and flat["slope_p"] == 1.0


# --- 满意率 and the 0–100 score -------------------------------------------------------------


def test_satisfaction_rate_hand_computed():
    assert stats.satisfaction_rate([6, 2, 2]) == pytest.approx(0.8)
    assert math.isnan(stats.satisfaction_rate([0, 0, 0]))
    rates = stats.satisfaction_rate([[1, 0, 3], [0, 0, 0], [10, 5, 0]])
    np.testing.assert_allclose(rates, [0.25, np.nan, 1.0])


def test_score_0_100():
    assert [stats.score_0_100(m) for m in (1, 3, 5, 4.2)] == pytest.approx([0, 50, 100, 80])
    np.testing.assert_allclose(stats.score_0_100(np.array([2.0, 4.0])), [25, 75])


@pytest.mark.parametrize("seed", range(40))
def test_mann_whitney_equals_scipy(seed):
    """The direct Mann–Whitney U (issue 16: ~5,000 pairs of counties a page) is scipy's."""
    rng = np.random.default_rng(seed)
    n1, n2 = rng.integers(1, 30, size=2)
    x = rng.integers(1, 6, size=n1) / rng.choice([1, 3])  # ties; some cluster means
    y = rng.normal(3, 1, size=n2) if seed % 3 == 0 else rng.integers(1, 6, size=n2) / 1.0
    if seed % 5 == 0:
        x, y = rng.normal(3, 1, size=n1), rng.normal(3.5, 1, size=n2)  # no ties: exact
    u, p = stats.mann_whitney(x, y)
    expected = sps.mannwhitneyu(x, y, alternative="two-sided")
    assert u == pytest.approx(expected.statistic, abs=1e-9)
    assert p == pytest.approx(expected.pvalue, abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 8),
    st.integers(1, 40),
    st.integers(0, 2**32 - 1),
    st.floats(-1.5, 1.5),
)
def test_the_exact_mann_whitney_equals_scipys(small, other, seed, shift):
    """Without ties and a sample of 8 or fewer, scipy uses the exact distribution of U; ours
    counts it from the Gaussian binomial (no scipy.stats import in the reports)."""
    rng = np.random.default_rng(seed)
    x, y = rng.normal(0, 1, size=small), rng.normal(shift, 1, size=other)
    if seed % 2:
        x, y = y, x
    u, p = stats.mann_whitney(x, y)
    expected = sps.mannwhitneyu(x, y, alternative="two-sided", method="exact")
    assert u == expected.statistic
    assert p == pytest.approx(expected.pvalue, rel=1e-9, abs=1e-15)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(1, 5) | st.floats(1, 5, allow_nan=False), min_size=1, max_size=25),
        min_size=2,
        max_size=6,
    )
)
def test_kruskal_equals_scipys(samples):
    values = [v for s in samples for v in s]
    if len(set(values)) < 2:
        return  # all equal: compare_groups answers H = 0, p = 1 before any test
    h, p = stats.kruskal(*samples)
    expected = sps.kruskal(*samples)
    assert h == pytest.approx(expected.statistic, rel=1e-9, abs=1e-12)
    assert p == pytest.approx(expected.pvalue, rel=1e-9, abs=1e-15)


@settings(max_examples=150, deadline=None)
@given(
    # Monthly means of 0–100 scores to two decimals (no denormal floats, where scipy's own
    # variance underflows to nan).
    st.lists(st.integers(0, 10_000).map(lambda v: v / 100), min_size=3, max_size=30),
    st.booleans(),
)
def test_linregress_equals_scipys(y, gaps):
    x = np.cumsum(np.where(np.arange(len(y)) % 3 == 2, 2, 1)) if gaps else np.arange(len(y))
    if np.ptp(y) == 0:
        return  # constant: the trend reports a flat line before any fit
    slope, intercept, p = stats.linregress(x, y)
    fit = sps.linregress(x, y)
    assert slope == pytest.approx(fit.slope, rel=1e-9, abs=1e-9)
    assert intercept == pytest.approx(fit.intercept, rel=1e-9, abs=1e-7)
    assert p == pytest.approx(fit.pvalue, rel=1e-7, abs=1e-12)
