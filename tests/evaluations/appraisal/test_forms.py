"""Parsing what a secretary types: subjects with tags, rater groups, serial ranges."""

import pytest
from django import forms

from evaluations.appraisal.forms import parse_groups, parse_serials, parse_subjects


def test_subjects_carry_posts_and_tags():
    specs = parse_subjects("镇党委班子 班子\n张红，支部委员\n\n王芳 预备党员\n 李明 ")
    assert [(s.name, s.note, s.is_team, s.is_probationary) for s in specs] == [
        ("镇党委班子", "", True, False),
        ("张红", "支部委员", False, False),
        ("王芳", "", False, True),
        ("李明", "", False, False),
    ]


def test_groups_take_voters_and_relative_weights():
    specs = parse_groups("班子成员 7 0.3\n党员，40，2\n群众代表 20")
    assert [(g.name, g.voters, g.weight) for g in specs] == [
        ("班子成员", 7, 0.3),
        ("党员", 40, 2.0),
        ("群众代表", 20, 1.0),
    ]
    for bad in ("党员", "党员 0 1", "党员 5 -1", "党员 五 1"):
        with pytest.raises(forms.ValidationError):
            parse_groups(bad)


def test_serials_and_ranges():
    assert parse_serials("3, 7，12-15 2") == [2, 3, 7, 12, 13, 14, 15]
    for bad in ("a", "5-3", "1-99999"):
        with pytest.raises(forms.ValidationError):
            parse_serials(bad)
