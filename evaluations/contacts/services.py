"""联系点 (001 §三): who must keep which contact points, who lacks what, and changing one.

The requirements per cadre level are ContactRequirement rows of the rule set that governs the
cadre's unit (省、市级: 1 county, 1 village, 1 enterprise, ≥1 household; 县级: 1 township, ...).
A point is kept three years in principle: an earlier change needs a reason, recorded on the new
point (`change_reason`) and, with who changed it, in the point's history (simple_history)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from evaluations.contacts.models import CONTACT_POINT_MIN_YEARS
from evaluations.models import (
    Cadre,
    ContactPoint,
    ContactRequirement,
    OrgUnit,
    Tenure,
    governing_table,
    ruleset_ids_for,
)
from evaluations.org.models import category_of

# 001 §三: 县级以上机关单位要结对帮扶1个以上村(社区). Applies where the governing rule set has a
# requirement for "organ" (Fujian 2013 does; Sichuan 2017 does not), to organs of these levels.
ORGAN = "organ"
ORGAN_PAIRING_KIND = ContactPoint.Kind.VILLAGE
ORGAN_PAIRING_LEVELS = ("province", "city", "county")
# What each kind of point may be: 001 §三 联系1个县/乡镇, 结对帮扶1个村(社区), 挂钩1个企业(项目).
KIND_UNIT_LEVELS = {
    ContactPoint.Kind.COUNTY: ("county",),
    ContactPoint.Kind.TOWNSHIP: ("township",),
    ContactPoint.Kind.VILLAGE: ("village", "community"),
    ContactPoint.Kind.ENTERPRISE: ("enterprise",),
}

MESSAGES = {
    "reason_required": _(
        "联系点原则上三年不变（001 §三）：本联系点建立于%(start)s，"
        "%(until)s之前调整必须填写调整原因。"
    ),
    "ended": _("该联系点已于%(end)s结束，不能再调整。"),
    "before_start": _("调整日期不能早于联系点建立日期%(start)s。"),
    "same_target": _("新的联系对象与原联系点相同。"),
    "household_required": _("请填写帮扶户。"),
    "unit_required": _("请选择联系单位。"),
    "wrong_level": _("“%(unit)s”不是%(kind)s，不能作为此类联系点。"),
    "organ_kind": _("机关单位结对帮扶的对象只能是村(社区)。"),
    "no_owner": _("联系点必须属于一名干部或一个机关单位（二者选一）。"),
    "duplicate": _("该联系点已存在。"),
    "outside_area": _(
        "“%(unit)s”不在%(owner)s的责任区域（%(area)s）内：联系点应选在本人分管或所在地区的基层单位。"
    ),
}
# 001 §三 "与本职工作密切相关的…基层单位": a point lies in the owner's own area — the province,
# city, county or township its unit belongs to (a county organ's area is its county).
AREA_LEVELS = ("province", "city", "county", "township")


class ContactError(Exception):
    def __init__(self, code: str, **params):
        self.code = code
        message = MESSAGES[code]
        super().__init__(str(message) % params if params else str(message))


def kept_until(point: ContactPoint) -> dt.date:
    """The day from which a point may change without a reason (start + three years)."""
    start = point.start
    year = start.year + CONTACT_POINT_MIN_YEARS
    try:
        return start.replace(year=year)
    except ValueError:  # 29 February
        return dt.date(year, 3, 1)


@dataclass
class Need:
    kind: str
    needs: int
    has: int
    source: str

    @property
    def label(self) -> str:
        return _kind_label(self.kind)

    @property
    def missing(self) -> int:
        return max(0, self.needs - self.has)


@dataclass
class Holder:
    """A cadre (or an organ) bound to keep contact points, with what it has."""

    owner: Cadre | OrgUnit
    level: str
    needs: list[Need]
    points: list[ContactPoint] = field(default_factory=list)

    @property
    def lacking(self) -> list[Need]:
        return [n for n in self.needs if n.missing]

    @property
    def level_label(self) -> str:
        if self.level in Cadre.Level.values:
            return Cadre.Level(self.level).label
        return OrgUnit.Level(self.level).label


@dataclass
class Coverage:
    on: dt.date
    cadres: list[Holder]
    organs: list[Holder]

    @property
    def kinds(self) -> list[tuple[str, str]]:
        seen = dict.fromkeys(n.kind for h in self.cadres for n in h.needs)
        return [(k, _kind_label(k)) for k in ContactPoint.Kind.values if k in seen]

    @property
    def lacking(self) -> list[Holder]:
        return [h for h in self.cadres + self.organs if h.lacking]


def _kind_label(kind: str) -> str:
    return ContactPoint.Kind(kind).label if kind in ContactPoint.Kind.values else kind


class _Rules:
    """Every rule set's contact requirements (a small table) and, for the paths looked up with
    `governing`, the rule set that governs each: a fixed number of queries."""

    def __init__(self, year: int):
        self.year = year
        self.by_path = {}
        self.requirements = defaultdict(list)
        for req in ContactRequirement.objects.order_by("pk"):
            self.requirements[req.ruleset_id].append(req)

    def governing(self, paths) -> None:
        """Look up the governing rule set of every path at once (the rule: `ruleset_ids_for`)."""
        if not hasattr(self, "table"):
            self.table = governing_table(self.year)
        self.by_path.update(ruleset_ids_for(paths, self.year, table=self.table))

    def of(self, path: str) -> list[ContactRequirement]:
        return self.requirements[self.by_path[path]]


def _posts_on(cadres: list[Cadre], on: dt.date) -> dict[int, tuple[str, OrgUnit, dict]]:
    """(level, unit, binding attributes) of each cadre on `on`: the tenure then, or the current
    fields of a cadre with no tenure recorded at all. Cadres out of post that day are left out."""
    covering = Tenure.objects.filter(cadre__in=[c.pk for c in cadres], start__lte=on)
    covering = covering.filter(Q(end__isnull=True) | Q(end__gte=on)).select_related("unit")
    posts = {t.cadre_id: _post(t) for t in covering.order_by("start")}
    for cadre in cadres:
        if cadre.pk not in posts and not cadre.has_tenure:
            posts[cadre.pk] = _post(cadre)
    return posts


def _post(obj) -> tuple[str, OrgUnit, dict]:
    attributes = {
        "level": obj.level,
        "post_category": category_of(obj),
        "is_standing_committee": obj.is_standing_committee,
    }
    return obj.level, obj.unit, attributes


def _needs(requirements, attributes: dict) -> list[Need]:
    needs: dict[str, Need] = {}
    for req in requirements:
        if req.binds(**attributes):
            need = needs.setdefault(req.kind, Need(req.kind, 0, 0, req.shown_source))
            need.needs = max(need.needs, req.minimum)
    return [needs[k] for k in ContactPoint.Kind.values if k in needs] + [
        n for k, n in needs.items() if k not in ContactPoint.Kind.values
    ]


def _with_visits(points, year: int):
    """Each point with the done visits that named it in `year` (联系点 are worked, 001 §三:
    要经常深入联系点), counted in the database."""
    done = Q(visits__status="done", visits__start_date__year=year)
    return points.annotate(visits_in_year=Count("visits", filter=done))


def _attach(holders: list[Holder], points, key: str):
    by_owner = {h.owner.pk: h for h in holders}
    for point in points:
        holder = by_owner.get(getattr(point, key))
        if holder is None:
            continue
        holder.points.append(point)
        for need in holder.needs:
            need.has += need.kind == point.kind


def _cadre_holders(units, on: dt.date, rules: _Rules) -> list[Holder]:
    with_tenure = Exists(Tenure.objects.filter(cadre=OuterRef("pk")))
    cadres = list(
        Cadre.objects.filter(unit__in=units, is_active=True)
        .annotate(has_tenure=with_tenure)
        .select_related("unit")
        .order_by("unit__path", "code")
    )
    posts = _posts_on(cadres, on)
    rules.governing({unit.path for _level, unit, _attrs in posts.values()})
    holders = []
    for cadre in cadres:
        if cadre.pk in posts:
            level, unit, attributes = posts[cadre.pk]
            needs = _needs(rules.of(unit.path), attributes)
            if needs:
                holders.append(Holder(cadre, level, needs))
    points = ContactPoint.objects.current(on).filter(cadre__in=[h.owner.pk for h in holders])
    points = _with_visits(points, on.year)
    _attach(holders, points.select_related("unit").order_by("kind", "start"), "cadre_id")
    return holders


def _organ_holders(units, on: dt.date, rules: _Rules) -> list[Holder]:
    organs = list(units.filter(level=OrgUnit.Level.ORGAN).order_by("path"))
    ancestors = {code for o in organs for code in o.path.strip("/").split("/")[:-1]}
    levels = dict(OrgUnit.objects.filter(code__in=ancestors).values_list("code", "level"))
    rules.governing([organ.path for organ in organs])
    holders = []
    for organ in organs:
        codes = organ.path.strip("/").split("/")[:-1]
        seat = next((levels[c] for c in reversed(codes) if levels.get(c) != "organ"), None)
        pairing = [r for r in rules.of(organ.path) if ORGAN in r.cadre_levels]
        if seat in ORGAN_PAIRING_LEVELS and pairing:
            needs = [Need(r.kind, r.minimum, 0, r.shown_source) for r in pairing]
            holders.append(Holder(organ, ORGAN, needs))
    points = _with_visits(
        ContactPoint.objects.current(on).filter(organ__in=[h.owner.pk for h in holders]), on.year
    )
    _attach(holders, points.select_related("unit").order_by("start"), "organ_id")
    return holders


def coverage(units, *, on: dt.date) -> Coverage:
    """Who must keep which contact points on `on`, within `units` (an OrgUnit queryset: the
    viewer's jurisdiction or a subtree of it), and what each has: a fixed number of queries."""
    rules = _Rules(on.year)
    return Coverage(
        on=on, cadres=_cadre_holders(units, on, rules), organs=_organ_holders(units, on, rules)
    )


def _check_target(kind: str, unit: OrgUnit | None, household: str):
    if kind == ContactPoint.Kind.HOUSEHOLD:
        if not household:
            raise ContactError("household_required")
        return
    if unit is None:
        raise ContactError("unit_required")
    if unit.level not in KIND_UNIT_LEVELS.get(kind, ()):
        raise ContactError("wrong_level", unit=unit.name, kind=_kind_label(kind))


def area_of(unit: OrgUnit) -> OrgUnit:
    """The province, city, county or township `unit` is or belongs to (the root otherwise)."""
    area = unit
    while area.level not in AREA_LEVELS and area.parent_id is not None:
        area = area.parent
    return area


def _check_area(*, cadre, organ, unit: OrgUnit | None) -> None:
    if unit is None:
        return
    owner = cadre if cadre is not None else organ
    area = area_of(owner.unit if cadre is not None else organ)
    if not area.contains(unit):
        raise ContactError("outside_area", unit=unit.name, owner=owner.name, area=area.name)


def _audited(point: ContactPoint, actor, reason: str) -> ContactPoint:
    point._history_user = actor
    point._change_reason = reason[:100]  # the full reason is on the row itself
    return point


@transaction.atomic
def establish_contact_point(
    *, cadre=None, organ=None, kind: str, unit=None, household="", on: dt.date, actor
) -> ContactPoint:
    """A new contact point for a cadre, or a village paired with an organ."""
    household = (household or "").strip()
    if (cadre is None) == (organ is None):
        raise ContactError("no_owner")
    if organ is not None and kind != ORGAN_PAIRING_KIND:
        raise ContactError("organ_kind")
    _check_target(kind, unit, household)
    _check_area(cadre=cadre, organ=organ, unit=None if kind == "household" else unit)
    owner = Q(cadre=cadre) if cadre is not None else Q(organ=organ)
    target = Q(household=household) if kind == ContactPoint.Kind.HOUSEHOLD else Q(unit=unit)
    if ContactPoint.objects.current(on).filter(owner, target, kind=kind).exists():
        raise ContactError("duplicate")
    point = ContactPoint(cadre=cadre, organ=organ, kind=kind, start=on)
    point.unit, point.household = (None, household) if kind == "household" else (unit, "")
    _audited(point, actor, "").save()
    return point


@transaction.atomic
def change_contact_point(
    *, point: ContactPoint, new_unit=None, new_household="", on: dt.date, reason="", actor
) -> ContactPoint:
    """End `point` on `on` and open its successor from that day. Within three years of the
    point's start a reason is required (001 §三: 原则上一定三年不变); it is kept either way."""
    point = ContactPoint.objects.select_for_update().get(pk=point.pk)
    reason, new_household = (reason or "").strip(), (new_household or "").strip()
    if point.end is not None and point.end <= on:
        raise ContactError("ended", end=point.end.isoformat())
    if on < point.start:
        raise ContactError("before_start", start=point.start.isoformat())
    until = kept_until(point)
    if on < until and not reason:
        raise ContactError(
            "reason_required", start=point.start.isoformat(), until=until.isoformat()
        )
    _check_target(point.kind, new_unit, new_household)
    household = point.kind == ContactPoint.Kind.HOUSEHOLD
    _check_area(cadre=point.cadre, organ=point.organ, unit=None if household else new_unit)
    if (point.household == new_household) if household else (point.unit_id == new_unit.pk):
        raise ContactError("same_target")
    point.end = on
    _audited(point, actor, reason or str(_("满三年调整"))).save(update_fields=["end"])
    successor = ContactPoint(
        cadre_id=point.cadre_id,
        organ_id=point.organ_id,
        kind=point.kind,
        unit=None if household else new_unit,
        household=new_household if household else "",
        start=on,
        change_reason=reason,
    )
    _audited(successor, actor, reason).save()
    return successor
