"""Satisfaction per cadre, unit, visit type or month, from a responses frame (SPEC §6).

Definitions, each in one place:
- 满意率 = (满意 + 基本满意) / valid answers to 总体评价, with a 95% Wilson interval.
- Dimension means on the 1–5 scale, with intervals that never leave the scale and cover on
  skewed data (stats.mean_interval_from_stats).
- Score 0–100 = (composite mean − 1) / 4 × 100, composite = mean of the three dimensions.
- Adjusted score: empirical-Bayes posterior mean of the composite, shrunk toward the mean of
  the groups being compared with prior strength m = σ²_within / τ²_between (estimated from the
  data), so that 3 responses never outrank 300.
- Below the minimum sample (settings.MIN_SAMPLE, default 10) a score reads 样本不足, and the
  reliability that n gives, R = n·ICC / (1 + (n−1)·ICC), is shown beside it.
"""

import numpy as np
import pandas as pd
from django.conf import settings

from analytics import stats
from analytics.frames import DIMENSIONS
from analytics.frames import SATISFIED_VALUES as SATISFIED

# Issue 12 §9: no figure over fewer than this many responses is shown to the cadre rated or
# exported at that grain — it would be one or two residents' own answers.
MIN_CELL = 3
# What names a row rather than summarising answers: kept when the figures are withheld. How
# many ratings came by each channel (issue 19 §5) is a count of sheets, like n, not an answer.
ROW_LABELS = (
    "rank",
    "key",
    "code",
    "name",
    "unit",
    "n",
    "n_web",
    "n_paper",
    "n_assisted",
    "enough",
    "cadres",  # a unit's row (定期报送): how many cadres, and how many were rated
    "rated_cadres",
)


# The counts behind a row's figures: n, and how many answered each dimension and 总体评价.
CELL_COUNTS = ("n", "attitude_n", "style_n", "results_n", "overall_n")


def private(row: dict) -> dict:
    """The row with every figure withheld (None) when any of them summarises fewer than
    MIN_CELL answers; the labels, n and the channel counts stay, `small` says why. Any, not n
    alone: a paper sheet may leave a question blank, and three sheets with two answers to
    工作态度 would show those two residents' mean."""
    counts = [row[k] for k in CELL_COUNTS if row.get(k) is not None]
    if min(counts, default=0) >= MIN_CELL:
        return row
    return {k: (v if k in ROW_LABELS else None) for k, v in row.items()} | {"small": True}


def shown_cells(table: pd.DataFrame) -> pd.Series:
    """The rows of a summary table whose figures `private` would show (a chart's points)."""
    present = [k for k in CELL_COUNTS if k in table.columns]
    return (table[present] >= MIN_CELL).all(axis=1)


def min_sample() -> int:
    return getattr(settings, "MIN_SAMPLE", 10)


def _dimension_columns(grouped, frame_cols) -> dict:
    out = {}
    for code in DIMENSIONS:
        out[f"{code}_mean"] = grouped[code].mean()
        out[f"{code}_sd"] = grouped[code].std(ddof=1)
        out[f"{code}_n"] = grouped[code].count()
    return out


def summarise(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """One row per value of `by` with n, means and intervals, 满意率, score and adjusted score."""
    if frame.empty:
        return pd.DataFrame(columns=[by, "n"]).set_index(by)
    grouped = frame.groupby(by, observed=True)
    table = pd.DataFrame(_dimension_columns(grouped, frame.columns))
    table["n"] = grouped["response_id"].count()
    answered = frame["overall"].notna()
    table["overall_n"] = frame[answered].groupby(by)["overall"].count()
    table["satisfied_n"] = frame[frame["overall"].isin(SATISFIED)].groupby(by)["overall"].count()
    table = table.fillna({"overall_n": 0, "satisfied_n": 0})
    add_intervals(table)
    composite = frame.dropna(subset=["composite"])
    groups = composite.groupby(by)["composite"].agg(n="count", mean="mean", var="var")
    add_scores(table, groups.reset_index().rename(columns={by: "group"}))
    # Ranked by the adjusted score; below the minimum sample a score is not ranked at all.
    return table.sort_values(["enough", "adjusted"], ascending=[False, False])


def add_intervals(table: pd.DataFrame) -> None:
    sat, n = table["satisfied_n"].to_numpy(float), table["overall_n"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        table["satisfaction"] = np.where(n > 0, sat / n, np.nan)
    table["sat_low"], table["sat_high"] = stats.wilson_interval_arrays(sat, n)
    for code in DIMENSIONS:
        low, high = stats.mean_interval_from_stats(
            table[f"{code}_mean"].to_numpy(float), table[f"{code}_n"].to_numpy(float)
        )
        table[f"{code}_low"], table[f"{code}_high"] = low, high


def add_scores(table: pd.DataFrame, groups: pd.DataFrame) -> None:
    """Score, adjusted score, reliability and 样本不足 from the composite's per-group n, mean
    and var (columns group, n, mean, var): the prior is estimated over these groups."""
    shrunk = stats.shrinkage(groups)
    shrunk = shrunk.set_index("group")
    table["composite_mean"] = groups.set_index("group")["mean"]
    table["score"] = stats.score_0_100(table["composite_mean"].to_numpy(float))
    table["adjusted"] = stats.score_0_100(shrunk["adjusted"].reindex(table.index).to_numpy(float))
    icc = shrunk.attrs.get("icc", np.nan)
    table["reliability"] = stats.reliability(table["n"].to_numpy(float), icc)
    table["enough"] = table["n"] >= min_sample()
    table.attrs.update(
        {k: shrunk.attrs.get(k) for k in ("sigma2", "tau2", "m", "icc", "grand_mean")}
    )
