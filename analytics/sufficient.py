"""Sufficient statistics of the ratings, counted by the database (issue 16 §1).

Ratings are small integers, so every published figure follows from a few integer sums per
cell (cadre × month × visit kind): counts, sums and sums of squares per dimension; over the
responses that answered all three, the sums and cross-products (the covariance matrix); the
composite's sums by how many dimensions were answered; the 总体评价 counts. One query returns
a few hundred rows instead of streaming every response (analytics/frames.py, which stays as
the row-level reference the tests compare with).

Every division happens here on exact integer numerators, so a mean of 4.0 is 4.0: the results
equal the row-level ones to 1e-9 (tests/analytics/test_sufficient.py).
"""

from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connections
from django.db.models import F, FilteredRelation, Q
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

from analytics import stats
from analytics.frames import CHANNELS, DIMENSIONS, SATISFIED_VALUES, scoped_responses
from analytics.satisfaction import add_intervals, add_scores
from surveys.models import Question

PAIRS = (("attitude", "style"), ("attitude", "results"), ("style", "results"))
# 6 = lcm(1, 2, 3): six times a composite of k answered dimensions is an integer.
SIX = 6


def _cell_sql(alias: str) -> list[str]:
    a, s, r = (f'"{alias}"."{d}"' for d in DIMENSIONS)
    complete = f"{a} IS NOT NULL AND {s} IS NOT NULL AND {r} IS NOT NULL"
    answered = " + ".join(f"(CASE WHEN {x} IS NULL THEN 0 ELSE 1 END)" for x in (a, s, r))
    total = " + ".join(f"COALESCE({x}, 0)" for x in (a, s, r))
    cols = ["COUNT(*)"]
    x = dict(zip(DIMENSIONS, (a, s, r), strict=True))
    for d in DIMENSIONS:
        cols += [f"COUNT({x[d]})", f"SUM({x[d]})", f"SUM({x[d]} * {x[d]})"]
        cols += [f"SUM(CASE WHEN {complete} THEN {x[d]} ELSE 0 END)"]
    cols += [f"SUM(CASE WHEN {complete} THEN 1 ELSE 0 END)"]
    for d in DIMENSIONS:
        cols += [f"SUM(CASE WHEN {complete} THEN {x[d]} * {x[d]} ELSE 0 END)"]
    for d, e in PAIRS:
        cols += [f"SUM(CASE WHEN {complete} THEN {x[d]} * {x[e]} ELSE 0 END)"]
    for k in (1, 2, 3):
        # Six times the composite (total / k) and its square, summed: integers.
        six = f"(CASE WHEN ({answered}) = {k} THEN ({total}) * {SIX // k} ELSE 0 END)"
        cols += [f"SUM({six})", f"SUM({six} * {six})"]
    cols += [f"SUM(CASE WHEN ({answered}) > 0 THEN 1 ELSE 0 END)"]
    cols += [f'SUM(CASE WHEN "{alias}"."overall" IS NULL THEN 0 ELSE 1 END)']
    good = ", ".join(f"'{v}'" for v in SATISFIED_VALUES)
    cols += [f'SUM(CASE WHEN "{alias}"."overall" IN ({good}) THEN 1 ELSE 0 END)']
    # How many came by each channel (issue 19 §5): counted, not grouped, so a county that
    # prints sheets does not double its cells (and the reports' memory) for three counts.
    cols += [f'SUM(CASE WHEN "{alias}"."channel" = \'{c}\' THEN 1 ELSE 0 END)' for c in CHANNELS]
    return cols


def _names() -> list[str]:
    names = ["n"]
    for d in DIMENSIONS:
        names += [f"{d}_n", f"{d}_sum", f"{d}_sq", f"{d}_csum"]
    names += ["complete_n", *(f"{d}_csq" for d in DIMENSIONS)]
    names += [f"{d}_{e}_cross" for d, e in PAIRS]
    for k in (1, 2, 3):
        names += [f"six{k}_sum", f"six{k}_sq"]
    return [*names, "composite_n", "overall_n", "satisfied_n", *(f"n_{c}" for c in CHANNELS)]


STAT_COLUMNS = _names()


def _per_response(user, *, year, cadre_ids, channels=None, before=None):
    """The query of analytics/frames.py, one row per response, with the month in SQL."""
    zone = ZoneInfo(settings.TIME_ZONE)
    qs = scoped_responses(user, year=year, channels=channels, before=before)
    if cadre_ids is not None:
        qs = qs.filter(
            Q(link__visit__lead_id__in=cadre_ids) | Q(link__cadre_card__id__in=cadre_ids)
        )
    # One LEFT JOIN per question (at most one answer each: one_answer_per_question), by the
    # questions' ids read first, so no per-rating GROUP BY is needed before the grouping.
    ids = {code: [] for code in (*DIMENSIONS, "overall")}
    for pk, code in Question.objects.filter(code__in=ids).values_list("pk", "code"):
        ids[code].append(pk)
    joins = {
        f"_{code}": FilteredRelation("answers", condition=Q(answers__question_id__in=pks))
        for code, pks in ids.items()
    }
    return (
        qs.annotate(**joins)
        .annotate(
            cadre=Coalesce("link__visit__lead_id", "link__cadre_card__id"),
            visit_kind=Coalesce("link__visit__kind", None),
            y=ExtractYear("submitted_at", tzinfo=zone),
            m=ExtractMonth("submitted_at", tzinfo=zone),
            **{code: F(f"_{code}__score") for code in DIMENSIONS},
            overall=F("_overall__value"),
        )
        .order_by()
        .values_list("cadre", "y", "m", "visit_kind", "channel", *DIMENSIONS, "overall")
    )


FETCH_ROWS = 5000


def cells(
    user, *, year: int | None = None, cadre_ids=None, channels=None, before=None
) -> pd.DataFrame:
    """One row per (cadre_id, month, visit_kind) with the integer sums of STAT_COLUMNS:
    two queries (the questions, then the ratings grouped by the database), scoped like
    analytics.frames.responses_frame; only the responses of `channels`, or stored before
    `before`, if given."""
    if cadre_ids is not None and not len(cadre_ids):
        return _frame([])  # `IN ()` is no SQL: Django refuses to compile it
    qs = _per_response(user, year=year, cadre_ids=cadre_ids, channels=channels, before=before)
    inner, params = qs.query.get_compiler(using=qs.db).as_sql()
    t = "r"
    cols = ", ".join(f'"{t}"."{c}"' for c in ("cadre", "y", "m", "visit_kind"))
    sql = f'SELECT {cols}, {", ".join(_cell_sql(t))} FROM ({inner}) "{t}" GROUP BY {cols}'
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        # In chunks: a province's ~70,000 cells as Python tuples of ints would cost ~120 MB
        # at once; as int64 columns they are ~25 MB (issue 16 §2, peak memory).
        parts = []
        while rows := cursor.fetchmany(FETCH_ROWS):
            parts.append(_frame(rows))
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else (parts or [_frame([])])[0]


def _frame(rows) -> pd.DataFrame:
    raw = pd.DataFrame.from_records(
        rows, columns=["cadre_id", "y", "m", "visit_kind", *STAT_COLUMNS]
    )
    out = raw[STAT_COLUMNS].fillna(0).astype("int64")
    out.insert(0, "cadre_id", raw["cadre_id"].astype("int64"))
    month = [f"{int(y):04d}-{int(m):02d}" for y, m in zip(raw["y"], raw["m"], strict=True)]
    out.insert(1, "month", pd.Series(month, dtype=object, index=raw.index))
    out.insert(2, "visit_kind", raw["visit_kind"].fillna("card"))
    return out


def collapse(data: pd.DataFrame, by) -> pd.DataFrame:
    """The sums of `data` added up per value of `by` (a column name or a Series), sorted."""
    if data.empty:
        return pd.DataFrame(columns=STAT_COLUMNS, dtype="int64")
    return data.groupby(by, sort=True)[STAT_COLUMNS].sum()


def _mean_var(n, s, q, scale=1):
    """Mean and variance (ddof 1) of values x from n, Σ(scale·x), Σ(scale·x)², exactly."""
    n = np.asarray(n, dtype=object)
    s, q = np.asarray(s, dtype=object), np.asarray(q, dtype=object)
    mean = np.array([si / (ni * scale) if ni else np.nan for ni, si in zip(n, s, strict=True)])
    var = np.array(
        [
            (ni * qi - si * si) / (ni * (ni - 1) * scale * scale) if ni > 1 else np.nan
            for ni, si, qi in zip(n, s, q, strict=True)
        ]
    )
    return mean.astype(float), var.astype(float)


def summarise_cells(data: pd.DataFrame, by: str) -> pd.DataFrame:
    """`satisfaction.summarise` of the same responses, from their cells."""
    if data.empty:
        return pd.DataFrame(columns=[by, "n"]).set_index(by)
    sums = collapse(data, by)
    table = pd.DataFrame(index=sums.index)
    for d in DIMENSIONS:
        mean, var = _mean_var(sums[f"{d}_n"], sums[f"{d}_sum"], sums[f"{d}_sq"])
        table[f"{d}_mean"], table[f"{d}_sd"] = mean, np.sqrt(var)
        table[f"{d}_n"] = sums[f"{d}_n"]
    # n_web, n_paper, n_assisted: how each row's ratings came, so a score always says how it
    # was gathered (issue 19 §5).
    for column in ("n", "overall_n", "satisfied_n", *(f"n_{c}" for c in CHANNELS)):
        table[column] = sums[column]
    add_intervals(table)
    add_scores(table, composite_groups(sums))
    return table.sort_values(["enough", "adjusted"], ascending=[False, False])


def composite_groups(sums: pd.DataFrame) -> pd.DataFrame:
    """group, n, mean, var of the composite per row of `sums` (rows without one left out)."""
    six_sum = sum(sums[f"six{k}_sum"].astype(object) for k in (1, 2, 3))
    six_sq = sum(sums[f"six{k}_sq"].astype(object) for k in (1, 2, 3))
    mean, var = _mean_var(sums["composite_n"], six_sum, six_sq, scale=SIX)
    groups = pd.DataFrame(
        {"group": sums.index, "n": sums["composite_n"].to_numpy(), "mean": mean, "var": var}
    )
    return groups[groups["n"] > 0].reset_index(drop=True)


def cronbach_alpha(data: pd.DataFrame) -> float:
    """`stats.cronbach_alpha` from the sums and cross-products of the complete responses."""
    total = data[STAT_COLUMNS].sum() if len(data) else pd.Series(0, index=STAT_COLUMNS)
    n, k = int(total["complete_n"]), len(DIMENSIONS)
    if n < 2:
        return float("nan")
    s = {d: int(total[f"{d}_csum"]) for d in DIMENSIONS}
    q = {d: int(total[f"{d}_csq"]) for d in DIMENSIONS}
    cov = {d: n * q[d] - s[d] * s[d] for d in DIMENSIONS}  # n(n−1)·variance
    cross = {(d, e): n * int(total[f"{d}_{e}_cross"]) - s[d] * s[e] for d, e in PAIRS}
    total_var = sum(cov.values()) + 2 * sum(cross.values())
    if total_var == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - sum(cov.values()) / total_var))


def cadre_means(data: pd.DataFrame) -> pd.Series:
    """The composite mean of each cadre (the cluster means of stats.compare_clusters)."""
    groups = composite_groups(collapse(data, "cadre_id"))
    return pd.Series(groups["mean"].to_numpy(), index=groups["group"].to_numpy())


def compare_clusters(data: pd.DataFrame, units: dict, alpha=stats.DEFAULT_ALPHA) -> dict:
    """`stats.compare_clusters` of the composite by unit, each cadre counted once."""
    means = cadre_means(data).rename("value").rename_axis("cadre_id").reset_index()
    means["unit"] = means["cadre_id"].map(units)
    means = means.dropna(subset=["unit"]).sort_values(["unit", "cadre_id"])
    result = stats.compare_groups(means, "unit", "value", alpha)
    result["method"] = "Kruskal–Wallis on cadre means; pairwise Mann–Whitney U, Holm"
    result["n_clusters"] = len(means)
    return result


def monthly_trend(monthly: pd.DataFrame) -> dict:
    """`stats.monthly_trend` of the monthly scores of a `summarise_cells(..., "month")` table."""
    monthly = monthly.sort_index()
    return stats.monthly_trend(
        pd.DataFrame({"month": monthly.index, "value": monthly["score"].to_numpy(float)})
    )
