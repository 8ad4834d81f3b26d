"""One adjusted satisfaction score per cadre and year, whoever asks (issue 12 §5).

The empirical-Bayes prior (SPEC §6: shrinkage toward the group mean with m = σ²/τ²) used to be
estimated over whatever cadres a page listed: a unit's dashboard, a county around the cadre,
a cycle's unit, so one cadre had three adjusted scores and a one-cadre cycle none. The
reference group is now fixed by rule (`group_key`): the cadres of the same rank, in the same
province (top-level unit), governed by the same quota rule set in that year. Every page,
export and assessment run takes the adjusted score and its reliability from here.
"""

from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from analytics.frames import SYSTEM
from analytics.sufficient import cells, summarise_cells
from evaluations.models import Cadre, OrgUnit, PolicyRuleSet, ruleset_ids_for

LEVEL_LABELS = dict(Cadre.Level.choices)


def _root(path: str) -> str:
    return "/" + path.strip("/").split("/")[0] + "/"


def group_key(*, level: str, path: str, ruleset_id: int | None) -> tuple:
    """The reference group rule: same rank (level), same province (root of the unit's path),
    same governing quota rule set in the year."""
    return (_root(path), ruleset_id, level)


@dataclass
class Groups:
    of: dict  # cadre id -> key
    members: dict  # key -> [cadre ids]
    labels: dict  # key -> "福建省 · 福建省推进…(2013) · 县级"


def reference_groups(*, year: int, cadre_ids, labels: bool = False, table=None) -> Groups:
    """The groups of `cadre_ids` and all their members: three queries (four with labels),
    one with `table`, the year's rule-set assignments already read (governing_table)."""
    ids = list(cadre_ids)
    same_rank = Cadre.objects.filter(level__in=Cadre.objects.filter(pk__in=ids).values("level"))
    rows = list(same_rank.values_list("pk", "level", "unit__path"))
    asked = set(ids)
    roots = {_root(path) for pk, _, path in rows if pk in asked}
    rows = [row for row in rows if _root(row[2]) in roots]
    rulesets = ruleset_ids_for({path for _, _, path in rows}, year, table=table)
    of, members = {}, defaultdict(list)
    for pk, level, path in rows:
        key = group_key(level=level, path=path, ruleset_id=rulesets[path])
        of[pk] = key
        members[key].append(pk)
    return Groups(of, dict(members), _labels(members) if labels else {})


def _labels(members) -> dict:
    roots = dict(
        OrgUnit.objects.filter(path__in={k[0] for k in members}).values_list("path", "name")
    )
    names = dict(
        PolicyRuleSet.objects.filter(pk__in={k[1] for k in members}).values_list("pk", "code")
    )
    return {
        key: f"{roots.get(key[0], key[0])} · {names.get(key[1], '—')} · {LEVEL_LABELS[key[2]]}"
        for key in members
    }


def _group_cells(year, members: list, known: pd.DataFrame | None, channels=None) -> pd.DataFrame:
    """Sufficient statistics of `members` (analytics.sufficient): those already in `known`
    (cells hold every response of the cadres in them, jurisdictions being subtrees), the rest
    counted in one query."""
    have = set() if known is None else set(known["cadre_id"].unique())
    missing = [pk for pk in members if pk not in have]
    parts = [] if known is None else [known[known["cadre_id"].isin(members)]]
    if missing:
        # Per cadre only: the reference never reads months.
        parts.append(cells(SYSTEM, year=year, cadre_ids=missing, channels=channels, months=False))
    parts = [f for f in parts if len(f)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def adjusted_scores(
    *,
    year: int,
    cadre_ids,
    known: pd.DataFrame | None = None,
    labels: bool = False,
    channels=None,
    table=None,
) -> pd.DataFrame:
    """Per cadre of `cadre_ids` with responses: adjusted (0–100), reliability, reference (label
    when asked for), group_cadres (cadres rated in the group), m and icc of the group's prior.
    `known`: cells (analytics.sufficient) already counted, reused for the cadres in them;
    `channels`: the reference group counts the same channels as the table (issue 19 §5)."""
    groups = reference_groups(year=year, cadre_ids=cadre_ids, labels=labels, table=table)
    wanted = set(cadre_ids)
    needed = [k for k in groups.members if any(pk in wanted for pk in groups.members[k])]
    everyone = [pk for key in needed for pk in groups.members[key]]
    frame = _group_cells(year, everyone, known, channels)
    parts = []
    for key in needed:
        rated = frame[frame["cadre_id"].isin(groups.members[key])] if len(frame) else frame
        if rated.empty:
            continue
        table = summarise_cells(rated, "cadre_id")
        out = table[["adjusted", "reliability"]].copy()
        out["reference"] = groups.labels.get(key, "")
        out["reference_level"] = key[2]  # the rank's code: its name is put into words when shown
        out["group_cadres"] = len(table)
        out["m"], out["icc"] = table.attrs.get("m"), table.attrs.get("icc")
        parts.append(out[out.index.isin(wanted)])
    columns = [
        "adjusted",
        "reliability",
        "reference",
        "reference_level",
        "group_cadres",
        "m",
        "icc",
    ]
    return pd.concat(parts) if parts else pd.DataFrame(columns=columns)


def with_reference(
    table: pd.DataFrame,
    *,
    year: int,
    known: pd.DataFrame | None = None,
    labels=False,
    channels=None,
    rulesets=None,
) -> pd.DataFrame:
    """A per-cadre `summarise` table with its adjusted score and reliability replaced by the
    reference group's, ranked again. `rulesets`: the year's rule-set assignments
    (governing_table) if the caller has read them already."""
    if table.empty:
        return table
    ref = adjusted_scores(
        year=year,
        cadre_ids=list(table.index),
        known=known,
        labels=labels,
        channels=channels,
        table=rulesets,
    )
    table = table.copy()
    table["adjusted"] = ref["adjusted"].reindex(table.index)
    table["reliability"] = ref["reliability"].reindex(table.index)
    for column in ("reference", "reference_level", "group_cadres", "m", "icc"):
        table[column] = ref[column].reindex(table.index)
    return table.sort_values(["enough", "adjusted"], ascending=[False, False])
