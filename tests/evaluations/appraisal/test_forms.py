"""The appraisal set-up as forms (issue 17 §6): grade points as labelled number fields, subjects
picked from the branch's party members or typed as rows, rater groups as rows; serial ranges."""

import pytest
from django import forms

from evaluations.appraisal.forms import SessionSetup, parse_serials
from evaluations.appraisal.scales import DEFAULT_POINTS
from tests.evaluations.appraisal.helpers import branch_of, make_session, secretary
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


def rows(prefix, items, total=None):
    data = {f"{prefix}-TOTAL_FORMS": str(total or len(items)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, item in enumerate(items):
        data.update({f"{prefix}-{i}-{key}": value for key, value in item.items()})
    return data


def posted(branch, *, subjects=(), groups=(), cadres=(), **extra):
    data = {
        "branch": branch.pk,
        "period": "2026年度",
        "kind": "members",
        "scale": "members",
        "quorum_fraction": "1/2",
        "flag_fraction": "1/3",
        "excellent_cap_fraction": "1/3",
        "excellent_majority_fraction": "1/2",
        **{f"points_{code}": str(value) for code, value in DEFAULT_POINTS.items()},
        **rows("subject", list(subjects), total=max(len(subjects), 3)),
        **rows("group", list(groups), total=max(len(groups), 2)),
        "cadres": [c.pk for c in cadres],
    }
    data.update(extra)
    return data


def test_rows_and_picked_members_become_subjects_and_groups(world):
    branch, _other = branch_of(world)
    shuji = secretary(branch)
    member = CadreFactory(unit=branch, name="张红", post="支部委员")
    setup = SessionSetup(
        posted(
            branch,
            subjects=[{"name": "李明"}, {"name": "王芳", "is_probationary": "on"}],
            groups=[
                {"name": "党员", "voters": "30", "weight": "0.6"},
                {"name": "群众代表", "voters": "10"},
            ],
            cadres=[member],
            points_excellent="0.95",
        ),
        user=shuji,
    )
    assert setup.is_valid(), (setup.form.errors, setup.group_rows.errors)
    subjects = [(s.name, s.note, s.is_probationary, s.cadre) for s in setup.subjects()]
    assert subjects == [
        ("李明", "", False, None),
        ("王芳", "", True, None),
        ("张红", "支部委员", False, member),
    ]
    assert [(g.name, g.voters, g.weight) for g in setup.groups()] == [
        ("党员", 30, 0.6),
        ("群众代表", 10, 1.0),
    ]
    session = setup.form.save(commit=False)
    assert session.grade_points["excellent"] == 0.95
    assert session.grade_points["qualified"] == DEFAULT_POINTS["qualified"]


def test_grade_points_are_labelled_numbers_between_0_and_1(world):
    branch, _other = branch_of(world)
    setup = SessionSetup(posted(branch, points_excellent="1.5"), user=secretary(branch))
    assert not setup.is_valid() and "points_excellent" in setup.form.errors
    assert setup.form.fields["points_excellent"].label == "“优秀”的分值"
    assert setup.form.fields["points_fairly_good"].label == "“较好”的分值"
    assert setup.form.fields["points_qualified"].initial == DEFAULT_POINTS["qualified"]


def test_a_group_row_needs_its_voters_and_only_members_of_the_branch_are_picked(world):
    branch, other_county = branch_of(world)
    outsider = CadreFactory(unit=branch.parent, name="镇干部")
    town_secretary = secretary(branch.parent)  # sees the town's cadres, picks the village branch
    setup = SessionSetup(
        posted(branch, groups=[{"name": "党员"}], cadres=[outsider]), user=town_secretary
    )
    assert not setup.is_valid()
    assert setup.group_rows.errors[0] == {"voters": ["请填写应参加人数。"]}
    assert "不是本支部的党员：镇干部" in str(setup.form.errors["cadres"])
    far = CadreFactory(unit=other_county, name="外县干部")
    assert far not in SessionSetup(user=secretary(branch, "s2")).form.fields["cadres"].queryset


def test_editing_a_session_fills_its_rows_back_in(world):
    branch, _other = branch_of(world)
    shuji = secretary(branch)
    session = make_session(branch, shuji, open_it=False, groups=(("党员", 12, 1), ("群众", 5, 0.5)))
    setup = SessionSetup(instance=session, user=shuji)
    names = [f.initial.get("name") for f in setup.subject_rows.forms if f.initial]
    assert names == ["甲党员", "乙党员", "丙党员", "丁预备"]
    groups = [(f.initial["name"], f.initial["voters"]) for f in setup.group_rows.forms if f.initial]
    assert groups == [("党员", 12), ("群众", 5)]
    assert len(setup.subject_rows.forms) == 4 + 8  # and empty rows to add more


def test_serials_and_ranges():
    assert parse_serials("3, 7，12-15 2") == [2, 3, 7, 12, 13, 14, 15]
    for bad in ("a", "5-3", "1-99999"):
        with pytest.raises(forms.ValidationError):
            parse_serials(bad)
