"""Charts as PNG (matplotlib, Agg), Chinese labels in Noto Sans CJK via surveys.printing."""

import base64
import io

import numpy as np
import pandas as pd
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from matplotlib import pyplot as plt

from analytics.frames import DIMENSION_LABELS, DIMENSIONS
from surveys.printing import cjk_style

RED, GREY = "#b71c1c", "#9e9e9e"


def _png(fig) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return out.getvalue()


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def score_distribution(table: pd.DataFrame) -> bytes:
    with cjk_style():
        fig, ax = plt.subplots(figsize=(5, 3))
        scores = table.loc[table["enough"], "adjusted"].dropna()
        ax.hist(scores, bins=np.arange(0, 105, 5), color=RED, edgecolor="white")
        ax.set_xlabel(gettext("调整后得分 (0–100)"))
        ax.set_ylabel(gettext("干部人数"))
        ax.set_title(gettext("得分分布（样本充足者）"))
        return _png(fig)


# The dimensions chart shows every cadre unless the reader picks the first or last 15.
CHART_SHOW = {"all": _("全部"), "top15": _("前15名"), "bottom15": _("后15名")}
SHOW_LIMIT = 15
# Beyond this many cadres a bar per cadre is unreadable, and a province's 2,000 bars cost a
# gigabyte to draw (issue 16): "all" draws the first 15 and the title says so (never silently).
CHART_ALL_LIMIT = 60
# The quota heatmap draws at most this many cadres, those furthest behind, and says so.
HEATMAP_ROWS = 40


def chart_choice(show: str, count: int) -> str:
    """What the chart draws when the reader asked for `show` among `count` cadres."""
    return "top15" if show == "all" and count > CHART_ALL_LIMIT else show


def dimension_rows(table: pd.DataFrame, show: str = "all") -> pd.DataFrame:
    """The cadres with enough sample in ranking order: all (up to CHART_ALL_LIMIT), or the
    first or last 15."""
    ranked = table[table["enough"]]
    show = chart_choice(show, len(ranked))
    if show == "top15":
        return ranked.head(SHOW_LIMIT)
    if show == "bottom15":
        return ranked.tail(SHOW_LIMIT)
    return ranked


def dimensions_figure(table: pd.DataFrame, names: dict, show: str = "all"):
    shown = dimension_rows(table, show)
    fig, ax = plt.subplots(figsize=(max(7, 0.42 * len(shown) + 1.5), 3.8))
    x = np.arange(len(shown))
    for i, code in enumerate(DIMENSIONS):
        means = shown[f"{code}_mean"].to_numpy(float)
        err = np.vstack([means - shown[f"{code}_low"], shown[f"{code}_high"] - means])
        ax.bar(
            x + (i - 1) * 0.27, means, 0.27, yerr=err, capsize=2, label=str(DIMENSION_LABELS[code])
        )
    ax.set_xticks(x, [names.get(k, str(k)) for k in shown.index], rotation=45, ha="right")
    ax.set_ylim(1, 5)
    ax.set_ylabel(gettext("均值 (1–5)"))
    total = int(table["enough"].sum())
    which = CHART_SHOW.get(chart_choice(show, total), CHART_SHOW["all"])
    title = gettext("三个维度对比（95%% 区间）· %(which)s %(n)d 名") % {
        "which": which,
        "n": len(shown),
    }
    if len(shown) < total:
        title += gettext("，共 %(total)d 名") % {"total": total}
    if short := len(table) - total:  # never silently: the table lists them, the chart cannot
        title += gettext("（样本不足的 %(n)d 名未列入）") % {"n": short}
    ax.set_title(title, pad=24)
    # Above the plot, never over a bar.
    ax.legend(ncol=3, fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    return fig


def dimensions(table: pd.DataFrame, names: dict, show: str = "all") -> bytes:
    with cjk_style():
        return _png(dimensions_figure(table, names, show))


def every_month(monthly: pd.DataFrame) -> pd.DataFrame:
    """Monthly rows from the first month to the last, a month without ratings as an empty row
    (a gap in the lines, not a line drawn across it)."""
    if monthly.empty:
        return monthly
    index = pd.PeriodIndex(monthly.index, freq="M")
    months = pd.period_range(index.min(), index.max(), freq="M").strftime("%Y-%m")
    return monthly.reindex(months)


def monthly_trend(monthly: pd.DataFrame) -> bytes:
    with cjk_style():
        return _png(trend_figure(monthly))


def trend_figure(monthly: pd.DataFrame):
    """The score line, the satisfaction line and its 95% band, each named in the legend."""
    monthly = every_month(monthly)
    with cjk_style():
        fig, ax = plt.subplots(figsize=(6, 3))
        if len(monthly):
            ax.plot(monthly.index, monthly["score"], marker="o", color=RED, label=gettext("得分"))
            ax.fill_between(
                monthly.index,
                monthly["sat_low"] * 100,
                monthly["sat_high"] * 100,
                color=GREY,
                alpha=0.25,
                label=gettext("满意率 95% 区间"),
            )
            ax.plot(
                monthly.index, monthly["satisfaction"] * 100, color=GREY, label=gettext("满意率 %")
            )
            ax.legend(fontsize=8)
        ax.set_ylim(0, 100)
        ax.set_title(gettext("月度趋势：得分与满意率"))
        ax.tick_params(axis="x", rotation=45)
        return fig


def heatmap_rows(matrix: pd.DataFrame) -> pd.DataFrame:
    """All cadres up to HEATMAP_ROWS; beyond, the HEATMAP_ROWS with the lowest mean share done
    (those a department must look at), in their original order."""
    if len(matrix) <= HEATMAP_ROWS:
        return matrix
    behind = matrix.mean(axis=1, skipna=True).fillna(1.0).nsmallest(HEATMAP_ROWS, keep="first")
    return matrix.loc[matrix.index.isin(behind.index)]


# Colours of the quota states that are no share done: a requirement not yet due (its period
# not over, evaluations.quota.compliance Status.OPEN) is never painted as failed.
NOT_DUE, NOT_APPLICABLE = "#8fa6c9", "#eeeeee"
STATE_LEGEND = {
    "not_due": (NOT_DUE, _("未到期")),
    "not_applicable": (NOT_APPLICABLE, _("不适用（无此项要求）")),
}


def heatmap_colours(matrix: pd.DataFrame, states: pd.DataFrame | None) -> tuple:
    """(RGBA cells, the STATE_LEGEND keys used): a requirement judged over is coloured by its
    share done, one not yet due by NOT_DUE, one that does not bind by NOT_APPLICABLE."""
    from matplotlib.colors import to_rgba

    from evaluations.quota.compliance import Status

    data = matrix.to_numpy(float)
    rgba = plt.get_cmap("RdYlGn")(np.nan_to_num(data))
    masks = {"not_applicable": np.isnan(data)}
    if states is not None:
        aligned = states.reindex(index=matrix.index, columns=matrix.columns).to_numpy(object)
        masks["not_due"] = aligned == Status.OPEN.value
    used = []
    for key, mask in masks.items():
        if mask.any():
            rgba[mask] = to_rgba(STATE_LEGEND[key][0])
            used.append(key)
    return rgba, used


def compliance_heatmap(matrix: pd.DataFrame, states: pd.DataFrame | None = None) -> bytes:
    with cjk_style():
        return _png(heatmap_figure(matrix, states))


def heatmap_figure(matrix: pd.DataFrame, states: pd.DataFrame | None = None):
    """Rows cadres, columns rules; values the share of the requirement done (0–1, NaN = n/a),
    `states` the compliance status of each cell (Status values) to tell not-yet-due apart."""
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.patches import Patch

    total, matrix = len(matrix), heatmap_rows(matrix)
    with cjk_style():
        height = max(2.5, 0.28 * len(matrix) + 1)
        fig, ax = plt.subplots(figsize=(7, height))
        rgba, used = heatmap_colours(matrix, states)
        ax.imshow(rgba, aspect="auto")
        image = ScalarMappable(norm=Normalize(0, 1), cmap="RdYlGn")
        handles = [Patch(color=STATE_LEGEND[k][0], label=str(STATE_LEGEND[k][1])) for k in used]
        if handles:
            # One row between the cells and the title (two rows covered the title).
            ax.legend(
                handles=handles,
                loc="lower left",
                bbox_to_anchor=(0, 1),  # a gap of borderaxespad, whatever the chart's height
                ncol=len(handles),
                fontsize=7,
                borderaxespad=0.3,
            )
        ax.set_xticks(
            range(matrix.shape[1]), list(matrix.columns), rotation=45, ha="right", fontsize=7
        )
        ax.set_yticks(range(matrix.shape[0]), list(matrix.index), fontsize=7)
        fig.colorbar(image, ax=ax, label=gettext("完成比例"))
        title = gettext("指标完成情况（灰白为不适用）")
        if len(matrix) < total:
            title = gettext(
                "指标完成情况：完成比例最低的 %(n)d 名，共 %(total)d 名（灰白为不适用）"
            ) % {"n": len(matrix), "total": total}
        ax.set_title(title, pad=24 if handles else 6)
        return fig
