"""Face answers (issue 19 point 1): which questions show faces, which face each choice gets, and
the page's markup: a face beside unchanged words, hidden from screen readers, still a radio."""

import re

import pytest

from surveys.faces import face_levels

pytestmark = pytest.mark.django_db


def test_a_five_point_scale_gets_the_five_faces_in_order():
    scores = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
    assert face_levels(scores) == {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5}


def test_the_overall_scale_spans_very_unhappy_to_very_happy():
    assert face_levels({"satisfied": 3, "basic": 2, "dissatisfied": 1}) == {
        "satisfied": 5,
        "basic": 3,
        "dissatisfied": 1,
    }


def test_answers_that_are_no_scale_get_no_faces():
    assert face_levels({"yes": None, "no": None, "unknown": None}) == {}
    assert face_levels({"a": 1, "b": None}) == {}
    assert face_levels({"a": 2, "b": 2}) == {}
    assert face_levels({}) == {}


def test_the_page_shows_faces_beside_the_words_of_scored_questions_only(client, visit):
    html = client.get(visit.rating_link.get_absolute_url()).content.decode()
    faces = re.findall(
        r'<label for="(id_\w+)_\d+" class="face"><input type="radio"[^>]*>'
        r'<svg class="f f(\d)"[^>]*aria-hidden="true"[^>]*>.*?</svg><span>([^<]+)</span></label>',
        html,
    )
    by_question = {}
    for field, level, words in faces:
        by_question.setdefault(field, []).append((int(level), words))
    scale = [(1, "很不满意"), (2, "不满意"), (3, "一般"), (4, "满意"), (5, "很满意")]
    assert by_question == {
        "id_attitude": scale,
        "id_style": scale,
        "id_results": scale,
        "id_overall": [(5, "满意"), (3, "基本满意"), (1, "不满意")],
    }
    assert html.count('class="f f') == len(faces) == 18
