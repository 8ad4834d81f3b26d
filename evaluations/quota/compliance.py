"""Quota compliance (SPEC §3): per cadre × rule × period required / done / shortfall / status;
per unit the share of bound cadres compliant, the weekly reception rota and 专题研究 meetings.

`evaluate()` reads in a fixed number of queries (cadres, tenures, rule sets, rules, visits with
`values()`, meetings), then does dict arithmetic per cadre × rule × period. The decisions (only
done visits count, each companion too, days split at period boundaries, periods judged only when
the rule binds throughout, open periods) are listed in docs/quotas.md; a rule binds by level, post
category and flags (QuotaRule.binds), a research-days rule held for part of a year is prorated
(`prorated`), and a record of a month or more counts once reviewed (docs/quotas.md too).
"""

import calendar
import datetime as dt
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, partial

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy

from evaluations.models import (
    Cadre,
    OrgUnit,
    QuotaRule,
    Tenure,
    UnitMeeting,
    Visit,
    ruleset_ids_for,
)
from evaluations.org.models import category_of, seat_levels
from evaluations.visits.models import is_long_run
from surveys.notes import note

# SPEC §7: a "research day" from a visit of under 4 hours a day is suspiciously short.
PAPER_DAY_HOURS = Decimal(4)
# 001 §一: 每周均有一名常委或副市、县(区)长接访群众 — deputy heads are known by their post title.
ROTA_DEPUTY_POST = re.compile(r"副(?:市|县|区|州|旗)长")
# The cadre level that leads a unit of this level (a 县级 cadre for a county, 市级 for a city).
LEADING_LEVEL = {OrgUnit.Level.CITY: Cadre.Level.CITY, OrgUnit.Level.COUNTY: Cadre.Level.COUNTY}
ONE_DAY = dt.timedelta(days=1)
PAPER_FLAG = gettext_lazy(
    "%(rule)s（%(period)s）：计入%(done)s天，其中%(thin)s天所在活动每天不足%(hours)s小时，"
    "扣除后只有%(rest)s天，达不到%(required)s天"
)


class Status(TextChoices):
    MET = "met", gettext_lazy("达标")
    SHORT = "short", gettext_lazy("未达标")
    OPEN = "open", gettext_lazy("进行中")
    NOT_APPLICABLE = "not_applicable", gettext_lazy("不适用")
    SHOWN_ONLY = "shown_only", gettext_lazy("只记录不考核")


JUDGED = {Status.MET, Status.SHORT, Status.OPEN}
CLOSED = {Status.MET, Status.SHORT}  # judged and over


@dataclass(frozen=True)
class Span:
    label: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Row:
    rule: QuotaRule
    period: Span
    required: Decimal | None
    done: int
    status: Status  # its .label is the Chinese word
    thin_days: int = 0  # days counted from visits of under PAPER_DAY_HOURS a day

    @property
    def shortfall(self) -> Decimal | None:
        if self.status not in JUDGED:
            return None
        return max(self.required - self.done, Decimal(0))


@dataclass
class RuleSummary:
    """One rule over the year for one cadre (or unit): its periods and their totals."""

    rule: QuotaRule
    rows: list[Row]

    def __post_init__(self):
        self.judged = [r for r in self.rows if r.status in JUDGED]
        shown = [r for r in self.rows if r.status == Status.SHOWN_ONLY]
        self.required = sum((r.required for r in self.judged), Decimal(0))
        self.done = sum(r.done for r in (self.judged if self.rule.is_scored else shown))
        self.shortfall = sum((r.shortfall for r in self.rows if r.status == Status.SHORT), 0)
        self.remaining = sum((r.shortfall for r in self.rows if r.status == Status.OPEN), 0)
        self.met_periods = sum(r.status == Status.MET for r in self.rows)
        self.short_labels = [r.period.label for r in self.rows if r.status == Status.SHORT]
        statuses = {r.status for r in self.rows}
        order = (Status.SHORT, Status.OPEN, Status.MET, Status.SHOWN_ONLY)
        self.status = next((s for s in order if s in statuses), Status.NOT_APPLICABLE)

    @property
    def percent(self) -> int:
        """Progress: done / required for a one-period rule, else the share of periods met."""
        if len(self.judged) > 1:
            return self.met_periods * 100 // len(self.judged)
        if not self.required:
            return 100 if self.status == Status.MET else 0
        return min(100, int(Decimal(self.done) * 100 / self.required))


@dataclass
class CadreResult:
    cadre: Cadre
    rules: list[RuleSummary]
    flags: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.rows = [row for summary in self.rules for row in summary.rows]
        self.thin_days = sum(r.thin_days for r in self.rows if r.status in JUDGED)
        closed = [r.status == Status.MET for r in self.rows if r.status in CLOSED]
        self.compliant = all(closed) if closed else None  # None: no scored period is over


@dataclass
class UnitResult:
    unit: OrgUnit
    bound: int = 0
    compliant: int = 0
    rota: RuleSummary | None = None
    meetings: list[RuleSummary] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        return self.compliant / self.bound if self.bound else None


@dataclass
class Report:
    year: int
    cadres: list[CadreResult]
    units: list[UnitResult]


@dataclass(frozen=True)
class Post:
    """One tenure, or the current Cadre fields (when there is none) from date.min to date.max."""

    start: dt.date
    end: dt.date
    unit: OrgUnit
    level: str
    post: str
    flags: dict  # is_principal, is_standing_committee, post_category: QuotaRule.binds keywords

    @classmethod
    def of(cls, obj, start, end) -> "Post":
        flags = {k: getattr(obj, k) for k in ("is_principal", "is_standing_committee")}
        flags["post_category"] = category_of(obj)
        return cls(start, end or dt.date.max, obj.unit, obj.level, obj.post, flags)


@dataclass(frozen=True)
class Act:
    visit: int
    kind: str
    start: dt.date
    end: dt.date
    hours: Decimal | None
    reviewed: bool = False

    @property
    def counts(self) -> bool:
        """SPEC §7: one record of LONG_RUN_DAYS or more counts only once reviewed."""
        return self.reviewed or not is_long_run(self.start, self.end)

    @property
    def thin(self) -> bool:
        days = (self.end - self.start).days + 1
        return self.hours is not None and self.hours / days < PAPER_DAY_HOURS


@cache
def periods(kind: str, year: int) -> tuple[Span, ...]:
    """The periods of `year`: the year, calendar quarters and months, ISO weeks (Mon–Sun).
    Kept once per kind and year: a province's report asks for them once per cadre and rule."""
    if kind == "week":
        weeks = dt.date(year, 12, 28).isocalendar().week
        mondays = [dt.date.fromisocalendar(year, w, 1) for w in range(1, weeks + 1)]
        return tuple(Span(f"{year}-W{d:%V}", d, d + 6 * ONE_DAY) for d in mondays)
    size = {"year": 12, "quarter": 3, "month": 1}[kind]
    fmt = {"year": "{y}", "quarter": "{y}Q{q}", "month": "{y}-{m:02d}"}[kind]
    ends = [(m, m + size - 1) for m in range(1, 13, size)]
    ends = [(m, dt.date(year, e, calendar.monthrange(year, e)[1])) for m, e in ends]
    return tuple(
        Span(fmt.format(y=year, q=(m + 2) // 3, m=m), dt.date(year, m, 1), e) for m, e in ends
    )


def _days(start: dt.date, end: dt.date):
    return (start + dt.timedelta(days=i) for i in range((end - start).days + 1))


def rules_by_unit(units, year: int, table=None) -> dict[int, list[QuotaRule]]:
    """The rules of `ruleset_for(unit, year)` for many units, in three queries."""
    units = list(units)
    by_path = ruleset_ids_for([u.path for u in units], year, table=table)
    chosen = {unit.pk: by_path[unit.path] for unit in units}
    rules = defaultdict(list)
    for rule in QuotaRule.objects.filter(ruleset_id__in=set(chosen.values())).order_by("pk"):
        if rule.minimum is not None and rule.minimum % 1 == 0:
            rule.minimum = int(rule.minimum)  # shown as 60, not 60.0
        rules[rule.ruleset_id].append(rule)
    return {pk: rules[ruleset] for pk, ruleset in chosen.items()}


def _posts(cadres: list[Cadre]) -> dict[int, list[Post]]:
    posts = defaultdict(list)
    tenures = Tenure.objects.filter(cadre__in=[c.pk for c in cadres]).select_related("unit")
    for t in tenures.order_by("start"):
        posts[t.cadre_id].append(Post.of(t, t.start, t.end))
    for c in cadres:  # no Tenure rows: the current fields, as one tenure without dates
        posts[c.pk] = posts.get(c.pk) or [Post.of(c, dt.date.min, None)]
    return posts


def _acts(cadre_ids: list[int], window: Span) -> dict[int, list[Act]]:
    """Done visits overlapping the window, for their lead and for each companion: 2 queries."""
    done = Visit.objects.filter(status=Visit.Status.DONE, start_date__lte=window.end)
    done = done.filter(end_date__gte=window.start)
    fields = ("kind", "start_date", "end_date", "hours", "long_run_reviewed_at")
    acts = defaultdict(list)
    for v in done.filter(lead_id__in=cadre_ids).values("lead_id", "pk", *fields):
        acts[v["lead_id"]].append(_act(v["pk"], *(v[f] for f in fields)))
    through = Visit.companions.through.objects.filter(cadre_id__in=cadre_ids, visit__in=done)
    for v in through.values("cadre_id", "visit_id", *(f"visit__{f}" for f in fields)):
        acts[v["cadre_id"]].append(_act(v["visit_id"], *(v[f"visit__{f}"] for f in fields)))
    for cadre, found in acts.items():
        acts[cadre] = [a for a in found if a.counts]
    return acts


def _act(pk, kind, start, end, hours, reviewed_at) -> Act:
    return Act(pk, kind, start, end, hours, reviewed_at is not None)


def _merge(spans: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    merged = []
    for start, end in sorted(spans):
        if merged and (merged[-1][1] == dt.date.max or start <= merged[-1][1] + ONE_DAY):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _bound(posts: list[Post], rules: dict[int, list[QuotaRule]]) -> dict[QuotaRule, list]:
    """Each cadre rule that binds the cadre in some tenure, with the joined spans it binds."""
    spans = defaultdict(list)
    for p in posts:
        for rule in rules[p.unit.pk]:
            if rule.binds(level=p.level, **p.flags):
                spans[rule].append((p.start, p.end))
    return {rule: _merge(s) for rule, s in spans.items()}


def _counts(rule: QuotaRule, act: Act) -> bool:
    return not rule.visit_kinds or act.kind in rule.visit_kinds


def _in_spans(day: dt.date, spans) -> bool:
    return spans is None or any(s <= day <= e for s, e in spans)


def _measure(rule: QuotaRule, period: Span, *, acts: list[Act], spans=None) -> tuple[int, int]:
    """(done, thin days) of `acts` inside `period` under `rule`; days only while it binds."""
    hits = [a for a in acts if a.start <= period.end and a.end >= period.start and _counts(rule, a)]
    if rule.measure == QuotaRule.Measure.COUNT:
        return len({a.visit for a in hits}), 0
    full, thin = set(), set()
    for a in hits:
        days = _days(max(a.start, period.start), min(a.end, period.end))
        (thin if a.thin else full).update(d for d in days if _in_spans(d, spans))
    return len(full | thin), len(thin - full)


def _prorates(rule: QuotaRule) -> bool:
    # 001 §三: 调研每年不少于N个月 — a post held part of the year owes its share of the days.
    return rule.period == "year" and rule.measure == QuotaRule.Measure.DAYS


def months_served(period: Span, spans) -> int:
    """Calendar months of `period` throughout which the rule binds (a month begun or left
    part-way does not count)."""
    months = periods("month", period.start.year)
    inside = [m for m in months if period.start <= m.start and m.end <= period.end]
    return sum(any(s <= m.start and m.end <= e for s, e in spans) for m in inside)


def prorated(minimum, months: int) -> int:
    """minimum × months / 12, rounded up to a whole day (不少于: a part of a day is owed whole),
    e.g. 60 days × 9 months = 45; 30 days × 7 months = 17.5 → 18."""
    return math.ceil(Decimal(minimum) * months / 12)


def _required(rule, period: Span, spans) -> tuple[bool, Decimal | None]:
    """(judged at all, required) of `rule` in `period` for a post bound over `spans`."""
    if spans is None or any(s <= period.start and period.end <= e for s, e in spans):
        return True, rule.minimum
    months = months_served(period, spans) if _prorates(rule) else 0
    if not months:
        return False, None
    return True, None if rule.minimum is None else prorated(rule.minimum, months)


def _judge(required, period, *, covered: bool, done: int, as_of) -> Status:
    if not covered:
        return Status.NOT_APPLICABLE
    if required is None:
        return Status.SHOWN_ONLY
    if done >= required:
        return Status.MET
    if as_of is not None and period.end >= as_of:
        return Status.OPEN
    return Status.SHORT


def _summary(rule, year, as_of, measure, spans=None) -> RuleSummary:
    """`rule` over the periods of `year`, judged where `spans` (None: always) cover them whole,
    or prorated where a research-days rule binds for some whole months of the year."""
    rows = []
    for period in periods(rule.period, year):
        covered, required = _required(rule, period, spans)
        done, thin = measure(period)
        status = _judge(required, period, covered=covered, done=done, as_of=as_of)
        rows.append(Row(rule, period, required if status in JUDGED else None, done, status, thin))
    return RuleSummary(rule, rows)


def _paper_flags(rows: list[Row]) -> list[dict]:
    """SPEC §7 "quotas met only on paper": met only thanks to days of under 4 hours."""
    flags = []
    for r in rows:
        rest = r.done - r.thin_days
        if r.rule.measure != QuotaRule.Measure.DAYS or r.status != Status.MET:
            continue
        if rest < r.required:
            facts = {
                "rule": r.rule.shown_label,
                "period": r.period.label,
                "done": r.done,
                "rest": rest,
            }
            facts.update(thin=r.thin_days, hours=PAPER_DAY_HOURS, required=r.required)
            flags.append(note(PAPER_FLAG, **facts))  # words when shown (surveys.notes)
    return flags


def _rota_receiver(post: Post, unit: OrgUnit, rule: QuotaRule) -> bool:
    """001 §一: a 常委 or 副市、县(区)长 of this city or county (its leading level, in its tree)."""
    return (
        post.level == LEADING_LEVEL.get(unit.level)
        and (not rule.cadre_levels or post.level in rule.cadre_levels)
        and post.unit.path.startswith(unit.path)
        and (post.flags["is_standing_committee"] or bool(ROTA_DEPUTY_POST.search(post.post)))
    )


def _rota(unit, rule, posts, acts, year, as_of) -> RuleSummary:
    receptions = defaultdict(set)  # day -> visits received that day by a rota receiver
    for cadre_id, cadre_acts in acts.items():
        if not any(p.unit.path.startswith(unit.path) for p in posts[cadre_id]):
            continue
        for a in filter(lambda a: _counts(rule, a), cadre_acts):
            for day in _days(a.start, a.end):
                post = next((p for p in posts[cadre_id] if p.start <= day <= p.end), None)
                if post is not None and _rota_receiver(post, unit, rule):
                    receptions[day].add(a.visit)

    def measure(week):
        return len(set().union(*(receptions[d] for d in _days(week.start, week.end)))), 0

    return _summary(rule, year, as_of, measure)


def _meeting_dates(units, window: Span) -> dict[int, list[dt.date]]:
    dates = defaultdict(list)
    held = UnitMeeting.objects.filter(unit__in=[u.pk for u in units])
    for unit_id, date in held.filter(date__range=(window.start, window.end)).values_list(
        "unit_id", "date"
    ):
        dates[unit_id].append(date)
    return dates


def _held(dates: list[dt.date], period: Span) -> tuple[int, int]:
    return sum(period.start <= d <= period.end for d in dates), 0


def _binds_unit(rule: QuotaRule, unit: OrgUnit, seats: dict) -> bool:
    """001 §二: 县(市、区)委常委会 and 省市县部门党组 — a rule's unit levels, and for a
    department the level of the body it belongs to (not a township's 党政办)."""
    if rule.unit_levels and unit.level not in rule.unit_levels:
        return False
    return not rule.seat_levels or seats.get(unit.pk) in rule.seat_levels


def _unit_results(units, rules, cadre_results, posts, acts, year, as_of) -> list[UnitResult]:
    dates = _meeting_dates(units, _window(year))
    seats = seat_levels(units)
    results = {u.pk: UnitResult(u) for u in units}
    for c in cadre_results:
        if c.cadre.unit_id in results and c.compliant is not None:
            results[c.cadre.unit_id].bound += 1
            results[c.cadre.unit_id].compliant += bool(c.compliant)
    for unit in units:
        for rule in rules[unit.pk]:
            if not _binds_unit(rule, unit, seats):
                continue
            if rule.subject == QuotaRule.Subject.ROTA:
                results[unit.pk].rota = _rota(unit, rule, posts, acts, year, as_of)
            elif rule.subject == QuotaRule.Subject.UNIT:
                count = partial(_held, dates[unit.pk])
                results[unit.pk].meetings.append(_summary(rule, year, as_of, count))
    return [r for r in results.values() if r.bound or r.rota or r.meetings]


def _window(year: int) -> Span:
    """The calendar year widened to the ISO weeks of the year (Dec 29 to Jan 3 at the most)."""
    start = min(dt.date.fromisocalendar(year, 1, 1), dt.date(year, 1, 1))
    end = max(dt.date.fromisocalendar(year + 1, 1, 1) - ONE_DAY, dt.date(year, 12, 31))
    return Span(str(year), start, end)


def evaluate(*, cadres, units=(), year: int, as_of: dt.date | None = None, table=None) -> Report:
    """Compliance of `cadres` (a queryset) and `units` in `year`; `as_of` None judges the year
    as over. Rota weeks count only the receptions of the cadres given."""
    cadres = list(cadres.select_related("unit"))
    units = list(units)
    posts = _posts(cadres)
    all_units = {p.unit.pk: p.unit for ps in posts.values() for p in ps}
    all_units.update({u.pk: u for u in units})
    rules = rules_by_unit(all_units.values(), year, table=table)
    acts = _acts([c.pk for c in cadres], _window(year))
    results = []
    for cadre in cadres:
        bound = sorted(_bound(posts[cadre.pk], rules).items(), key=lambda item: item[0].pk)
        summaries = [
            _summary(r, year, as_of, partial(_measure, r, acts=acts[cadre.pk], spans=s), s)
            for r, s in bound
        ]
        rows = [r for s in summaries for r in s.rows]
        results.append(CadreResult(cadre, summaries, _paper_flags(rows)))
    return Report(year, results, _unit_results(units, rules, results, posts, acts, year, as_of))


def scope_report(
    *, cadres, units, year: int, unit: OrgUnit | None = None, as_of=None, table=None
) -> Report:
    """`evaluate` over querysets already narrowed to a jurisdiction, optionally to `unit`."""
    if unit is not None:
        cadres = cadres.filter(unit__path__startswith=unit.path)
        units = units.filter(path__startswith=unit.path)
    return evaluate(cadres=cadres, units=units, year=year, as_of=as_of, table=table)
