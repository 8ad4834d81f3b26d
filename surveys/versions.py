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
# A version is known by its id and publication time: a test database that reuses an id, or a
# version published anew, never meets an entry built for another.
_versions: dict[tuple, tuple[QuestionnaireVersion, list[Question]]] = {}
_markup: dict[tuple, str] = {}


def _key(version_id: int, published_at) -> tuple:
    return (version_id, published_at.isoformat() if published_at else None)


def published(version_id: int, published_at) -> QuestionnaireVersion:
    """The version with its ordered questions (and their choices) attached; queried the first
    time a worker meets it, from memory afterwards."""
    key = _key(version_id, published_at)
    entry = _versions.get(key)
    if entry is None:
        if len(_versions) >= MAX_ENTRIES:
            forget()
        version = QuestionnaireVersion.objects.get(pk=version_id)
        entry = (version, list(version.ordered_questions()))
        _versions[key] = entry
    return entry[0]


def questions_of(version: QuestionnaireVersion) -> list[Question]:
    """The ordered questions of a version: from memory when it is held there."""
    entry = _versions.get(_key(version.pk, version.published_at))
    if entry is not None and entry[0].status == QuestionnaireVersion.Status.PUBLISHED:
        return entry[1]
    return list(version.ordered_questions())


def questions_markup(form) -> str:
    """The question cards of an unanswered form (surveys/_questions.html), rendered once per
    version and language."""
    version = form.version
    key = (*_key(version.pk, version.published_at), translation.get_language())
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
