"""Statistics for satisfaction reports (SPEC §6): pure, vectorised functions, no Django.

Every function is cross-checked in tests/analytics/test_stats.py against an independent
implementation (statsmodels, pingouin, scipy) or a published worked example.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import special

# SPEC §6 "95% intervals"; the conventional level of Wilson (1927) and Newcombe (1998).
DEFAULT_CONFIDENCE = 0.95
# SPEC §6: resident ratings are on a 1–5 scale.
SCALE_LOW, SCALE_HIGH = 1, 5
# Conventional 5% familywise level (Holm 1979 states the procedure for any alpha).
DEFAULT_ALPHA = 0.05
# Project brief: with fewer than 3 months a trend is not reported (样本不足).
MIN_TREND_MONTHS = 3
INSUFFICIENT = "样本不足"


def _z(confidence: float) -> float:
    return float(special.ndtri(0.5 + confidence / 2))


def _scalar_or_array(x):
    x = np.asarray(x, dtype=float)
    return float(x) if x.ndim == 0 else x


def _score_interval(p, var, n, z):
    """Wilson's (1927) closed form with the Bernoulli variance p̂(1−p̂) replaced by V.

    centre = (n·p̂ + z²/2)/(n + z²), half = z·√(n·V + z²/4)/(n + z²); n = 0 gives nan.
    """
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = np.where(n > 0, n + z * z, np.nan)
        centre = (n * p + z * z / 2) / denom
        half = z * np.sqrt(n * var + z * z / 4) / denom
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


def wilson_interval_arrays(successes, n, confidence: float = DEFAULT_CONFIDENCE):
    """Wilson score interval for proportions, element-wise; n = 0 gives (nan, nan)."""
    successes = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    if np.any((successes < 0) | (successes > n)):
        raise ValueError("successes must lie in [0, n]")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(n > 0, successes / n, np.nan)
    return _score_interval(p, p * (1 - p), n, _z(confidence))


def wilson_interval(successes, n, confidence: float = DEFAULT_CONFIDENCE) -> tuple[float, float]:
    """Wilson score interval for one proportion; n = 0 gives (nan, nan)."""
    low, high = wilson_interval_arrays(successes, n, confidence)
    return float(low), float(high)


# Issue 12 §8: the mean of integer ratings moves in steps of 1/n on the 1–5 scale, 1/(4n) on
# [0, 1]; the interval's ends are widened by that one step (a continuity correction).
MEAN_STEP = 0.25


def mean_interval_from_stats(
    mean,
    n,
    low: float = SCALE_LOW,
    high: float = SCALE_HIGH,
    confidence: float = DEFAULT_CONFIDENCE,
):
    """Interval for means of ratings on [low, high] from n and the mean alone.

    Method: rescale to [0, 1] (p̂) and take Wilson's score interval with the largest variance
    any data on the scale with that mean can have, p̂(1−p̂) (Bhatia–Davis 2000), its lower end
    computed at p̂ − s and its upper end at p̂ + s, s = MEAN_STEP/n (one step of the mean).
    The observed variance is not used: on skewed data (90 % top answers) it underestimates
    the spread of small samples and the interval then covered 74 % at n = 10 (issue 12 §8);
    this one covers ≥ 93 % from n = 10 to 200 (tests/analytics/test_stats.py simulates it).
    For 0/1 data it is Wilson's interval of the count ∓ MEAN_STEP; always inside [low, high],
    constant data give positive width, n = 0 gives nan.
    """
    n = np.asarray(n, dtype=float)
    span = float(high - low)
    p = np.clip((np.asarray(mean, dtype=float) - low) / span, 0.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        step = MEAN_STEP / n
    z = _z(confidence)
    below = np.clip(p - step, 0.0, 1.0)
    above = np.clip(p + step, 0.0, 1.0)
    lo = _score_interval(below, below * (1 - below), n, z)[0]
    hi = _score_interval(above, above * (1 - above), n, z)[1]
    return _scalar_or_array(low + span * lo), _scalar_or_array(low + span * hi)


def mean_interval(
    values,
    low: float = SCALE_LOW,
    high: float = SCALE_HIGH,
    confidence: float = DEFAULT_CONFIDENCE,
) -> tuple[float, float]:
    """Interval for the mean of ratings on [low, high]; see `mean_interval_from_stats`."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size == 0:
        return float("nan"), float("nan")
    lo, hi = mean_interval_from_stats(x.mean(), x.size, low, high, confidence)
    return float(lo), float(hi)


def reliability(n, icc):
    """Spearman–Brown reliability of a mean of n ratings: n·ICC / (1 + (n−1)·ICC)."""
    n, icc = np.asarray(n, dtype=float), np.asarray(icc, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _scalar_or_array(n * icc / (1 + (n - 1) * icc))


def _variance_components(n, mean, var) -> tuple[float, float]:
    """σ²_within (pooled) and τ²_between (one-way ANOVA moments, truncated at 0; Searle 1992)."""
    df_within = float((n - 1).sum())
    if df_within <= 0:
        return float("nan"), float("nan")
    sigma2 = float(((n - 1) * np.nan_to_num(var)).sum() / df_within)
    k, total = len(n), float(n.sum())
    if k < 2:
        return sigma2, float("nan")
    grand = float((n * mean).sum() / total)
    msb = float((n * (mean - grand) ** 2).sum() / (k - 1))
    n0 = (total - float((n * n).sum()) / total) / (k - 1)
    return sigma2, max((msb - sigma2) / n0, 0.0)


def _prior_strength(sigma2: float, tau2: float) -> float:
    if np.isnan(tau2):
        return float("nan")
    return float("inf") if tau2 == 0 else sigma2 / tau2


def _shrinkage_weight(n: np.ndarray, m: float) -> np.ndarray:
    """n/(n + m): 0 when m = ∞ (τ² = 0), 1 (no shrinkage) when m is undefined."""
    if np.isnan(m):
        return np.ones_like(n)
    return n / (n + m) if np.isfinite(m) else np.zeros_like(n)


def shrinkage(groups: pd.DataFrame) -> pd.DataFrame:
    """Empirical-Bayes posterior means of group means (columns group, n, mean, var).

    adjusted = (n·mean + m·grand)/(n + m), m = σ²/τ², weight = n/(n + m); grand is the
    precision-weighted (GLS) mean Σw·mean/Σw, w = n/(n + m), as in MixedLM; n-weighted when
    τ² = 0 (m = ∞: all shrink to it). One group, or only n = 1 groups: τ² is undefined and
    adjusted = mean (weight 1). attrs: sigma2, tau2, m, icc = τ²/(τ² + σ²), grand_mean.
    """
    n = groups["n"].to_numpy(dtype=float)
    mean = groups["mean"].to_numpy(dtype=float)
    sigma2, tau2 = _variance_components(n, mean, groups["var"].to_numpy(dtype=float))
    m = _prior_strength(sigma2, tau2)
    weight = _shrinkage_weight(n, m)
    w = weight if weight.sum() > 0 else n
    grand = float((w * mean).sum() / w.sum()) if len(n) else float("nan")
    out = pd.DataFrame(
        {
            "group": groups["group"].to_numpy(),
            "n": groups["n"].to_numpy(),
            "mean": mean,
            "adjusted": weight * mean + (1 - weight) * grand,
            "weight": weight,
        }
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        icc = float(np.float64(tau2) / (tau2 + sigma2))
    out.attrs.update(sigma2=sigma2, tau2=tau2, m=m, icc=icc, grand_mean=grand)
    return out


def shrinkage_from_raw(df: pd.DataFrame, group_col: str, value_col: str) -> pd.DataFrame:
    """`shrinkage` on per-group n / mean / var (ddof 1) from raw rows; NaN values dropped."""
    agg = (
        df.dropna(subset=[value_col])
        .groupby(group_col, sort=True)[value_col]
        .agg(n="count", mean="mean", var="var")
        .rename_axis("group")
        .reset_index()
    )
    return shrinkage(agg)


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's (1951) alpha; rows respondents, columns items; rows with NaN dropped.

    nan with fewer than 2 rows or items, or zero variance of the total score.
    """
    data = items.dropna().to_numpy(dtype=float)
    rows, k = data.shape
    if rows < 2 or k < 2:
        return float("nan")
    total_var = data.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - data.var(axis=0, ddof=1).sum() / total_var))


def mann_whitney(x, y) -> tuple[float, float]:
    """scipy's `mannwhitneyu(x, y, alternative="two-sided")`, U of x and p, without its
    per-call overhead (a province has ~5,000 pairs of counties): average ranks, the
    tie-corrected normal approximation with continuity correction; the exact distribution
    where scipy would use it (a sample of 8 or fewer and no ties)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n1, n2 = x.size, y.size
    _, where, t = np.unique(np.concatenate([x, y]), return_inverse=True, return_counts=True)
    ranks = (np.cumsum(t) - (t - 1) / 2)[where]
    u1 = float(ranks[:n1].sum() - n1 * (n1 + 1) / 2)
    if (n1 <= 8 or n2 <= 8) and not (t > 1).any():  # exact: P(U ≥ the larger U), doubled
        upper = int(max(u1, n1 * n2 - u1))
        return u1, min(1.0, 2 * float(_u_distribution(n1, n2)[upper:].sum()))
    n = n1 + n2
    s = np.sqrt(n1 * n2 / 12 * ((n + 1) - float((t**3 - t).sum()) / (n * (n - 1))))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (max(u1, n1 * n2 - u1) - n1 * n2 / 2 - 0.5) / s
    return u1, float(np.clip(2 * special.ndtr(-z), 0.0, 1.0))


@lru_cache(maxsize=256)
def _u_distribution(n1: int, n2: int) -> np.ndarray:
    """P(U = u), u = 0…n1·n2, for two samples without ties: the coefficients of the Gaussian
    binomial [n1+n2 choose n1]_q = Π_{k=1..m} (1 − q^(n+k)) / (1 − q^k), m = min(n1, n2),
    counted exactly in integers (Mann & Whitney 1947), the distribution scipy's exact test uses.
    Each step is a polynomial, so no truncation: m·(n1·n2) additions, m ≤ 8."""
    m, n = sorted((n1, n2))
    size = m * n + 1
    counts = [1] + [0] * (size - 1)
    for k in range(1, m + 1):
        for i in range(size - 1, n + k - 1, -1):  # × (1 − q^(n+k))
            counts[i] -= counts[i - n - k]
        for i in range(k, size):  # ÷ (1 − q^k)
            counts[i] += counts[i - k]
    total = sum(counts)
    return np.array([c / total for c in counts])


def kruskal(*samples) -> tuple[float, float]:
    """Kruskal–Wallis H with the tie correction and its χ² p-value (k − 1 degrees of freedom),
    as scipy.stats.kruskal computes them (tests cross-check), without importing scipy.stats."""
    values = np.concatenate([np.asarray(s, dtype=float) for s in samples])
    total = values.size
    _, where, t = np.unique(values, return_inverse=True, return_counts=True)
    ranks = (np.cumsum(t) - (t - 1) / 2)[where]
    bounds = np.cumsum([0, *(len(s) for s in samples)])
    h = sum(ranks[a:b].sum() ** 2 / (b - a) for a, b in itertools.pairwise(bounds))
    h = 12 / (total * (total + 1)) * h - 3 * (total + 1)
    h /= 1 - float((t**3 - t).sum()) / (total**3 - total)
    return float(h), float(special.chdtrc(len(samples) - 1, h))


def linregress(x, y) -> tuple[float, float, float]:
    """Least-squares slope, intercept and the two-sided p of the slope (t with n − 2 degrees of
    freedom), as scipy.stats.linregress gives them (tests cross-check); n ≥ 3."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    dx, dy = x - x.mean(), y - y.mean()
    sxx, syy, sxy = (dx * dx).mean(), (dy * dy).mean(), (dx * dy).mean()
    slope = sxy / sxx
    r = float(np.clip(sxy / np.sqrt(sxx * syy), -1.0, 1.0)) if syy else 0.0
    df = x.size - 2
    tiny = 1.0e-20  # scipy's guard for r = ±1
    t = r * np.sqrt(df / ((1.0 - r + tiny) * (1.0 + r + tiny)))
    return float(slope), float(y.mean() - slope * x.mean()), float(2 * special.stdtr(df, -abs(t)))


def _pairwise_mwu(samples: dict, alpha: float) -> pd.DataFrame:
    rows = [(a, b, *mann_whitney(samples[a], samples[b])) for a, b in combinations(samples, 2)]
    pairs = pd.DataFrame(rows, columns=["a", "b", "U", "p_raw"])
    if pairs.empty:
        return pairs.assign(p_holm=pd.Series(dtype=float), reject=pd.Series(dtype=bool))
    reject, p_holm = holm(pairs["p_raw"], alpha)
    return pairs.assign(p_holm=p_holm, reject=reject)


def holm(p_values, alpha: float = DEFAULT_ALPHA) -> tuple[np.ndarray, np.ndarray]:
    """Holm's step-down procedure (Holm 1979): (reject, adjusted p) in the input order, as
    statsmodels' `multipletests(method="holm")` gives them (tests cross-check), without
    importing statsmodels into every reporting process. The k-th smallest p is compared with
    alpha / (m − k + 1); the first that fails stops the rejections; adjusted p is the running
    maximum of (m − k + 1)·p, capped at 1."""
    p = np.asarray(p_values, dtype=float)
    m = p.size
    order = np.argsort(p)
    ranked = p[order]
    factors = np.arange(m, 0, -1)
    keep = ranked > alpha / factors
    first = np.flatnonzero(keep)
    if first.size:
        keep[first[0] :] = True
    adjusted = np.minimum(np.maximum.accumulate(ranked * factors), 1.0)
    reject, p_adjusted = np.empty(m, dtype=bool), np.empty(m)
    reject[order], p_adjusted[order] = ~keep, adjusted
    return reject, p_adjusted


def compare_groups(
    df: pd.DataFrame, group_col: str, value_col: str, alpha: float = DEFAULT_ALPHA
) -> dict:
    """Kruskal–Wallis across groups, then pairwise two-sided Mann–Whitney U with Holm.

    Fewer than 2 groups: H = p = nan, no pairs. All values identical: H = 0.0 (all mean
    ranks equal), p = 1.0, instead of scipy's nan.
    """
    data = df[[group_col, value_col]].dropna()
    samples = {g: s.to_numpy(dtype=float) for g, s in data.groupby(group_col)[value_col]}
    h, p = float("nan"), float("nan")
    if len(samples) >= 2 and data[value_col].nunique() == 1:
        h, p = 0.0, 1.0
    elif len(samples) >= 2:
        h, p = kruskal(*samples.values())
    return {
        "method": "Kruskal–Wallis; pairwise Mann–Whitney U, Holm",
        "H": h,
        "p": p,
        "pairs": _pairwise_mwu(samples if len(samples) >= 2 else {}, alpha),
    }


def compare_clusters(
    df: pd.DataFrame, group_col: str, cluster_col: str, value_col: str, alpha=DEFAULT_ALPHA
) -> dict:
    """`compare_groups` on cluster means: each cadre (cluster) counts once, with the mean of its
    responses. Ratings of one cadre are not independent (ICC ≈ 0.2); tested response by
    response, units differing only by chance looked significant (issue 12 §7)."""
    data = df[[group_col, cluster_col, value_col]].dropna()
    means = data.groupby([group_col, cluster_col], observed=True)[value_col].mean().reset_index()
    result = compare_groups(means, group_col, value_col, alpha)
    result["method"] = "Kruskal–Wallis on cadre means; pairwise Mann–Whitney U, Holm"
    result["n_clusters"] = len(means)
    return result


def mann_kendall(y) -> dict:
    """Mann–Kendall S, tie-corrected Var(S) (Kendall 1975), z without continuity correction,
    two-sided p, and Kendall's tau-b. Constant series: z = 0, p = 1.0, tau = nan."""
    y = np.asarray(y, dtype=float)
    n = y.size
    s = float(np.triu(np.sign(y[None, :] - y[:, None]), k=1).sum())
    t = np.unique(y, return_counts=True)[1].astype(float)
    var_s = float((n * (n - 1) * (2 * n + 5) - (t * (t - 1) * (2 * t + 5)).sum()) / 18)
    pairs, tied = n * (n - 1) / 2, float((t * (t - 1) / 2).sum())
    if var_s <= 0:
        return {"S": s, "var_S": var_s, "z": 0.0, "p": 1.0, "tau": float("nan")}
    z = s / np.sqrt(var_s)
    tau = s / np.sqrt(pairs * (pairs - tied))
    return {"S": s, "var_S": var_s, "z": z, "p": float(2 * special.ndtr(-abs(z))), "tau": tau}


def _monthly_means(df: pd.DataFrame) -> pd.Series:
    data = df[["month", "value"]].dropna()
    month = data["month"]
    if not isinstance(month.dtype, pd.PeriodDtype):
        month = pd.to_datetime(month).dt.to_period("M")
    return data["value"].groupby(month).mean().sort_index()


def _slope(x: np.ndarray, y: np.ndarray) -> dict:
    if np.ptp(y) == 0:  # constant: flat line, no evidence of a trend
        return {"slope": 0.0, "intercept": float(y[0]), "slope_p": 1.0}
    slope, intercept, p = linregress(x, y)
    return {"slope": slope, "intercept": intercept, "slope_p": p}


def monthly_trend(df: pd.DataFrame) -> dict:
    """Trend of monthly means (columns month: period or date, value).

    Mann–Kendall (see `mann_kendall`) and an OLS slope per month (x = months since the first,
    gaps kept). Fewer than 3 months: statistics nan and note 样本不足. Constant: p = 1.0.
    """
    monthly = _monthly_means(df)
    index = pd.PeriodIndex(monthly.index, freq="M")
    x = (index.year * 12 + index.month).to_numpy(dtype=float)
    x, y = x - x[:1].sum(), monthly.to_numpy(dtype=float)
    result = {
        "method": "Mann–Kendall (tie-corrected, no continuity correction); OLS slope per month",
        "n_months": int(y.size),
        "monthly": monthly,
        "note": "",
    }
    if y.size < MIN_TREND_MONTHS:
        nan = float("nan")
        keys = ("S", "var_S", "z", "p", "tau", "slope", "intercept", "slope_p")
        return result | dict.fromkeys(keys, nan) | {"note": INSUFFICIENT}
    return result | mann_kendall(y) | _slope(x, y)


def satisfaction_rate(counts):
    """满意率 = (满意 + 基本满意) / valid answers (SPEC §6).

    counts: last axis (satisfied, basic, dissatisfied); nan when there are no valid answers.
    """
    c = np.asarray(counts, dtype=float)
    total = c.sum(axis=-1)
    good = c[..., 0] + c[..., 1]
    rate = np.divide(good, total, out=np.full_like(total, np.nan), where=total > 0)
    return _scalar_or_array(rate)


def score_0_100(mean, low: float = SCALE_LOW, high: float = SCALE_HIGH):
    """0–100 score of a mean on [low, high], linear: 1 → 0, 3 → 50, 5 → 100 (SPEC §6)."""
    return _scalar_or_array((np.asarray(mean, dtype=float) - low) / (high - low) * 100)
