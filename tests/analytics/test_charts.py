"""Charts that tell the truth at a glance (issue 18 point 3): every cadre or an explicit first/last
15, the legend beside the bars rather than over them, empty months as gaps, quota rules in Chinese,
p-values written as p < 0.001 and the tests explained in plain words."""

import re

import numpy as np
import pandas as pd
import pytest
from matplotlib import pyplot as plt

from analytics import charts, reports
from analytics.frames import DIMENSIONS
from analytics.templatetags.report_format import pvalue
from evaluations import demo
from evaluations.models import Cadre, OrgUnit
from evaluations.quota import compliance
from tests.analytics.conftest import add_responses, cadre_with_visit
from tests.factories import staff_user


def ranked_table(n: int) -> pd.DataFrame:
    rows = {}
    for i in range(n):
        mean = 4.8 - i * 0.1
        row = {"enough": True, "adjusted": 90 - i}
        for code in DIMENSIONS:
            row |= {f"{code}_mean": mean, f"{code}_low": mean - 0.2, f"{code}_high": mean + 0.1}
        rows[i] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def test_the_dimensions_chart_shows_every_cadre_or_an_explicit_first_or_last_15():
    table = ranked_table(19)
    assert list(charts.dimension_rows(table)) == list(charts.dimension_rows(table, "all"))
    assert len(charts.dimension_rows(table)) == 19  # was silently cut to the first 15
    assert list(charts.dimension_rows(table, "top15").index) == list(range(15))
    assert list(charts.dimension_rows(table, "bottom15").index) == list(range(4, 19))
    fig = charts.dimensions_figure(table, {i: f"干部{i}" for i in range(19)}, "bottom15")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()][-1] == "干部18"
    assert "后15名" in ax.get_title()
    plt.close(fig)


def test_cadres_without_enough_ratings_are_named_as_left_out():
    """The outside walk: 马超 (样本不足) was in the table of 20 but missing from the chart of 19
    without a word."""
    table = ranked_table(20)
    table.loc[19, "enough"] = False
    fig = charts.dimensions_figure(table, {}, "all")
    title = fig.axes[0].get_title()
    assert "全部 19 名" in title and "样本不足的 1 名未列入" in title
    plt.close(fig)
    fig = charts.dimensions_figure(ranked_table(19), {}, "all")
    assert "样本不足" not in fig.axes[0].get_title()
    plt.close(fig)


def test_a_province_chart_draws_the_first_15_and_says_of_how_many():
    """Scenario: a province of 2,000 cadres drew 2,000 bars, 840 inches wide (a gigabyte, 30 s,
    unreadable). Beyond 60 cadres "all" draws the first 15, and the title names the total."""
    table = ranked_table(charts.CHART_ALL_LIMIT + 1)
    assert len(charts.dimension_rows(table, "all")) == 15
    assert len(charts.dimension_rows(ranked_table(charts.CHART_ALL_LIMIT), "all")) == 60
    fig = charts.dimensions_figure(table, {}, "all")
    assert "前15名 15 名，共 61 名" in fig.axes[0].get_title()
    plt.close(fig)


def test_the_heatmap_of_a_province_shows_those_furthest_behind_and_says_so():
    done = np.linspace(1.0, 0.0, 100)
    matrix = pd.DataFrame({"调研": done, "接访": done}, index=[f"干部{i}" for i in range(100)])
    shown = charts.heatmap_rows(matrix)
    assert len(shown) == charts.HEATMAP_ROWS == 40
    assert list(shown.index) == [f"干部{i}" for i in range(60, 100)]
    small = matrix.head(10)
    assert charts.heatmap_rows(small) is small


def test_the_legend_stands_above_the_bars_not_over_them():
    fig = charts.dimensions_figure(ranked_table(5), {})
    fig.canvas.draw()
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent()
    assert legend.y0 >= ax.get_window_extent().y1 - 1
    plt.close(fig)


def test_a_month_without_ratings_is_a_gap_not_a_line_across_it():
    monthly = pd.DataFrame(
        {"score": [70.0, 80.0], "satisfaction": [0.8, 0.9], "sat_low": [0.7, 0.8]},
        index=["2026-01", "2026-04"],
    )
    filled = charts.every_month(monthly)
    assert list(filled.index) == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert np.isnan(filled.loc["2026-02", "score"]) and filled.loc["2026-04", "score"] == 80.0
    assert charts.every_month(monthly.iloc[:0]).empty


def test_p_values_are_written_the_way_readers_expect():
    assert pvalue(0.00002) == "p < 0.001"
    assert pvalue(0.0123) == "p = 0.012"
    assert pvalue(float("nan")) == "p = —"


@pytest.mark.django_db
def test_the_quota_heatmap_names_rules_in_chinese(questionnaire):
    demo.seed()
    user = staff_user("officer", Cadre.objects.get(code="C001").unit, "personnel")
    result = compliance.scope_report(
        cadres=Cadre.objects.visible_to(user),
        units=OrgUnit.objects.visible_to(user),
        year=demo.YEAR,
        unit=None,
    )
    columns = list(reports.compliance_cells(result)[0].columns)
    assert columns and not [c for c in columns if re.fullmatch(r"[a-z0-9-]+", c)]
    assert "信访接待 每月≥1次" in columns and "调查研究、驻村蹲点 每年≥60天" in columns


@pytest.mark.django_db
def test_the_dashboard_offers_the_choice_and_explains_its_tests(client, county):
    _cadre, visit = cadre_with_visit(county["350901"]["town"], name="本县干部")
    add_responses(visit, [(4, 4, 5)] * 12)
    client.force_login(staff_user("officer", county["350901"]["county"], "personnel"))
    html = client.get("/staff/reports/?year=2026&chart=top15").content.decode()
    assert '<strong aria-current="true">前15名</strong>' in html
    assert "chart=all" in html and "chart=bottom15" in html
    for anchor in ("about-alpha", "about-kruskal", "about-trend"):
        assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html
    assert "Kruskal–Wallis）</div>" not in html  # the test's name is behind 说明


def test_a_province_lists_the_most_different_pairs_and_counts_the_rest():
    """Scenario: 100 counties made a table of 4,950 pairs on the dashboard. The page lists the
    30 with the smallest adjusted p and says how many pairs there are and how many differ."""
    rng = np.random.default_rng(3)
    p = rng.random(4950)
    pairs = pd.DataFrame(
        {"a": range(4950), "b": range(4950), "p_raw": p, "p_holm": np.minimum(p * 3, 1.0)}
    )
    shown = reports._pairs_shown(pairs)
    assert len(shown) == reports.PAIR_ROWS == 30
    assert [r["p_holm"] for r in shown] == sorted(pairs["p_holm"])[:30]
    assert len(reports._pairs_shown(pairs.head(12))) == 12


def test_every_line_and_band_of_the_trend_has_a_legend_entry():
    monthly = pd.DataFrame(
        {
            "score": [70.0, 80.0],
            "satisfaction": [0.8, 0.9],
            "sat_low": [0.7, 0.8],
            "sat_high": [0.9, 0.95],
        },
        index=["2026-01", "2026-02"],
    )
    fig = charts.trend_figure(monthly)
    ax = fig.axes[0]
    drawn = [line.get_label() for line in ax.get_lines()]
    drawn += [band.get_label() for band in ax.collections]
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert "得分" in legend and sorted(legend) == sorted(drawn)
    plt.close(fig)


@pytest.mark.django_db
def test_a_yearly_rule_not_yet_due_is_not_painted_failed_and_the_legend_names_each_colour(
    questionnaire, monkeypatch
):
    import datetime as dt

    from django.utils import timezone
    from matplotlib.colors import to_rgba

    demo.seed()
    user = staff_user("officer", Cadre.objects.get(code="C001").unit, "personnel")
    # The demo year not over yet: its yearly rules are not due.
    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(demo.YEAR, 11, 30))
    result = reports.compliance_result(user, year=demo.YEAR)
    matrix, states = reports.compliance_cells(result)
    yearly = "调查研究、驻村蹲点 每年≥60天"
    behind = matrix.index[(matrix[yearly] < 1).to_numpy()]
    assert len(behind) and set(states.loc[behind, yearly]) == {"open"}
    fig = charts.heatmap_figure(matrix, states)
    ax = fig.axes[0]
    painted = ax.images[0].get_array()
    column = list(matrix.columns).index(yearly)
    rows = list(matrix.index)
    failed = plt.get_cmap("RdYlGn")(0.0)
    for name in behind:
        cell = tuple(painted[rows.index(name), column])
        assert cell == to_rgba(charts.NOT_DUE) and cell != failed
    legend = {
        text.get_text(): tuple(handle.get_facecolor())
        for text, handle in zip(
            ax.get_legend().get_texts(), ax.get_legend().legend_handles, strict=True
        )
    }
    assert legend["未到期"] == to_rgba(charts.NOT_DUE)
    # Every colour drawn is a legend entry or a point of the colour bar (share done).
    named, scale = set(legend.values()), plt.get_cmap("RdYlGn")
    shares = matrix.to_numpy(float)
    for (i, j), share in np.ndenumerate(shares):
        colour = tuple(painted[i, j])
        assert colour in named or colour == tuple(scale(share)), (i, j)
    if np.isnan(shares).any():
        assert legend["不适用（无此项要求）"] == to_rgba(charts.NOT_APPLICABLE)
    assert len(fig.axes) == 2  # the colour bar of the share done
    plt.close(fig)


def test_not_applicable_cells_have_their_legend_entry():
    matrix = pd.DataFrame({"甲 每年≥1次": [0.5, np.nan]}, index=["干部1", "干部2"])
    states = pd.DataFrame({"甲 每年≥1次": ["short", np.nan]}, index=["干部1", "干部2"])
    fig = charts.heatmap_figure(matrix, states)
    labels = [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    assert labels == ["不适用（无此项要求）"]
    plt.close(fig)


@pytest.mark.parametrize("rows", [3, 40])
def test_the_heatmap_legend_never_covers_its_title(rows):
    """The outside walk: the 未到期 / 不适用 legend, two rows high, sat over the chart's title."""
    index = [f"干部{i}" for i in range(rows)]
    matrix = pd.DataFrame(
        {"信访接待 每月≥1次": [0.5] * rows, "调查研究 每年≥60天": [np.nan] + [0.2] * (rows - 1)},
        index=index,
    )
    states = pd.DataFrame(
        {
            "信访接待 每月≥1次": ["short"] * rows,
            "调查研究 每年≥60天": ["n/a"] + ["open"] * (rows - 1),
        },
        index=index,
    )
    fig = charts.heatmap_figure(matrix, states)
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    title = ax.title.get_window_extent(renderer)
    assert len(ax.get_legend().get_texts()) == 2
    assert not legend.overlaps(title), (legend, title)
    assert legend.y0 >= ax.get_window_extent(renderer).y1 - 1
