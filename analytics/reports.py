"""Assemble the unit dashboard and the cadre report from the sufficient statistics the
database counts (analytics.sufficient): one query for the ratings of a whole scope."""

from dataclasses import dataclass, field

import pandas as pd
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from analytics import stats, sufficient
from analytics.frames import SYSTEM, scoped_responses
from analytics.reference import with_reference
from analytics.satisfaction import private, shown_cells
from analytics.sufficient import cells, summarise_cells
from config.routers import replica_reads
from evaluations.cases.metrics import case_metrics
from evaluations.models import Cadre, Case, OrgUnit, Visit, governing_table
from evaluations.quota import compliance

KIND_LABELS = {**dict(Visit.Kind.choices), "card": gettext_lazy("干部联系卡")}


@dataclass
class Dashboard:
    year: int
    unit: OrgUnit | None
    table: pd.DataFrame
    names: dict
    units: dict
    codes: dict = field(default_factory=dict)
    rows: list = field(default_factory=list)
    charts: dict = field(default_factory=dict)
    alpha: float = float("nan")
    comparison: dict = field(default_factory=dict)
    trend: dict = field(default_factory=dict)
    by_kind: list = field(default_factory=list)
    n_responses: int = 0
    pair_rows: list = field(default_factory=list)
    pair_total: int = 0
    pair_significant: int = 0
    compliance_units: list = field(default_factory=list)
    case_rows: list = field(default_factory=list)
    show: str = "all"
    channels: list | None = None  # the 评价渠道 filter; None: every channel (issue 19 §5)


def cadre_names(user, ids) -> tuple[dict, dict, dict]:
    cadres = (
        Cadre.objects.visible_to(user)
        .filter(pk__in=list(ids))
        .values_list("pk", "code", "name", "unit__name")
    )
    names, units, codes = {}, {}, {}
    for pk, code, name, unit in cadres:
        names[pk], units[pk], codes[pk] = name, unit, code
    return names, units, codes


def _cadres_in(user, unit):
    qs = Cadre.objects.visible_to(user)
    return qs.filter(unit__path__startswith=unit.path) if unit else qs


def compliance_cells(report: compliance.Report) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cadres × rules, twice: the share of each scored requirement done, and its status as
    compliance judged it (NaN where it does not bind). Each rule is put into words once, not
    once per cadre (a province's 2,000 cadres made 4,000 labels: 0.3 s, issue 16 §2)."""
    labels, shares, states = {}, {}, {}
    for result in report.cadres:
        for summary in result.rules:
            rule = summary.rule
            if not (rule.is_scored and summary.judged):
                continue
            if rule.pk not in labels:
                labels[rule.pk] = rule_label(rule)
            name, column = result.cadre.name, labels[rule.pk]
            shares.setdefault(name, {})[column] = summary.percent / 100
            states.setdefault(name, {})[column] = summary.status.value
    return tuple(
        pd.DataFrame.from_dict(cells, orient="index").sort_index(axis=1)
        for cells in (shares, states)
    )


UNIT_OF_MEASURE = {"count": gettext_lazy("次"), "days": gettext_lazy("天")}


def rule_label(rule) -> str:
    """A rule's requirement in a few Chinese words for a chart column: 信访接待 每月≥1次."""
    kinds = gettext("、").join(str(Visit.Kind(k).label) for k in rule.visit_kinds) or rule.code
    unit = UNIT_OF_MEASURE.get(rule.measure, "")
    return f"{kinds} {rule.get_period_display()}≥{rule.minimum:g}{unit}"


def case_rows(user, *, year: int, unit: OrgUnit | None, names: dict) -> list[dict]:
    """受理率, 当场解决率, 按期办结率, 满意率 per cadre the cases were raised with; `names`:
    those already read (the rated cadres'), the others' read here, only if there are any."""
    cases = Case.objects.visible_to(user).filter(raised_on__year=year)
    if unit is not None:
        cases = cases.filter(unit__path__startswith=unit.path)
    metrics = list(case_metrics(cases, by="cadre"))
    missing = {m.key for m in metrics if m.key and m.key not in names}
    if missing:
        visible = Cadre.objects.visible_to(user).filter(pk__in=missing)
        names = {**names, **dict(visible.values_list("pk", "name"))}
    rows = []
    for rates in metrics:
        rows.append(
            {
                "name": names.get(rates.key, "—") if rates.key else gettext("（未指定）"),
                "received": rates.received,
                "acceptance": rates.acceptance_rate,
                "on_spot": rates.on_spot_rate,
                "on_time": rates.on_time_rate,
                "satisfaction": rates.satisfaction_rate,
            }
        )
    return sorted(rows, key=lambda r: -r["received"])


# A province's 100 counties make 4,950 pairs: the page lists the most different ones and
# counts the rest (a list of thousands of rows is read by nobody and costs seconds to render).
PAIR_ROWS = 30


def _pairs_shown(pairs: pd.DataFrame) -> list[dict]:
    """Every pair up to PAIR_ROWS; beyond, the PAIR_ROWS with the smallest Holm-adjusted p."""
    if len(pairs) > PAIR_ROWS:
        pairs = pairs.sort_values(["p_holm", "p_raw"], kind="stable").head(PAIR_ROWS)
    return pairs.to_dict("records")


def _charts():
    """matplotlib loads only where a chart is drawn: `export_scores` and the Excel exports
    share these reports and never draw (issue 16 §2: ~60 MB and half a second a process)."""
    from analytics import charts

    return charts


def compliance_result(user, *, year: int, unit=None, rulesets=None) -> compliance.Report:
    """The quota compliance the dashboard shows, judged as of today: a period not over yet is
    进行中 (open), never failed (the same judgement as the quota page's)."""
    return compliance.scope_report(
        cadres=Cadre.objects.visible_to(user),
        units=OrgUnit.objects.visible_to(user),
        year=year,
        unit=unit,
        as_of=timezone.localdate(),
        table=rulesets,  # the year's rule-set assignments, if already read
    )


def _compliance_part(user, report: Dashboard, unit, year, with_charts, rulesets=None) -> None:
    result = compliance_result(user, year=year, unit=unit, rulesets=rulesets)
    report.compliance_units = [u for u in result.units if u.bound]
    if not with_charts:
        return
    matrix, states = compliance_cells(result)
    if not matrix.empty:
        charts = _charts()
        report.charts["compliance"] = charts.data_uri(charts.compliance_heatmap(matrix, states))


@replica_reads()
def dashboard(
    user,
    *,
    year: int,
    unit: OrgUnit | None = None,
    with_charts=True,
    show="all",
    channels=None,
) -> Dashboard:
    """`channels`: only the responses of these channels (web, paper, assisted); all if None."""
    # The year's rule-set assignments, read once for the reference groups and the quotas.
    rulesets = governing_table(year)
    report = _satisfaction_part(
        user,
        year=year,
        unit=unit,
        with_charts=with_charts,
        show=show,
        channels=channels,
        rulesets=rulesets,
    )
    _compliance_part(user, report, unit, year, with_charts, rulesets=rulesets)
    report.case_rows = case_rows(user, year=year, unit=unit, names=report.names)
    return report


@replica_reads()
def scores(user, *, year: int, unit: OrgUnit | None = None, channels=None) -> Dashboard:
    """The dashboard's table of scores alone (its `rows`), as the CSV and Excel exports and
    `export_scores` write it: the same figures, without the months, charts, tests, quota
    compliance and cases they never show (issue 16 §2)."""
    return _scores_part(user, year=year, unit=unit, channels=channels, months=False)[0]


def _scores_part(user, *, year: int, unit, channels, months: bool = True, rulesets=None):
    """(report with its table and rows, the cells they came from)."""
    cadre_ids = _cadres_in(user, unit).values_list("pk", flat=True)
    data = cells(user, year=year, cadre_ids=cadre_ids, channels=channels, months=months)
    table = summarise_cells(data, "cadre_id")
    table = with_reference(table, year=year, known=data, channels=channels, rulesets=rulesets)
    names, units, codes = cadre_names(user, table.index)
    report = Dashboard(
        year=year,
        unit=unit,
        table=table,
        names=names,
        units=units,
        codes=codes,
        n_responses=int(data["n"].sum()) if len(data) else 0,
    )
    # The page withholds what its exports withhold (the smallest cell): one figure, one rule.
    report.rows = [private(r) for r in rows_of(table, names, units, codes)]
    report.channels = channels
    return report, data


def _satisfaction_part(
    user,
    *,
    year: int,
    unit: OrgUnit | None,
    with_charts: bool,
    show: str = "all",
    channels=None,
    rulesets=None,
) -> Dashboard:
    report, data = _scores_part(user, year=year, unit=unit, channels=channels, rulesets=rulesets)
    report.show = show
    table, names, units = report.table, report.names, report.units
    if data.empty:
        return report
    report.alpha = sufficient.cronbach_alpha(data)
    report.comparison = sufficient.compare_clusters(data, units)
    pairs = report.comparison["pairs"]
    report.pair_total, report.pair_significant = len(pairs), int(pairs["reject"].sum())
    report.pair_rows = _pairs_shown(pairs)
    monthly = summarise_cells(data, "month").sort_index()
    report.trend = sufficient.monthly_trend(monthly)
    by_kind = rows_of(summarise_cells(data, "visit_kind"), KIND_LABELS, {}, {})
    report.by_kind = [private(r) for r in by_kind]
    if with_charts:
        charts = _charts()
        report.charts = {
            "distribution": charts.data_uri(charts.score_distribution(table)),
            "dimensions": charts.data_uri(charts.dimensions(table, names, show)),
            "trend": charts.data_uri(charts.monthly_trend(monthly)),
        }
    return report


def rows_of(table: pd.DataFrame, names: dict, units: dict, codes: dict) -> list[dict]:
    """Plain dicts for templates and exports, ranked by the adjusted score (one per cadre)."""
    rows = []
    for rank, (key, r) in enumerate(table.iterrows(), start=1):
        rows.append(
            {
                "rank": rank,
                "key": key,
                "code": codes.get(key, ""),
                "name": names.get(key, key),
                "unit": units.get(key, ""),
                **{k: (None if pd.isna(v) else v) for k, v in r.items()},
            }
        )
    return rows


@dataclass
class CadreReport:
    year: int
    overall: dict | None
    monthly: list
    by_kind: list
    comments: list
    trend: dict
    chart: str = ""


def _comments(
    user, *, cadre: Cadre, year: int, channels=None, before=None
) -> list[tuple[str, str]]:
    """(text, channel label) of the newest 50 written comments, of `channels` only if given: a
    comment typed in from a paper sheet or written down by a helper says so (issue 19 §5). The
    rated cadre reads no channel: "协助填写" under a sharp comment would tell him which grid
    worker to press for the resident's name; and his comments come in the order of their
    words, so the newest is not the one typed after the visit he remembers."""
    from surveys.models import Answer, Response

    official = scoped_responses(user, year=year, channels=channels, before=before).filter(
        Q(link__visit__lead_id=cadre.pk) | Q(link__cadre_card__id=cadre.pk)
    )
    rated = getattr(getattr(user, "cadre", None), "pk", None) == cadre.pk
    labels = {} if rated else dict(Response.Channel.choices)
    rows = (
        Answer.objects.filter(response__in=official, question__code="comment")
        .exclude(text="")
        .order_by("-response__submitted_at")
        .values_list("text", "response__channel")[:50]
    )
    shown = [(text, str(labels.get(channel, ""))) for text, channel in rows]
    return sorted(shown) if rated else shown


@replica_reads()
def cadre_report(user, *, cadre: Cadre, year: int, channels=None, before=None) -> CadreReport:
    """What a cadre (or staff) reads about one cadre; every figure over fewer than MIN_CELL
    responses is withheld (satisfaction.private), in the tables and in the chart. `channels`:
    only the responses of these channels (web, paper, assisted); all if None. `before`: only
    the ratings stored before then (the rated cadre's own page reads them as of the day's
    start, so that reloading it after one sheet is typed in does not give that sheet's
    answers)."""
    picked = {"year": year, "cadre_ids": [cadre.pk], "channels": channels, "before": before}
    mine = cells(SYSTEM, **picked)
    own = summarise_cells(mine, "cadre_id")
    own = with_reference(own, year=year, known=mine, channels=channels)
    data = cells(user, **picked)
    overall = rows_of(own.loc[[cadre.pk]], {}, {}, {})[0] if cadre.pk in own.index else None
    monthly = summarise_cells(data, "month").sort_index()
    shown = monthly[shown_cells(monthly)] if len(monthly) else monthly
    trend = stats.monthly_trend(
        pd.DataFrame(
            {"month": shown.index, "value": shown.get("score", pd.Series()).to_numpy(float)}
        )
    )
    by_kind = rows_of(summarise_cells(data, "visit_kind"), KIND_LABELS, {}, {})
    report = CadreReport(
        year=year,
        overall=private(overall) if overall else None,
        monthly=[private(r) for r in rows_of(monthly, {}, {}, {})],
        by_kind=[private(r) for r in by_kind],
        comments=_comments(user, cadre=cadre, year=year, channels=channels, before=before),
        trend=trend,
    )
    if len(shown):
        charts = _charts()
        report.chart = charts.data_uri(charts.monthly_trend(shown))
    return report
