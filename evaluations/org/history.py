"""Who changed what and when (SPEC §8: every change to rules, scores and grades is logged), read
from django-simple-history's tables for a staff page: one query per history table and one per
foreign key shown, however many records (the diff is computed here, not per record)."""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

ACTIONS = {"+": _("新增"), "~": _("修改"), "-": _("删除")}
SKIPPED = {"id"}


@dataclass
class Entry:
    at: object
    who: str
    action: str
    subject: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _fields(history_model) -> list[models.Field]:
    return [
        f
        for f in history_model.instance_type._meta.concrete_fields
        if f.name not in SKIPPED and not isinstance(f, models.AutoField)
    ]


def _shown(record, f, names) -> str:
    value = getattr(record, f.attname)
    if value is None or value == "":
        return "—"
    if f.is_relation:
        return names.get((f.name, value), str(value))
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    return str(value)


def _related_names(records, fields) -> dict:
    names = {}
    for f in fields:
        if not f.is_relation:
            continue
        ids = {getattr(r, f.attname) for r in records} - {None}
        for pk, obj in f.related_model._default_manager.in_bulk(ids).items():
            names[(f.name, pk)] = str(obj)
    return names


def entries(history, *, title: tuple[str, ...] = (), limit: int = 200) -> list[Entry]:
    """The records of one history queryset, newest first, each with its changed fields
    (label, before, after) against the previous record of the same object; an object is named
    by its `title` fields (else its kind and id)."""
    records = list(history.select_related("history_user").order_by("id", "history_date"))
    fields = _fields(history.model)
    names = _related_names(records, fields)
    out, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        changes = [
            (
                str(f.verbose_name),
                _shown(before, f, names) if before else "",
                _shown(record, f, names),
            )
            for f in fields
            if before is None or getattr(before, f.attname) != getattr(record, f.attname)
        ]
        if record.history_type == "-":
            changes = []
        user = record.history_user
        who = user.get_username() if user else str(_("系统"))
        named = {f.name: f for f in fields}
        label = " ".join(_shown(record, named[t], names) for t in title) or (
            f"{history.model.instance_type._meta.verbose_name} #{record.id}"
        )
        out.append(
            Entry(record.history_date, who, str(ACTIONS[record.history_type]), label, changes)
        )
        previous[record.id] = record
    out.sort(key=lambda e: e.at, reverse=True)
    return out[:limit]


def merged(*lists, limit: int = 200) -> list[Entry]:
    return sorted((e for entries_ in lists for e in entries_), key=lambda e: e.at, reverse=True)[
        :limit
    ]
