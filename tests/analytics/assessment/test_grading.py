"""Suggested grades, rule by rule on hand-made cases (年度考核)."""

import pytest

from analytics.assessment.grading import Candidate, allowed_excellent, composite, suggest
from surveys.notes import text, texts

WEIGHTS = {"satisfaction": 0.3, "appraisal": 0.4, "compliance": 0.2, "cases": 0.1}
BANDS = [(90.0, "excellent"), (70.0, "competent"), (60.0, "basic")]
LEADING_25 = {"leading": (0.25, "条例(2019)")}


def cand(i, score, *, category="leading", **kwargs):
    parts = {"satisfaction": score, "appraisal": score, "compliance": score, "cases": score}
    return Candidate(cadre_id=i, name=f"干部{i}", category=category, parts=parts, **kwargs)


def test_composite_is_the_weighted_mean_and_shows_its_parts():
    score, reasons = composite(
        {"satisfaction": 80, "appraisal": 90, "compliance": 100, "cases": 50}, WEIGHTS
    )
    assert score == pytest.approx(0.3 * 80 + 0.4 * 90 + 0.2 * 100 + 0.1 * 50)
    assert "群众满意度 80.0×0.30" in text(reasons[-1]) and "民主测评 90.0×0.40" in text(reasons[-1])


def test_missing_part_shares_its_weight_and_says_so():
    score, reasons = composite(
        {"satisfaction": 80, "appraisal": 90, "compliance": None, "cases": None}, WEIGHTS
    )
    assert score == round((0.3 * 80 + 0.4 * 90) / 0.7, 1) == 85.7
    assert "缺少四下基层指标、问题办理数据" in text(reasons[0])


def test_residents_ratings_alone_never_grade():
    [c] = suggest(
        [
            Candidate(
                1,
                "甲",
                "leading",
                {"satisfaction": 99, "appraisal": None, "compliance": None, "cases": None},
            )
        ],
        weights=WEIGHTS,
        bands=BANDS,
        caps={},
    )
    assert c.grade == "undetermined" and c.composite is None
    assert any("不能作为唯一依据" in r for r in texts(c.reasons))


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (90, "excellent"),
        (89.94, "competent"),
        (70, "competent"),
        (69.9, "basic"),
        (60, "basic"),
        (59.9, "incompetent"),
    ],
)
def test_bands_at_their_boundaries(score, grade):
    [c] = suggest([cand(1, score)], weights=WEIGHTS, bands=BANDS, caps={})
    assert c.grade == grade


def test_long_leave_is_undetermined():
    [c] = suggest([cand(1, 95, on_leave=True)], weights=WEIGHTS, bands=BANDS, caps={})
    assert c.grade == "undetermined" and "长期离岗" in text(c.reasons[0])


def test_appraisal_flag_blocks_a_suggested_excellent():
    [c] = suggest([cand(1, 95, needs_confirmation=True)], weights=WEIGHTS, bands=BANDS, caps={})
    assert c.grade == "competent"
    assert any("需组织认定" in r for r in texts(c.reasons))


@pytest.mark.parametrize(
    ("fraction", "n", "allowed"),
    [
        (0.25, 7, 1),
        (0.25, 8, 2),
        (0.30, 7, 2),
        (0.20, 7, 1),
        (0.15, 7, 1),
        (0.15, 6, 0),
        (0.25, 4, 1),
        (0.25, 3, 0),
    ],
)
def test_allowed_excellent_is_the_floor(fraction, n, allowed):
    assert allowed_excellent(fraction, n) == allowed


def test_unit_of_seven_with_a_25_percent_cap_keeps_the_best_one():
    cadres = [cand(i, s) for i, s in enumerate([97, 95, 93, 91, 80, 75, 72])]
    result = {c.cadre_id: c for c in suggest(cadres, weights=WEIGHTS, bands=BANDS, caps=LEADING_25)}
    assert [i for i, c in result.items() if c.grade == "excellent"] == [0]
    for i in (1, 2, 3):
        assert result[i].grade == "competent"
        assert any("7 人中最多 1 人优秀" in r for r in texts(result[i].reasons))
    assert result[4].grade == "competent" and not any("比例" in r for r in texts(result[4].reasons))


def test_cap_counts_the_whole_category_and_leaves_others_alone():
    leading = [cand(i, 95) if i == 0 else cand(i, 80) for i in range(4)]
    others = [cand(10 + i, 92, category="other") for i in range(5)]
    caps = {"leading": (0.25, "条例"), "other": (0.20, "公务员考核规定")}
    result = suggest(leading + others, weights=WEIGHTS, bands=BANDS, caps=caps)
    grades = [c.grade for c in result]
    assert grades[:4] == ["excellent", "competent", "competent", "competent"]
    assert grades[4:].count("excellent") == 0  # five tied at 92 for one place: none suggested


def test_a_tie_at_the_cap_is_left_to_the_department():
    cadres = [cand(0, 96), cand(1, 94), cand(2, 94), *(cand(i, 75) for i in range(3, 8))]
    result = suggest(cadres, weights=WEIGHTS, bands=BANDS, caps={"leading": (0.25, "条例")})
    assert [c.grade for c in result[:3]] == ["excellent", "competent", "competent"]
    result = suggest(
        [cand(0, 94), cand(1, 94), *(cand(i, 75) for i in range(2, 7))],
        weights=WEIGHTS,
        bands=BANDS,
        caps={"leading": (0.25, "条例")},
    )
    assert result[0].grade == result[1].grade == "competent"
    assert any("同分" in r for r in texts(result[0].reasons))


def test_suggestion_is_deterministic():
    cadres = lambda: [cand(i, s) for i, s in enumerate([97, 95, 93, 91, 80, 75, 72])]  # noqa: E731
    first = [
        (c.grade, c.composite, c.reasons)
        for c in suggest(cadres(), weights=WEIGHTS, bands=BANDS, caps=LEADING_25)
    ]
    again = [
        (c.grade, c.composite, c.reasons)
        for c in suggest(cadres(), weights=WEIGHTS, bands=BANDS, caps=LEADING_25)
    ]
    assert first == again


def test_a_cap_of_zero_is_not_called_a_tie():
    result = suggest(
        [cand(0, 95, category="other"), cand(1, 80, category="other")],
        weights=WEIGHTS,
        bands=BANDS,
        caps={"other": (0.20, "公务员考核规定")},
    )
    assert result[0].grade == "competent"
    assert any("2 人中最多 0 人优秀" in r for r in texts(result[0].reasons))
    assert not any("同分" in r for r in texts(result[0].reasons))


def test_the_grade_is_decided_on_the_figure_shown():
    """李娜: parts 79.93, 64, 69, 66 gave 69.979, stored 69.98, printed "70.0" and banded
    基本称职 under 称职 ≥ 70. Rounded once to one decimal, 70.0 is both shown and banded."""
    parts = {"satisfaction": 79.93, "appraisal": 64.0, "compliance": 69.0, "cases": 66.0}
    [c] = suggest([Candidate(1, "李娜", "leading", parts)], weights=WEIGHTS, bands=BANDS, caps={})
    assert c.composite == 70.0 and f"{c.composite:.1f}" == "70.0"
    assert c.grade == "competent"
    assert any(r.startswith("综合得分 70.0 = 群众满意度 79.9×0.300") for r in texts(c.reasons))
    assert any("距称职分数线 70 仅 0.0 分，接近分数线" in r for r in texts(c.reasons))


def test_far_from_a_bound_nothing_is_said_about_it():
    [c] = suggest([cand(1, 80)], weights=WEIGHTS, bands=BANDS, caps={})
    assert c.composite == 80.0 and not any("接近分数线" in r for r in texts(c.reasons))
