"""The tally counts, weighs and flags at the rule boundaries; it never sets a grade."""

from fractions import Fraction

from evaluations.appraisal import scales
from evaluations.appraisal.tally import Rules, tally
from surveys.notes import text

MEMBERS = scales.grades_of(scales.Scale.MEMBERS)
RULES = Rules(
    quorum=Fraction(1, 2),
    flag=Fraction(1, 3),
    excellent_cap=Fraction(1, 3),
    excellent_majority=Fraction(1, 2),
    points=dict(scales.DEFAULT_POINTS),
)


def subjects(*names, grades=MEMBERS):
    return [{"key": n, "name": n, "grades": grades} for n in names]


def ballots(group, *answer_sets):
    return [{"group": group, "answers": answers} for answers in answer_sets]


def party(voters=10):
    return [{"code": "g1", "name": "党员", "voters": voters, "weight": 1.0}]


def run(ballot_list, subject_list, groups=None, rules=RULES):
    return tally(ballots=ballot_list, subjects=subject_list, groups=groups or party(), rules=rules)


def row(result, key):
    return next(s for s in result["subjects"] if s["key"] == key)


def test_counts_shares_and_points_per_grade():
    result = run(
        ballots(
            "g1",
            *([{"a": "excellent"}] * 3 + [{"a": "qualified"}] * 2 + [{"a": "basic_qualified"}]),
        ),
        subjects("a"),
    )
    a = row(result, "a")
    assert a["valid"] == 6
    assert a["counts"] == {"excellent": 3, "qualified": 2, "basic_qualified": 1, "unqualified": 0}
    assert a["shares"]["excellent"] == 0.5 and a["shares"]["basic_qualified"] == 0.1667
    assert a["score"] == round((3 * 1.0 + 2 * 0.8 + 0.6) / 6, 4)
    assert "final_grade" not in a and "grade" not in a  # never a verdict


def test_quorum_needs_more_than_half_exactly_half_is_not_enough():
    five = ballots("g1", *[{"a": "qualified"}] * 5)
    assert run(five, subjects("a"))["quorum_met"] is False
    assert run(five, subjects("a"))["groups"][0]["quorum_met"] is False
    assert "未达到法定人数" in text(run(five, subjects("a"))["notes"][0])
    six = ballots("g1", *[{"a": "qualified"}] * 6)
    assert run(six, subjects("a"))["quorum_met"] is True
    assert run(six, subjects("a"))["notes"] == []


def test_flag_at_exactly_one_third_is_not_raised_above_it_is():
    exactly = ballots("g1", *([{"a": "unqualified"}] * 3 + [{"a": "qualified"}] * 6))
    assert row(run(exactly, subjects("a")), "a")["flags"] == []
    above = ballots("g1", *([{"a": "unqualified"}] * 4 + [{"a": "qualified"}] * 5))
    flags = row(run(above, subjects("a")), "a")["flags"]
    assert [f["code"] for f in flags] == ["needs_review"]
    assert "需组织认定" in text(flags[0]["reason"]) and "不合格票 4 张" in text(flags[0]["reason"])


def test_flag_counts_incompetent_and_poor_on_the_leadership_scales():
    competence = scales.grades_of(scales.Scale.COMPETENCE)
    team = scales.grades_of(scales.Scale.TEAM)
    votes = ballots(
        "g1", *([{"m": "incompetent", "t": "poor"}] * 2 + [{"m": "competent", "t": "good"}])
    )
    result = run(votes, subjects("m", grades=competence) + subjects("t", grades=team))
    assert row(result, "m")["flags"][0]["code"] == "needs_review"
    assert "不称职票" in text(row(result, "m")["flags"][0]["reason"])
    assert "差票" in text(row(result, "t")["flags"][0]["reason"])


def test_excellent_proposals_beyond_a_third_of_members_are_flagged_over_cap():
    names = ["a", "b", "c", "d", "e", "f"]  # cap: 1/3 of 6 = 2
    three_excellent = {n: ("excellent" if n in "abc" else "qualified") for n in names}
    result = run(ballots("g1", *[three_excellent] * 6), subjects(*names))
    assert result["excellent"] == {"limit": 2, "proposed": 3, "over_cap": True}
    for name in "abc":
        assert [f["code"] for f in row(result, name)["flags"]] == ["over_cap"]
    assert row(result, "d")["flags"] == []
    two_excellent = {n: ("excellent" if n in "ab" else "qualified") for n in names}
    result = run(ballots("g1", *[two_excellent] * 6), subjects(*names))
    assert result["excellent"] == {"limit": 2, "proposed": 2, "over_cap": False}


def test_an_excellent_proposal_needs_more_than_half_of_valid_ballots():
    half = ballots("g1", *([{"a": "excellent"}] * 3 + [{"a": "qualified"}] * 3))
    assert row(run(half, subjects("a")), "a")["proposed_excellent"] is False
    more = ballots("g1", *([{"a": "excellent"}] * 4 + [{"a": "qualified"}] * 3))
    assert row(run(more, subjects("a")), "a")["proposed_excellent"] is True


def test_a_probationary_member_votes_but_is_not_graded():
    # the probationary member is not a subject of the ballot; their ballot counts like any other
    result = run(ballots("g1", *[{"a": "qualified"}] * 6), subjects("a"))
    assert [s["key"] for s in result["subjects"]] == ["a"]
    assert result["ballots"] == 6


def test_group_weights_give_the_weighted_score():
    groups = [
        {"code": "lead", "name": "班子成员", "voters": 4, "weight": 0.3},
        {"code": "party", "name": "党员", "voters": 20, "weight": 0.7},
    ]
    votes = ballots("lead", *[{"a": "excellent"}] * 4) + ballots(
        "party", *([{"a": "competent"}] * 5 + [{"a": "incompetent"}] * 5)
    )
    result = run(votes, subjects("a", grades=scales.grades_of(scales.Scale.COMPETENCE)), groups)
    a = row(result, "a")
    assert a["by_group"]["lead"]["mean_points"] == 1.0
    assert a["by_group"]["party"]["mean_points"] == 0.4
    assert a["score"] == round(0.3 * 1.0 + 0.7 * 0.4, 4)  # not the pooled mean 0.5714
    assert [g["ballots"] for g in result["groups"]] == [4, 10]
    assert [g["quorum_met"] for g in result["groups"]] == [True, False]


def test_points_are_data():
    rules = Rules(**{**RULES.__dict__, "points": {**RULES.points, "qualified": 0.5}})
    result = run(ballots("g1", *[{"a": "qualified"}] * 6), subjects("a"), rules=rules)
    assert row(result, "a")["score"] == 0.5


def test_invalid_and_foreign_answers_are_not_counted():
    votes = ballots("g1", {"a": "excellent"}, {"a": "made-up"}, {}) + ballots(
        "zz", {"a": "excellent"}
    )
    result = run(votes, subjects("a"))
    assert row(result, "a")["valid"] == 1
    assert result["ballots"] == 3
