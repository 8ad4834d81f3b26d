"""What discipline inspection (纪检监察) reads (SPEC §1, §7): residents' answers to the
discipline items of seed 002, integrity flags, and visits that look like 走过场 — counts per
cadre, never who answered."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from evaluations.models import Cadre, Visit
from surveys import listing
from surveys.models import Answer, Response
from surveys.rules import describe_flag

# 002: 轻车简从、不扰民; 不得接受吃请或收受礼品; 不得增加基层负担. The answer that reports a breach.
BREACHES = {
    "gifts": ("yes", "接受吃请或收受礼品"),
    "light_travel": ("no", "未轻车简从或扰民"),
    "burden": ("yes", "增加基层负担"),
}


@dataclass
class CadreRow:
    cadre: Cadre
    answered: Counter = field(default_factory=Counter)  # question code -> answers
    breaches: Counter = field(default_factory=Counter)  # question code -> breach answers
    flags: Counter = field(default_factory=Counter)  # flag code -> responses
    silent_visits: list = field(default_factory=list)  # done, no response at all
    overlaps: list = field(default_factory=list)  # (visit, visit) at two places at once

    @property
    def has_findings(self) -> bool:
        return any((sum(self.breaches.values()), self.flags, self.silent_visits, self.overlaps))

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
        return breaches + sum(self.flags.values()) + len(self.silent_visits) + len(self.overlaps)

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


def _visits(visits, rows):
    done = visits.filter(status=Visit.Status.DONE).annotate(n=Count("rating_link__responses"))
    by_cadre = defaultdict(list)
    for visit in done.select_related("target_unit").order_by("lead", "start_date", "pk"):
        if visit.n == 0 and visit.lead_id in rows:
            rows[visit.lead_id].silent_visits.append(visit)
        by_cadre[visit.lead_id].append(visit)
    for lead, items in by_cadre.items():
        if lead not in rows:
            continue
        longest = items[0]  # the visit reaching furthest so far, in order of start
        for later in items[1:]:
            if later.start_date <= longest.end_date:
                rows[lead].overlaps.append((longest, later))
            if later.end_date > longest.end_date:
                longest = later


def report(user, *, year: int) -> list[CadreRow]:
    cadres = Cadre.objects.visible_to(user).select_related("unit").order_by("unit__path", "code")
    rows = {c.pk: CadreRow(cadre=c) for c in cadres}
    visits = Visit.objects.visible_to(user).filter(start_date__year=year)
    _answers(visits, rows)
    _flags(visits, rows)
    _visits(visits, rows)
    return [row for row in rows.values() if row.has_findings]


# The 纪检 page: cadres with the most findings first, searchable, 20 a page.
REPORT_LIST = listing.RowSpec(
    text=lambda row: f"{row.cadre.name} {row.cadre.post} {row.cadre.unit.name}",
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
]
