"""Checks across rows of a roster: parents exist and form no cycle, levels nest (no county
under a village, no 省级 cadre in a village), every row lies inside the uploader's
jurisdiction, and a post neither starts in the future nor before the post it replaces.

Four queries whatever the file's size: the units it names, their ancestors' levels, the
cadres it names, their open tenures."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.models import Cadre, OrgUnit, Tenure
from evaluations.roster import template as tpl
from evaluations.roster.checks import CadreRow, Plan, UnitRow

# SPEC §2: 省 › 市(州) › 县(市、区) › 乡镇(街道) › 村(社区); 企业、学校、机关部门 sit anywhere.
UNIT_RANK = {"province": 1, "city": 2, "county": 3, "township": 4, "village": 5, "community": 5}
# The rank of unit a cadre's level leads (省级 a province ... 乡科级 a township).
CADRE_RANK = {"provincial": 1, "city": 2, "county": 3, "township": 4}
# A cadre may sit one rank below his level (a 乡镇党委书记 高配副县级), never further down.
POSTED_BELOW = 1
NUMERIC_HINT = gettext_lazy(
    "（该单元格是数字格式，开头的0会丢失，如“001”变成“1”：请把该列设为文本后重新填写）"
)


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
    file_level: dict[str, str] = field(default_factory=dict)
    db_level: dict[str, str] = field(default_factory=dict)

    def load(self, codes: set[str]):
        for code, path in OrgUnit.objects.filter(code__in=codes).values_list("code", "path"):
            self.db_path[code] = path
            chain = _codes(path)
            for i, c in enumerate(chain):
                self.db_parent[c] = chain[i - 1] if i else None
        found = OrgUnit.objects.filter(code__in=set(self.db_parent)).values_list("code", "level")
        self.db_level = dict(found)

    def level(self, code: str) -> str | None:
        return self.file_level.get(code) or self.db_level.get(code)

    def ranked(self, code: str | None) -> tuple[str, str] | None:
        """(code, level) of `code` or its nearest ancestor with a place in the tree's order."""
        seen = set()
        while code is not None and code not in seen:
            seen.add(code)
            if self.level(code) in UNIT_RANK:
                return code, self.level(code)
            code = self._parent(code)
        return None

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


def _hint(row, column: str) -> str:
    return str(NUMERIC_HINT) if column in row.numeric else ""


def _parent_missing(row: UnitRow, tree: Tree, errors) -> bool:
    parent = row.parent_code
    if parent and parent not in tree.broken and not tree.known(parent):
        message = _("上级单位代码“%(code)s”不存在") + _hint(row, "上级单位代码")
        _error(errors, tpl.UNIT_SHEET, row.row, message, code=parent)
        return True
    return False


def _label(level: str) -> str:
    return {v: k for k, v in tpl.unit_levels().items()}.get(level, level)


def _nesting_refusal(row: UnitRow, tree: Tree) -> str | None:
    """A unit of the tree's order must sit below a unit of a higher rank (SPEC §2)."""
    if row.level not in UNIT_RANK:
        return None
    above = tree.ranked(row.parent_code)
    if above is None or UNIT_RANK[above[1]] < UNIT_RANK[row.level]:
        return None
    return _(
        "层级为“%(level)s”的单位不能设在%(parent_level)s“%(parent)s”之下"
        "（单位层级依次为 省 › 市(州) › 县(市、区) › 乡镇(街道) › 村(社区)）"
    ) % {"level": _label(row.level), "parent_level": _label(above[1]), "parent": above[0]}


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
    refusal = _unit_refusal(row, spot, tree) or _nesting_refusal(row, tree)
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
    if row.post_category and row.post_category != cadre.post_category:
        return True
    return any(getattr(cadre, f) != getattr(row, f) for f in fields)


def _unit_of_cadre_refusal(row: CadreRow, tree: Tree) -> str | None:
    if not row.unit_code or row.unit_code in tree.broken:
        return None  # the cell or the unit's own row carries the error
    if not tree.known(row.unit_code):
        return _("单位代码“%(code)s”不存在") % {"code": row.unit_code} + _hint(row, "单位代码")
    try:
        spot = tree.locate(row.unit_code)
    except _Cycle:
        return None  # the unit's own row carries the error
    if spot is not None and not spot[1]:
        return _("单位“%(code)s”不在您的管辖范围（%(scope)s）内") % {
            "code": row.unit_code,
            "scope": tree.within.name,
        }
    return _seat_refusal(row, tree)


def _seat_refusal(row: CadreRow, tree: Tree) -> str | None:
    """A 省级 cadre does not sit in a village: a cadre's unit is at most POSTED_BELOW ranks
    below the rank his level leads."""
    seat = tree.ranked(row.unit_code)
    if row.level not in CADRE_RANK or seat is None:
        return None
    if UNIT_RANK[seat[1]] <= CADRE_RANK[row.level] + POSTED_BELOW:
        return None
    labels = {v: k for k, v in tpl.cadre_levels().items()}
    return _("职级为“%(level)s”的干部不能在%(unit_level)s“%(unit)s”任职，请核对职级或单位代码") % {
        "level": labels.get(row.level, row.level),
        "unit_level": _label(seat[1]),
        "unit": row.unit_code,
    }


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
        if refusal is None and row.ok and row.start and row.start > today:
            refusal = _("任职开始日期%(start)s晚于今天，尚未开始的任职不能导入") % {
                "start": row.start.isoformat()
            }
        if refusal is None and row.ok:
            refusal = _cadre_refusal(row, tree, plan, today)
        if refusal:
            _error(errors, tpl.CADRE_SHEET, row.row, "%(why)s", why=refusal)
        elif row.ok:
            plan.cadres.append(row)
    return plan


def _lost_zeros(rows, column: str, sheet: str, existing, errors) -> None:
    """An own code typed as a number that matches an existing code once its leading zeros are
    dropped ("001" typed as 1) is refused, naming the code it probably is. One query, and only
    when some code was typed as a number."""
    typed = [r for r in rows if r.ok and column in r.numeric]
    if not typed:
        return
    padded = {}
    known = [r.code for r in rows] + list(existing.filter(code__startswith="0").values_list(
        "code", flat=True))  # fmt: skip
    for code in known:
        if code.startswith("0") and code.lstrip("0"):
            padded.setdefault(code.lstrip("0"), code)
    message = _(
        "%(column)s“%(code)s”是数字格式，开头的0可能已丢失：已有“%(existing)s”，请把该列设为文本后重新填写"
    )
    for row in typed:
        if row.code in padded:
            params = {"column": column, "code": row.code, "existing": padded[row.code]}
            _error(errors, sheet, row.row, message, **params)
            row.ok = False


def validate(units, cadres, *, within, today, errors) -> Plan:
    """Check the parsed rows against each other and the database; order units parents first.
    Rows whose cells were wrong take part only as far as their references go."""
    _lost_zeros(units, "单位代码", tpl.UNIT_SHEET, OrgUnit.objects, errors)
    _lost_zeros(cadres, "干部编号", tpl.CADRE_SHEET, Cadre.objects, errors)
    good = [u for u in units if u.ok]
    broken = {u.code for u in units if not u.ok}
    tree = Tree(file_parent={u.code: u.parent_code for u in good}, broken=broken, within=within)
    tree.file_level = {u.code: u.level for u in good}
    referenced = {u.code for u in units} | {u.parent_code for u in units if u.parent_code}
    tree.load((referenced | {c.unit_code for c in cadres}) - broken)
    for row in units:
        if not row.ok:
            _parent_missing(row, tree, errors)
    placed = [(depth, row) for row in good if (depth := _place_unit(row, tree, errors))]
    plan = _check_cadres(cadres, tree, today, errors)
    plan.units = [row for _depth, row in sorted(placed, key=lambda p: p[0])]
    return plan
