"""Reads of the questionnaire pages: versions with their answer counts, a version's history."""

from django.db.models import Count, Prefetch

from evaluations.org import history
from surveys.models import Choice, Question, Questionnaire, QuestionnaireVersion


def questionnaires():
    versions = QuestionnaireVersion.objects.annotate(answered=Count("responses")).order_by("number")
    return Questionnaire.objects.order_by("code").prefetch_related(
        Prefetch("versions", queryset=versions)
    )


def version_history(version) -> list:
    return history.merged(
        history.entries(QuestionnaireVersion.history.filter(id=version.pk), title=("number",)),
        history.entries(Question.history.filter(version_id=version.pk), title=("code",)),
        history.entries(
            Choice.history.filter(question__version_id=version.pk), title=("question", "value")
        ),
    )
