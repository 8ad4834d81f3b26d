"""Checks across rows of a roster: parents exist and form no cycle, every row lies inside the
uploader's jurisdiction, and a changed post does not start before the post it replaces.

Three queries whatever the file's size: the units it names, the cadres it names, their open
tenures."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from evaluations.models import Cadre, OrgUnit, Tenure
from evaluations.roster import template as tpl
from evaluations.roster.checks import CadreRow, Plan, UnitRow


class _Cycle(Exception):
    def __init__(self, chain: list[str]):
        super().__init__(" → ".join(chain))


def _codes(path: str) -> list[str]:
    return [c for c in path.strip("/").split("/") if c]


@dataclass
class Tree:
    """The unit tree the import would build: the file's parents over the database's."""

    file_parent: dict[str, str | None]
    broken: set[str]
    within: OrgUnit | None
    db_path: dict[str, str] = field(default_factory=dict)
    db_parent: dict[str, str | None] = field(default_factory=dict)
    memo: dict[str, tuple[int, bool] | None] = field(default_factory=dict)

    def load(self, codes: set[str]):
        for code, path in OrgUnit.objects.filter(code__in=codes).values_list("code", "path"):
            self.db_path[code] = path
            chain = _codes(path)
            for i, c in enumerate(chain):
                self.db_parent[c] = chain[i - 1] if i else None

    def known(self, code: str) -> bool:
        return code in self.file_parent or code in self.db_parent

    def _parent(self, code: str) -> str | None:
        return self.file_parent[code] if code in self.file_parent else self.db_parent.get(code)

    def _inside(self, code: str, parent_inside: bool) -> bool:
        return self.within is None or parent_inside or code == self.within.code

    def locate(self, code: str) -> tuple[int, bool] | None:
        """(depth, inside the jurisdiction), or None below a missing or broken unit."""
        walked, seen, cur = [], set(), code
        while cur not in self.memo:
            if cur in seen:
                raise _Cycle([*walked[walked.index(cur) :], cur])
            seen.add(cur)
            parent = self._parent(cur)
            if parent is None:
                self.memo[cur] = (1, self._inside(cur, False))
            elif parent in self.broken or not self.known(parent):
                self.memo[cur] = None
            else:
                walked.append(cur)
                cur = parent
        spot = self.memo[cur]
        for c in reversed(walked):
            spot = None if spot is None else (spot[0] + 1, self._inside(c, spot[1]))
            self.memo[c] = spot
        return self.memo[code]


def _error(errors, sheet: str, row: int, message: str, **params):
    where = _("%(sheet)s 第%(row)d行：") % {"sheet": sheet, "row": row}
    errors.append(where + message % params)


def _unit_refusal(row: UnitRow, spot, tree: Tree) -> str | None:
    within = tree.within
    if within is None:
        return None
    if row.code in tree.db_path and not tree.db_path[row.code].startswith(within.path):
        return _("单位代码“%(code)s”已被管辖范围以外的单位使用") % {"code": row.code}
    if not spot[1]:
        return _("单位“%(code)s”不在您的管辖范围（%(scope)s）内") % {
            "code": row.code,
            "scope": within.name,
        }
    own_parent = ([None, *_codes(within.path)])[-2]
    if row.code == within.code and row.parent_code != own_parent:
        return _("不能通过导入改变本单位“%(name)s”的上级单位") % {"name": within.name}
    return None


def _parent_missing(row: UnitRow, tree: Tree, errors) -> bool:
    parent = row.parent_code
    if parent and parent not in tree.broken and not tree.known(parent):
        _error(errors, tpl.UNIT_SHEET, row.row, _("上级单位代码“%(code)s”不存在"), code=parent)
        return True
    return False


def _place_unit(row: UnitRow, tree: Tree, errors) -> int | None:
    """The row's depth in the new tree, or None (with an error if the row is to blame)."""
    if _parent_missing(row, tree, errors):
        return None
    try:
        spot = tree.locate(row.code)
    except _Cycle as cycle:
        message = _("上级单位关系形成循环：%(chain)s")
        _error(errors, tpl.UNIT_SHEET, row.row, message, chain=str(cycle))
        return None
    if spot is None:
        return None  # an ancestor's own row carries the error
    refusal = _unit_refusal(row, spot, tree)
    if refusal:
        _error(errors, tpl.UNIT_SHEET, row.row, "%(why)s", why=refusal)
        return None
    return spot[0]


def _open_tenures(cadres: dict[str, Cadre]) -> dict[int, Tenure]:
    found = Tenure.objects.filter(cadre__in=[c.pk for c in cadres.values()], end__isnull=True)
    return {t.cadre_id: t for t in found.order_by("start")}  # the latest open one wins


def _post_changes(cadre: Cadre, row: CadreRow) -> bool:
    if cadre.unit.code != row.unit_code:
        return True
    fields = ("level", "post", "is_principal", "is_standing_committee")
    return any(getattr(cadre, f) != getattr(row, f) for f in fields)


def _unit_of_cadre_refusal(row: CadreRow, tree: Tree) -> str | None:
    if not row.unit_code or row.unit_code in tree.broken:
        return None  # the cell or the unit's own row carries the error
    if not tree.known(row.unit_code):
        return _("单位代码“%(code)s”不存在") % {"code": row.unit_code}
    try:
        spot = tree.locate(row.unit_code)
    except _Cycle:
        return None  # the unit's own row carries the error
    if spot is not None and not spot[1]:
        return _("单位“%(code)s”不在您的管辖范围（%(scope)s）内") % {
            "code": row.unit_code,
            "scope": tree.within.name,
        }
    return None


def _cadre_refusal(row: CadreRow, tree: Tree, plan: Plan, today: dt.date) -> str | None:
    cadre = plan.existing_cadres.get(row.code)
    if cadre is None:
        return None
    if tree.within and not cadre.unit.path.startswith(tree.within.path):
        return _("干部编号“%(code)s”已被管辖范围以外的干部使用") % {"code": row.code}
    tenure = plan.open_tenures.get(cadre.pk)
    start = row.start or today
    if tenure is not None and _post_changes(cadre, row) and start <= tenure.start:
        return _("任职开始日期%(start)s须晚于现任职务的开始日期%(current)s") % {
            "start": start.isoformat(),
            "current": tenure.start.isoformat(),
        }
    return None


def _check_cadres(cadres: list[CadreRow], tree: Tree, today: dt.date, errors) -> Plan:
    existing = Cadre.objects.select_related("unit").in_bulk(
        [c.code for c in cadres if c.ok], field_name="code"
    )
    plan = Plan(units=[], cadres=[], existing_cadres=existing, open_tenures=_open_tenures(existing))
    for row in cadres:
        refusal = _unit_of_cadre_refusal(row, tree)
        if refusal is None and row.ok:
            refusal = _cadre_refusal(row, tree, plan, today)
        if refusal:
            _error(errors, tpl.CADRE_SHEET, row.row, "%(why)s", why=refusal)
        elif row.ok:
            plan.cadres.append(row)
    return plan


def validate(units, cadres, *, within, today, errors) -> Plan:
    """Check the parsed rows against each other and the database; order units parents first.
    Rows whose cells were wrong take part only as far as their references go."""
    good = [u for u in units if u.ok]
    broken = {u.code for u in units if not u.ok}
    tree = Tree(file_parent={u.code: u.parent_code for u in good}, broken=broken, within=within)
    referenced = {u.code for u in units} | {u.parent_code for u in units if u.parent_code}
    tree.load((referenced | {c.unit_code for c in cadres}) - broken)
    for row in units:
        if not row.ok:
            _parent_missing(row, tree, errors)
    placed = [(depth, row) for row in good if (depth := _place_unit(row, tree, errors))]
    plan = _check_cadres(cadres, tree, today, errors)
    plan.units = [row for _depth, row in sorted(placed, key=lambda p: p[0])]
    return plan
