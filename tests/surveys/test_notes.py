"""Stored notes read in the reader's language: the message and its figures are kept, the words
are made when shown (issue 18 §8)."""

from django.utils import translation
from django.utils.translation import gettext_lazy

from surveys.notes import note, text, texts

# Messages of the catalogue (analytics.assessment.grading's), written here as the engine sees them.
BY_BAND = gettext_lazy("按分数线（%(grade)s ≥ %(bound)s）建议为%(grade)s")
GRADE_LABELS = {"excellent": gettext_lazy("优秀"), "competent": gettext_lazy("称职")}


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


def test_the_message_id_is_kept_whatever_the_language():
    """msgid reads a gettext_lazy label's id without switching languages; other lazy labels
    (with a context) still give their id, under English as under Chinese."""
    from django.utils.translation import pgettext_lazy

    from surveys.notes import msgid

    with_context = pgettext_lazy("quota", "达标")
    for language in ("en", "zh-hans"):
        with translation.override(language):
            assert msgid(BY_BAND) == "按分数线（%(grade)s ≥ %(bound)s）建议为%(grade)s"
            assert msgid(GRADE_LABELS["competent"]) == "称职"
            assert msgid(with_context) == "达标"
            assert msgid("达标") == "达标"
