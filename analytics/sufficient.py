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

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connections
from django.db.models import Case, F, FilteredRelation, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

from analytics import stats
from analytics.frames import (
    CHANNELS,
    DIMENSIONS,
    SATISFIED_VALUES,
    rated_links,
    scoped_responses,
)
from analytics.satisfaction import add_intervals, add_scores
from surveys.models import Question, RatingLink

PAIRS = (("attitude", "style"), ("attitude", "results"), ("style", "results"))
# 6 = lcm(1, 2, 3): six times a composite of k answered dimensions is an integer.
SIX = 6


def _cell_sql(alias: str) -> tuple[str, list[str]]:
    """(pattern, sums): which dimensions a rating answered (bit 1, 2, 4), and the plain sums
    the cells are made of per pattern. Within a pattern every answered dimension is present
    in every rating, so counts, the complete ratings' sums and the composite's follow from
    these in `_expand` without a CASE per rating and sum."""
    x = {d: f'"{alias}"."{d}"' for d in DIMENSIONS}
    bits = [f"(CASE WHEN {x[d]} IS NULL THEN 0 ELSE {1 << i} END)" for i, d in enumerate(x)]
    sums = ["COUNT(*)"]
    for d in DIMENSIONS:
        sums += [f"SUM({x[d]})", f"SUM({x[d]} * {x[d]})"]
    sums += [f"SUM({x[d]} * {x[e]})" for d, e in PAIRS]
    overall = f'"{alias}"."overall"'
    good = ", ".join(f"'{v}'" for v in SATISFIED_VALUES)
    sums += [f"COUNT({overall})", f"SUM(CASE WHEN {overall} IN ({good}) THEN 1 ELSE 0 END)"]
    # How many came by each channel (issue 19 §5): counted, not grouped, so a county that
    # prints sheets does not double its cells (and the reports' memory) for three counts.
    sums += [f'SUM(CASE WHEN "{alias}"."channel" = \'{c}\' THEN 1 ELSE 0 END)' for c in CHANNELS]
    return "(" + " + ".join(bits) + ")", sums


RAW_COLUMNS = [
    "n",
    *(f"{d}_{s}" for d in DIMENSIONS for s in ("sum", "sq")),
    *(f"{d}_{e}_cross" for d, e in PAIRS),
    "overall_n",
    "satisfied_n",
    *(f"n_{c}" for c in CHANNELS),
]


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


def month_key(year: int | None):
    """Each rating's month in local time as yyyymm: for a given year, by comparing the moment
    with the year's eleven month starts (exact in any time zone, DST included); without a
    year, by extracting it. The comparisons cost the database a fraction of converting every
    moment to local time (0.5 s of 3.3 s at 1M ratings on PostgreSQL), and SQLite would call
    a Python function per rating to do it."""
    zone = ZoneInfo(settings.TIME_ZONE)
    if year is None:
        extract_year = ExtractYear("submitted_at", tzinfo=zone)
        return extract_year * 100 + ExtractMonth("submitted_at", tzinfo=zone)
    starts = {m: dt.datetime(year, m, 1, tzinfo=zone) for m in range(2, 13)}
    return Case(
        *(When(submitted_at__lt=at, then=Value(year * 100 + m - 1)) for m, at in starts.items()),
        default=Value(year * 100 + 12),
        output_field=IntegerField(),
    )


def _per_response(user, *, year, cadre_ids, channels=None, before=None):
    """One row per response in scope (analytics.frames.scoped_responses): its link, its month
    (yyyymm), the channel and the answers; nothing joined but the answers."""
    qs = scoped_responses(user, year=year, channels=channels, before=before, cadre_ids=cadre_ids)
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
            ym=month_key(year),
            **{code: F(f"_{code}__score") for code in DIMENSIONS},
            overall=F("_overall__value"),
        )
        .order_by()
        .values_list("link_id", "ym", "channel", *DIMENSIONS, "overall")
    )


FETCH_ROWS = 5000


def cells(
    user,
    *,
    year: int | None = None,
    cadre_ids=None,
    channels=None,
    before=None,
    months: bool = True,
) -> pd.DataFrame:
    """One row per (cadre_id, month, visit_kind) with the integer sums of STAT_COLUMNS:
    three queries (the questions, whose rating link is whose, then the ratings grouped by the
    database per link, month and answered dimensions), scoped like
    analytics.frames.responses_frame; only the responses of `channels`, or stored before
    `before`, if given. `months=False`: not split by month (the month column is empty), for
    the per-cadre tables of the exports and the assessment, which never read months.

    Grouped by link rather than by cadre and visit kind: a link belongs to one visit or one
    contact card, so the database groups the ratings alone and the links are put to their
    cadres afterwards, on a few thousand rows (issue 16 §2: at 1M ratings the query went from
    4.8 s to 3.0-3.4 s on the bench's machine, the bare GROUP BY taking 2.0-2.5 s)."""
    if isinstance(cadre_ids, list | tuple | set) and not cadre_ids:
        return _empty()  # `IN ()` is no SQL: Django refuses to compile it
    # (A queryset of ids stays a subquery: asking its length would be a query of its own.)
    qs = _per_response(user, year=year, cadre_ids=cadre_ids, channels=channels, before=before)
    inner, params = qs.query.get_compiler(using=qs.db).as_sql()
    owners = _owners(user, cadre_ids)
    t = "r"
    pattern, sql_sums = _cell_sql(t)
    names = ["link_id", "ym"] if months else ["link_id"]
    cols = ", ".join(f'"{t}"."{c}"' for c in names)
    # PostgreSQL's EXTRACT (without a year) gives numerics, which would reach Python as Decimals.
    selected = ", ".join(
        f'CAST("{t}"."{c}" AS integer)' if c == "ym" else f'"{t}"."{c}"' for c in names
    )
    sql = (
        f'SELECT {selected}, {pattern}, {", ".join(sql_sums)} FROM ({inner}) "{t}" '
        f"GROUP BY {cols}, {pattern}"
    )
    columns = [*names, "pattern", *RAW_COLUMNS]
    kinds = sorted(owners["visit_kind"].unique())
    cadre_of = owners["cadre_id"].to_numpy("int64")
    kind_of = owners["visit_kind"].map({k: i for i, k in enumerate(kinds)}).to_numpy("int64")
    keys, sums = [], []
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        # A chunk at a time, each put to its cells at once and added up with numpy: a
        # province's ratings make ~150,000 rows of (link, month, pattern), which as Python
        # tuples, or added up by a pandas groupby over object keys, cost over 100 MB more
        # (issue 16 §2, peak memory); numpy rather than pandas on each chunk, whose per-call
        # overhead came to half a second a province.
        while rows := cursor.fetchmany(FETCH_ROWS):
            # Through float64 (a NULL sum becomes NaN, then 0): exact for integers below 2⁵³.
            block = np.nan_to_num(np.array(rows, dtype=np.float64)).astype(np.int64)
            at = owners.index.get_indexer(block[:, 0])  # -1: a link no longer in scope
            block, at = block[at >= 0], at[at >= 0]
            if len(block):
                raw = dict(zip(columns, block.T, strict=True))
                ym = raw["ym"] if months else 0
                key = (cadre_of[at] * YM + ym) * len(kinds) + kind_of[at]
                key, total = _sum_by(key, _expand(raw))
                keys.append(key)
                sums.append(total)
    if not keys:
        return _empty()
    key, total = _sum_by(np.concatenate(keys), np.concatenate(sums))
    return _cell_frame(key, total, kinds)


# A cell's key as one integer: (cadre id × 10⁶ + yyyymm) × kinds + the visit kind's index.
YM = 10**6


def _sum_by(key: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys, sorted, and the sums of the rows of `values` per key: exact
    integers, and no more memory than a sorted copy of `values`."""
    order = np.argsort(key, kind="stable")
    key, values = key[order], values[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    return key[starts], np.add.reduceat(values, starts, axis=0)


def _cell_frame(key: np.ndarray, total: np.ndarray, kinds: list) -> pd.DataFrame:
    kind, rest = key % len(kinds), key // len(kinds)
    ym = rest % YM
    months = {v: (f"{v // 100:04d}-{v % 100:02d}" if v else "") for v in np.unique(ym)}
    out = pd.DataFrame(total, columns=STAT_COLUMNS)
    out.insert(0, "cadre_id", rest // YM)
    out.insert(1, "month", pd.Series([months[v] for v in ym], dtype=object))
    out.insert(2, "visit_kind", pd.Series(np.asarray(kinds, dtype=object)[kind], dtype=object))
    return out


def _owners(user, cadre_ids) -> pd.DataFrame:
    """cadre_id and visit_kind per rating link in scope ("card" for a contact card), in one
    query: a link is either one visit's or one cadre's card (the visit first, as the
    row-level frame's COALESCE does)."""
    visits, cards = rated_links(user, cadre_ids=cadre_ids)
    rows = (
        RatingLink.objects.filter(
            Q(pk__in=visits.values("rating_link_id")) | Q(pk__in=cards.values("contact_link_id"))
        )
        .annotate(
            cadre=Coalesce("visit__lead_id", "cadre_card__id"),
            kind=Coalesce("visit__kind", Value("card")),
        )
        .values_list("pk", "cadre", "kind")
    )
    frame = pd.DataFrame.from_records(list(rows), columns=["link_id", "cadre_id", "visit_kind"])
    return frame.dropna(subset=["cadre_id"]).set_index("link_id")


def _expand(raw: dict) -> np.ndarray:
    """The STAT_COLUMNS (in order) of rows of plain sums per (link, month, pattern), from
    their columns (`raw`: name → int64 array): exact integers."""
    pattern, n = raw["pattern"], raw["n"]
    answered = {d: (pattern & (1 << i)) > 0 for i, d in enumerate(DIMENSIONS)}
    k = sum(a.astype(np.int64) for a in answered.values())
    complete = k == len(DIMENSIONS)
    none = np.zeros_like(n)
    out = {"n": n}
    for d in DIMENSIONS:
        out[f"{d}_n"] = np.where(answered[d], n, none)
        out[f"{d}_sum"], out[f"{d}_sq"] = raw[f"{d}_sum"], raw[f"{d}_sq"]
        out[f"{d}_csum"] = np.where(complete, raw[f"{d}_sum"], none)
        out[f"{d}_csq"] = np.where(complete, raw[f"{d}_sq"], none)
    out["complete_n"] = np.where(complete, n, none)
    for d, e in PAIRS:
        out[f"{d}_{e}_cross"] = np.where(complete, raw[f"{d}_{e}_cross"], none)
    # Six times the composite (total / k) of each rating, and its square, summed per k:
    # Σ(6/k·Σx)² = (6/k)²·(Σ squares + 2·Σ cross-products of the answered dimensions).
    total = sum(raw[f"{d}_sum"] for d in DIMENSIONS)
    square = sum(raw[f"{d}_sq"] for d in DIMENSIONS)
    square = square + 2 * sum(raw[f"{d}_{e}_cross"] for d, e in PAIRS)
    for j in (1, 2, 3):
        factor = SIX // j
        out[f"six{j}_sum"] = np.where(k == j, total * factor, none)
        out[f"six{j}_sq"] = np.where(k == j, square * factor * factor, none)
    out["composite_n"] = np.where(k > 0, n, none)
    for column in ("overall_n", "satisfied_n", *(f"n_{c}" for c in CHANNELS)):
        out[column] = raw[column]
    return np.column_stack([out[column] for column in STAT_COLUMNS])


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({column: pd.Series(dtype="int64") for column in STAT_COLUMNS})
    frame.insert(0, "cadre_id", pd.Series(dtype="int64"))
    frame.insert(1, "month", pd.Series(dtype=object))
    frame.insert(2, "visit_kind", pd.Series(dtype=object))
    return frame


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
