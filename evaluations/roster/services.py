"""Roster import (花名册导入): org units and cadres from the .xlsx template, all or nothing.

Every row of both sheets is read and checked first; one bad row and nothing is written, and the
answer is a list of Chinese errors naming sheet and row. Then, in one transaction, units are
upserted by 单位代码 (parents before children, whatever the row order) and cadres by 干部编号.

Post history: when a cadre's unit, 职级, 职务, 党政主要领导 or 常委会委员 changes, the open Tenure
ends the day before 任职开始日期 and a new Tenure starts on it (blank: the day of the import). A
new cadre gets a Tenure from that date. Cadres missing from the file are left as they are."""

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from evaluations.models import Cadre, OrgUnit, Tenure
from evaluations.org.models import post_category_for
from evaluations.roster import checks
from evaluations.roster import template as tpl
from evaluations.roster.checks import CadreRow, UnitRow
from evaluations.roster.validate import validate

# What a damaged or foreign file raises while openpyxl opens or streams it (XML errors are
# SyntaxError subclasses): each becomes one Chinese error, never a server error.
BAD_FILE = (
    zipfile.BadZipFile,
    InvalidFileException,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    SyntaxError,
    OSError,
)
ROW_ERROR = re.compile(r"^(\S+) 第(\d+)行")

UNIT_FIELDS = ("name", "level")
CADRE_FIELDS = (
    "name",
    "level",
    "post",
    "post_category",
    "is_principal",
    "is_standing_committee",
    "is_party_member",
)
# What a Tenure records: a change of any of these is a change of post (SPEC §2).
TENURE_FIELDS = (
    "unit_id",
    "level",
    "post",
    "post_category",
    "is_principal",
    "is_standing_committee",
)


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    units: dict[str, int] = field(
        default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0}
    )
    cadres: dict[str, int] = field(
        default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0}
    )
    tenures_opened: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _workbook(file, errors: list[str]):
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    file.seek(0)
    if size > tpl.MAX_BYTES:
        limit = filesizeformat(tpl.MAX_BYTES)
        errors.append(_("文件大小超过上限（%(limit)s），请分批导入。") % {"limit": limit})
        return None
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except BAD_FILE:
        errors.append(_not_xlsx())
        return None


def _not_xlsx() -> str:
    return _("文件不是有效的 Excel（.xlsx）文件，请使用下载的模板填写。")


def read(file, errors: list[str]) -> tuple[list[UnitRow], list[CadreRow]]:
    """Parse both sheets; problems go to `errors` (sheet and row numbered) and mark the row."""
    wb = _workbook(file, errors)
    if wb is None:
        return [], []
    try:
        if tpl.UNIT_SHEET not in wb.sheetnames and tpl.CADRE_SHEET not in wb.sheetnames:
            errors.append(_("文件中没有“单位”或“干部”工作表，请使用下载的模板。"))
            return [], []
        units = checks.sheet_rows(wb, tpl.UNIT_SHEET, tpl.UNIT_COLUMNS, errors)
        cadres = checks.sheet_rows(wb, tpl.CADRE_SHEET, tpl.CADRE_COLUMNS, errors)
    except BAD_FILE:
        errors.append(_not_xlsx())
        return [], []
    else:
        if not units and not cadres and not errors:
            errors.append(_("文件中没有可导入的数据行。"))
        return checks.unit_rows(units, errors), checks.cadre_rows(cadres, errors)
    finally:
        wb.close()


def _in_row_order(errors: list[str]) -> list[str]:
    """File-level errors first, then the 单位 sheet's rows, then the 干部 sheet's, by row."""
    sheets = {tpl.UNIT_SHEET: 1, tpl.CADRE_SHEET: 2}

    def key(message):
        found = ROW_ERROR.match(message)
        return (sheets.get(found[1], 0), int(found[2])) if found else (0, 0)

    return sorted(errors, key=key)


def import_roster(file, *, within: OrgUnit | None = None, dry_run=False, today=None):
    """Check every row, then upsert it all in one transaction; `within`: the uploader's unit
    (None: no jurisdiction limit, as for the command line). Returns an ImportResult."""
    result = ImportResult(dry_run=dry_run)
    today = today or timezone.localdate()
    units, cadres = read(file, result.errors)
    checked = {"within": within, "today": today, "errors": result.errors}
    plan = validate(units, cadres, **checked) if units or cadres else None
    if result.errors:
        result.errors = _in_row_order(result.errors)
        return result
    try:
        with transaction.atomic():
            saved = _write_units(plan, result)
            _write_cadres(plan, saved, result, today)
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError:
        result.errors.append(_("导入时数据被同时修改，未导入任何数据，请重试。"))
    return result


def _unit_parent(code, saved):
    if code is None:
        return None
    if code not in saved:
        saved[code] = OrgUnit.objects.get(code=code)
    return saved[code]


def _write_units(plan, result) -> dict[str, OrgUnit]:
    saved: dict[str, OrgUnit] = {}
    existing = OrgUnit.objects.in_bulk([row.code for row in plan.units], field_name="code")
    for row in plan.units:  # parents first: validate() ordered them by depth
        parent = _unit_parent(row.parent_code, saved)
        unit = existing.get(row.code)
        if unit is None:
            unit = OrgUnit(code=row.code, name=row.name, level=row.level, parent=parent)
            unit.save()
            result.units["created"] += 1
        elif _unit_changed(unit, row, parent):
            unit.name, unit.level, unit.parent = row.name, row.level, parent
            unit.save()  # moves the subtree's paths along
            result.units["updated"] += 1
        else:
            result.units["unchanged"] += 1
        saved[row.code] = unit
    return saved


def _unit_changed(unit: OrgUnit, row: UnitRow, parent) -> bool:
    if any(getattr(unit, f) != getattr(row, f) for f in UNIT_FIELDS):
        return True
    return unit.parent_id != (parent.pk if parent else None)


def _write_cadres(plan, saved, result, today):
    missing = {r.unit_code for r in plan.cadres} - set(saved)
    saved.update(OrgUnit.objects.in_bulk(missing, field_name="code"))
    new, changed, closing, opening = [], [], [], []
    for row in plan.cadres:
        unit = saved[row.unit_code]
        row.post_category = row.post_category or post_category_for(
            unit=unit, post=row.post, is_standing_committee=row.is_standing_committee
        )
        start = row.start or today
        cadre = plan.existing_cadres.get(row.code)
        if cadre is None:
            cadre = Cadre(code=row.code, unit=unit, **{f: getattr(row, f) for f in CADRE_FIELDS})
            new.append(cadre)
            opening.append(cadre)
            continue
        moved = cadre.unit_id != unit.pk or _differs(cadre, row, TENURE_FIELDS[1:])
        if not moved and not _differs(cadre, row, CADRE_FIELDS):
            result.cadres["unchanged"] += 1
            continue
        cadre.unit = unit
        for name in CADRE_FIELDS:
            setattr(cadre, name, getattr(row, name))
        changed.append(cadre)
        if moved:
            tenure = plan.open_tenures.get(cadre.pk)
            if tenure is not None:
                tenure.end = start - dt.timedelta(days=1)
                closing.append(tenure)
            opening.append(cadre)
    Cadre.objects.bulk_create(new)
    Cadre.objects.bulk_update(changed, ["unit", *CADRE_FIELDS])
    Tenure.objects.bulk_update(closing, ["end"])
    starts = {row.code: row.start or today for row in plan.cadres}
    Tenure.objects.bulk_create(_tenure(c, starts[c.code]) for c in opening)
    result.cadres["created"] += len(new)
    result.cadres["updated"] += len(changed)
    result.tenures_opened = len(opening)


def _differs(cadre: Cadre, row: CadreRow, fields) -> bool:
    return any(getattr(cadre, f) != getattr(row, f) for f in fields)


def _tenure(cadre: Cadre, start: dt.date) -> Tenure:
    return Tenure(
        cadre=cadre,
        unit=cadre.unit,
        level=cadre.level,
        post=cadre.post,
        post_category=cadre.post_category,
        is_principal=cadre.is_principal,
        is_standing_committee=cadre.is_standing_committee,
        start=start,
    )
