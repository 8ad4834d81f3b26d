"""What a paper sheet prints, as words: one source for the PDF and for the third look's page, so
the person holding the sheet sees on screen what is on paper (never an internal choice code)."""

from django.utils.translation import gettext as _

from surveys.models import Question


def question_line(number: int, q: Question) -> str:
    """The question as numbered on the sheet, with the note of an optional one unless its
    own words say so already ("意见和建议（选填）")."""
    text = f"{number}. {q.shown_text()}"
    note = _("（可不填）")
    says_so = any(word in text for word in ("选填", "可不填", note.strip()))
    return text + note if not q.required and not says_so else text


def answer_words(q: Question | None, value: str) -> str:
    """A stored reading as printed: the chosen box's label, the written text, or 未填."""
    if not value:
        return _("（未填）")
    if q is None or q.kind == Question.Kind.TEXT:
        return value
    return next((c.shown_label() for c in q.choices.all() if c.value == value), value)
