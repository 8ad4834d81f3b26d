"""定期报送 (000): a period's summary of one unit, one row per child unit, for the level above.

Rows aggregate every official response about cadres in each child's subtree; the period is a
year, a quarter (Q1–Q4) or a month (1–12). Counted by the database (analytics.sufficient); each
row says how many ratings came by each channel, and `channels` keeps only some (issue 19 §5)."""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from analytics import stats
from analytics.frames import CHANNELS, DIMENSIONS
from analytics.sufficient import cells, collapse, composite_groups
from evaluations.models import Cadre, OrgUnit
from evaluations.org import periods


@dataclass
class Summary:
    unit: OrgUnit
    year: int
    period: str
    rows: list


def _months(period: str):
    """None for the whole year (no filter), else the months of the period."""
    return None if period == "year" else list(periods.months(period))


def unit_summary(user, *, unit: OrgUnit, year: int, period: str = "year", channels=None) -> Summary:
    months = _months(period)
    children = list(unit.children.order_by("code")) or [unit]
    child_of = {}
    for pk, path in (
        Cadre.objects.visible_to(user)
        .filter(unit__path__startswith=unit.path)
        .values_list("pk", "unit__path")
    ):
        child_of[pk] = next((c.pk for c in children if path.startswith(c.path)), unit.pk)
    data = cells(user, year=year, cadre_ids=list(child_of), channels=channels)
    if months is not None and len(data):
        data = data[data["month"].str[5:].astype(int).isin(months)]
    data = data.assign(child=data["cadre_id"].map(child_of))
    rows = []
    own_level = [unit] if unit not in children and unit.pk in child_of.values() else []
    for child in own_level + children:
        part = data[data["child"] == child.pk]
        row = _row(child, part, sum(1 for v in child_of.values() if v == child.pk))
        if child is unit:
            row["unit"] = _("%(unit)s（本级）") % {"unit": unit.name}
        rows.append(row)
    return Summary(unit=unit, year=year, period=period, rows=rows)


def _row(child: OrgUnit, part: pd.DataFrame, cadres: int) -> dict:
    sums = collapse(part.assign(all=0), "all")
    total = sums.iloc[0] if len(sums) else pd.Series(0, index=sums.columns)
    answered, satisfied = int(total["overall_n"]), int(total["satisfied_n"])
    low, high = stats.wilson_interval(satisfied, answered)
    composite = composite_groups(sums)
    mean = float(composite["mean"].iloc[0]) if len(composite) else np.nan
    return {
        "unit": child.name,
        "code": child.code,
        "cadres": cadres,
        "rated_cadres": int(part.loc[part["n"] > 0, "cadre_id"].nunique()),
        "n": int(total["n"]),
        # The counts behind the figures, for the smallest-cell rule (satisfaction.private).
        "overall_n": answered,
        **{f"{d}_n": int(total[f"{d}_n"]) for d in DIMENSIONS},
        **{f"n_{c}": int(total[f"n_{c}"]) for c in CHANNELS},
        "score": None if np.isnan(mean) else float(stats.score_0_100(mean)),
        "satisfaction": satisfied / answered if answered else None,
        "sat_low": None if np.isnan(low) else low,
        "sat_high": None if np.isnan(high) else high,
    }
