"""Stored notes read in the reader's language: the message and its figures are kept, the words
are made when shown (issue 18 §8)."""

import datetime as dt

from django.utils import translation

from analytics.assessment.grading import BY_BAND, GRADE_LABELS
from evaluations.org.notes import note, text, texts


def test_a_note_is_put_into_words_in_the_active_language():
    stored = note(BY_BAND, grade=GRADE_LABELS["competent"], bound="70")
    assert stored == {
        "msg": "按分数线（%(grade)s ≥ %(bound)s）建议为%(grade)s",
        "args": {"grade": {"msg": "称职", "args": {}}, "bound": "70"},
    }
    with translation.override("zh-hans"):
        assert text(stored) == "按分数线（称职 ≥ 70）建议为称职"
    with translation.override("en"):
        assert text(stored) == "By the bands (Competent ≥ 70) suggested as Competent"


def test_lists_and_plain_words():
    stored = note("%(a)s", a=[GRADE_LABELS["excellent"], GRADE_LABELS["competent"]])
    with translation.override("en"):
        assert text(stored) == "Excellent, Competent"
    with translation.override("zh-hans"):
        assert text(stored) == "优秀、称职"
    # a reason stored as words before notes kept their figures, or typed by a user
    assert texts(["旧的理由", stored]) == ["旧的理由", "优秀、称职"]


def test_a_visit_date_follows_the_language():
    from evaluations.visits.models import Visit

    visit = Visit(start_date=dt.date(2026, 3, 2), end_date=dt.date(2026, 3, 4))
    with translation.override("zh-hans"):
        assert visit.date_label() == "2026年3月2日至03月4日"  # Django's zh-hans formats
    with translation.override("en"):
        assert visit.date_label() == "March 2, 2026 to March 4"
