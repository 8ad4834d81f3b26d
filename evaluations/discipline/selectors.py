"""What discipline inspection (纪检监察) reads (SPEC §1, §7): residents' answers to the
discipline items of seed 002, integrity flags, and visits that look like 走过场 — counts per
cadre, never who answered."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from evaluations.models import Cadre, Visit, VisitAmendment
from surveys import listing
from surveys.models import Answer, Response
from surveys.rules import describe_flag

# 002: 轻车简从、不扰民; 不得接受吃请或收受礼品; 不得增加基层负担. The answer that reports a breach.
BREACHES = {
    "gifts": ("yes", _("接受吃请或收受礼品")),
    "light_travel": ("no", _("未轻车简从或扰民")),
    "burden": ("yes", _("增加基层负担")),
}


@dataclass
class CadreRow:
    cadre: Cadre
    answered: Counter = field(default_factory=Counter)  # question code -> answers
    breaches: Counter = field(default_factory=Counter)  # question code -> breach answers
    flags: Counter = field(default_factory=Counter)  # flag code -> responses
    silent_visits: list = field(default_factory=list)  # done, no response at all
    overlaps: list = field(default_factory=list)  # (visit, visit) at two places at once
    no_hours: list = field(default_factory=list)  # done, 时长未填: its days count unchecked
    long_runs: list = field(default_factory=list)  # one record of LONG_RUN_DAYS or more
    amendments: list = field(default_factory=list)  # corrections of done visits

    @property
    def has_findings(self) -> bool:
        return any(
            (
                sum(self.breaches.values()),
                self.flags,
                self.silent_visits,
                self.overlaps,
                self.no_hours,
                self.long_runs,
                self.amendments,
            )
        )

    def breach_rows(self):
        return [
            (label, self.breaches[code], self.answered[code])
            for code, (_value, label) in BREACHES.items()
            if self.answered[code]
        ]

    @property
    def findings(self) -> int:
        """How many things this row asks a reviewer to look at."""
        breaches = sum(self.breaches.values())
        visits = len(self.silent_visits) + len(self.overlaps) + len(self.no_hours)
        return (
            breaches
            + sum(self.flags.values())
            + visits
            + len(self.long_runs)
            + len(self.amendments)
        )

    def flag_rows(self):
        return [(describe_flag(code), n) for code, n in self.flags.most_common()]


def _answers(visits, rows):
    breach = Q()
    for code, (value, _label) in BREACHES.items():
        breach |= Q(question__code=code, value=value)
    counted = (
        Answer.objects.filter(response__link__visit__in=visits, question__code__in=BREACHES)
        .exclude(response__review=Response.Review.EXCLUDED)
        .exclude(value__in=("", "unknown"))
        .values("response__link__visit__lead", "question__code")
        .annotate(n=Count("pk"), bad=Count("pk", filter=breach))
    )
    for row in counted:
        cadre_row = rows.get(row["response__link__visit__lead"])
        if cadre_row:
            cadre_row.answered[row["question__code"]] += row["n"]
            cadre_row.breaches[row["question__code"]] += row["bad"]


def _flags(visits, rows):
    flagged = Response.objects.filter(link__visit__in=visits).exclude(flags=[])
    for lead, flags in flagged.values_list("link__visit__lead", "flags"):
        if lead in rows:
            rows[lead].flags.update(flags)


def two_places_at_once(a: Visit, b: Visit) -> bool:
    """Dates carry no hours: a morning and an afternoon visit share a day honestly, and a
    multi-day visit's first and last days may be part days. Two visits clash when they share
    more than one day, or one day that one of them spends whole (strictly inside it)."""
    first, last = max(a.start_date, b.start_date), min(a.end_date, b.end_date)
    if first > last:
        return False
    return last > first or any(v.start_date < first < v.end_date for v in (a, b))


def _sort(row: CadreRow, visit: Visit) -> None:
    if visit.n == 0:
        row.silent_visits.append(visit)
    if visit.hours is None:
        row.no_hours.append(visit)
    if visit.is_long_run:
        row.long_runs.append(visit)


def _visits(visits, rows):
    done = visits.filter(status=Visit.Status.DONE).annotate(n=Count("rating_link__responses"))
    by_cadre = defaultdict(list)
    for visit in done.select_related("target_unit").order_by("lead", "start_date", "pk"):
        if visit.lead_id in rows:
            _sort(rows[visit.lead_id], visit)
        by_cadre[visit.lead_id].append(visit)
    for lead, items in by_cadre.items():
        if lead not in rows:
            continue
        longest = items[0]  # the visit reaching furthest so far, in order of start
        for later in items[1:]:
            if two_places_at_once(longest, later):
                rows[lead].overlaps.append((longest, later))
            if later.end_date > longest.end_date:
                longest = later


def _amendments(visits, rows):
    found = VisitAmendment.objects.filter(visit__in=visits).select_related("visit", "actor")
    for amendment in found.order_by("at", "pk"):
        if amendment.visit.lead_id in rows:
            rows[amendment.visit.lead_id].amendments.append(amendment)


def report(user, *, year: int) -> list[CadreRow]:
    cadres = Cadre.objects.visible_to(user).select_related("unit").order_by("unit__path", "code")
    rows = {c.pk: CadreRow(cadre=c) for c in cadres}
    visits = Visit.objects.visible_to(user).filter(start_date__year=year)
    _answers(visits, rows)
    _flags(visits, rows)
    _visits(visits, rows)
    _amendments(visits, rows)
    return [row for row in rows.values() if row.has_findings]


# The kinds of lead a row can carry: GET value -> (label, does the row carry it).
LEADS = {
    "breach": (_("群众反映的纪律问题"), lambda row: sum(row.breaches.values())),
    "flag": (_("可疑评价"), lambda row: row.flags),
    "silent": (_("无评价的已完成活动"), lambda row: row.silent_visits),
    "overlap": (_("日期重叠的活动"), lambda row: row.overlaps),
    "no_hours": (_("时长未填"), lambda row: row.no_hours),
    "long_run": (_("连续多天的活动"), lambda row: row.long_runs),
    "amended": (_("已完成活动的更正记录"), lambda row: row.amendments),
}


def leads_of(row: CadreRow) -> list[str]:
    return [code for code, (_label, carries) in LEADS.items() if carries(row)]


def units_of(rows) -> list[tuple[str, str]]:
    """Choices of the unit filter: the units of the cadres with leads, in the tree's order."""
    units = {row.cadre.unit.code: row.cadre.unit for row in rows}
    return [(code, unit.name) for code, unit in sorted(units.items(), key=lambda u: u[1].path)]


# The 纪检 page: cadres with the most findings first, searchable, filtered by kind of lead and
# unit, 20 a page.
REPORT_LIST = listing.RowSpec(
    text=lambda row: f"{row.cadre.name} {row.cadre.post} {row.cadre.unit.name}",
    filters={
        "lead": (_("线索类型"), leads_of, [(code, label) for code, (label, _c) in LEADS.items()]),
        "unit": (_("单位"), lambda row: [row.cadre.unit.code], units_of),
    },
    sorts={
        "findings": (_("线索最多"), lambda row: (-row.findings, row.cadre.code), False),
        "name": (_("姓名"), lambda row: row.cadre.name, False),
        "unit": (_("单位"), lambda row: (row.cadre.unit.path, row.cadre.code), False),
    },
)
REPORT_COLUMNS = [
    (_("姓名"), lambda row: row.cadre.name),
    (_("职务"), lambda row: row.cadre.post),
    (_("单位"), lambda row: row.cadre.unit.name),
    (_("纪律问题人次"), lambda row: sum(row.breaches.values())),
    (_("可疑评价"), lambda row: sum(row.flags.values())),
    (_("无评价的已完成活动"), lambda row: len(row.silent_visits)),
    (_("日期重叠的活动"), lambda row: len(row.overlaps)),
    (_("时长未填"), lambda row: len(row.no_hours)),
    (_("连续多天的活动"), lambda row: len(row.long_runs)),
    (_("已完成活动的更正记录"), lambda row: len(row.amendments)),
]
