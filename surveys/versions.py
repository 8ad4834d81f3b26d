"""Published questionnaire versions held in each web worker's memory.

A published version never changes (SPEC §4; `Question.save` refuses it), so its questions and
the markup of its unanswered form are built once per worker and reused: a resident's GET then
costs no question query and no widget rendering, and a POST validates and stores the answers
against the same in-memory questions. Only the ticket and what a resident typed (a bound form,
shown after an error) are rendered per request."""

from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.utils import translation

from surveys.models import Question, QuestionnaireVersion

# Enough for every version a county serves at once; past it the memory starts afresh.
MAX_ENTRIES = 256
# Keyed by version id: ids are never reused by a database in service, and any save of a version,
# question or choice (a test database that reuses an id creates its version anew) clears them.
_versions: dict[int, tuple[QuestionnaireVersion, list[Question]]] = {}
_markup: dict[tuple, str] = {}


def published(version_id: int) -> QuestionnaireVersion:
    """The version with its ordered questions (and their choices) attached; queried the first
    time a worker meets it, from memory afterwards. The caller has checked it is published."""
    entry = _versions.get(version_id)
    if entry is None:
        if len(_versions) >= MAX_ENTRIES:
            forget()
        version = QuestionnaireVersion.objects.get(pk=version_id)
        entry = (version, list(version.ordered_questions()))
        _versions[version_id] = entry
    return entry[0]


def held(version_id: int) -> QuestionnaireVersion | None:
    """The version if this worker holds it (it was published when first met), else None."""
    entry = _versions.get(version_id)
    return entry[0] if entry is not None else None


def questions_of(version: QuestionnaireVersion) -> list[Question]:
    """The ordered questions of a version: from memory when it is held there."""
    entry = _versions.get(version.pk)
    if entry is not None and entry[0].status == QuestionnaireVersion.Status.PUBLISHED:
        return entry[1]
    return list(version.ordered_questions())


def choice_scores(question: Question) -> dict[str, int | None]:
    """{value: score} of a question's choices, built once per question object (a held version's
    questions live as long as the worker holds the version)."""
    scores = question.__dict__.get("_choice_scores")
    if scores is None:
        scores = {c.value: c.score for c in question.choices.all()}
        question.__dict__["_choice_scores"] = scores
    return scores


def questions_markup(form) -> str:
    """The question cards of an unanswered form (surveys/_questions.html), rendered once per
    version and language."""
    version = form.version
    key = (version.pk, translation.get_language())
    markup = _markup.get(key)
    if markup is None:
        if len(_markup) >= MAX_ENTRIES:
            _markup.clear()
        markup = render_to_string("surveys/_questions.html", {"form": form})
        _markup[key] = markup
    return markup


def forget(**kwargs) -> None:
    _versions.clear()
    _markup.clear()


def _on_change(sender, **kwargs) -> None:
    # Drafts are never held, but a draft's edits or a publication clear the memory anyway.
    if sender._meta.label in ("surveys.QuestionnaireVersion", "surveys.Question", "surveys.Choice"):
        forget()


post_save.connect(_on_change, dispatch_uid="surveys.versions.save")
post_delete.connect(_on_change, dispatch_uid="surveys.versions.delete")
