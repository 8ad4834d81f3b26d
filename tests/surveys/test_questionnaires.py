"""Publication rules (SPEC §4): a dissatisfied answer on every rating question, versions that
never change once published or answered."""

import pytest

from surveys import defaults, services
from surveys.errors import SurveyError
from surveys.models import Choice, Question, Questionnaire, QuestionnaireVersion

pytestmark = pytest.mark.django_db


def draft_with(questionnaire, *, negative: bool, kind="single", is_rating=True):
    published = questionnaire.latest_published()
    draft = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=published.number + 1
    )
    q = Question.objects.create(
        version=draft, position=0, code="q", text="总体评价", kind=kind, is_rating=is_rating
    )
    Choice.objects.create(question=q, position=0, value="good", label="满意", score=3)
    Choice.objects.create(
        question=q, position=1, value="bad", label="不满意", score=1, is_negative=negative
    )
    return draft


def test_shipped_versions_pass_the_rules(questionnaire):
    for version in QuestionnaireVersion.objects.all():
        assert version.is_published and services.publication_problems(version) == []


def test_rating_question_without_dissatisfied_answer_cannot_be_published(questionnaire):
    draft = draft_with(questionnaire, negative=False)
    with pytest.raises(SurveyError, match="没有表示不满意的选项"):
        services.publish(version=draft)
    draft.refresh_from_db()
    assert draft.status == QuestionnaireVersion.Status.DRAFT


def test_non_rating_question_needs_no_dissatisfied_answer(questionnaire):
    draft = draft_with(questionnaire, negative=False, is_rating=False)
    assert services.publish(version=draft).is_published


def test_version_with_dissatisfied_answer_publishes(questionnaire):
    assert services.publish(version=draft_with(questionnaire, negative=True)).is_published


def test_empty_version_cannot_be_published(questionnaire):
    draft = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=9)
    with pytest.raises(SurveyError, match="没有题目"):
        services.publish(version=draft)


def test_published_version_never_changes_and_editing_makes_a_new_version(questionnaire):
    version = questionnaire.latest_published()
    question = version.questions.get(code="attitude")
    question.text = "服务态度"
    with pytest.raises(SurveyError, match="不能修改"):
        question.save()
    choice = question.choices.first()
    choice.label = "差"
    with pytest.raises(SurveyError):
        choice.save()
    draft = services.new_draft(from_version=version)
    assert draft.number == version.number + 1 and not draft.is_frozen
    assert list(draft.questions.values_list("code", flat=True)) == list(
        version.questions.values_list("code", flat=True)
    )
    copied = draft.questions.get(code="attitude")
    copied.text = "服务态度"
    copied.save()
    assert version.questions.get(code="attitude").text == "工作态度"
    assert copied.choices.count() == 5 and copied.choices.filter(is_negative=True).count() == 2


def test_the_shipped_questionnaire_carries_english_beside_the_chinese(questionnaire):
    version = questionnaire.latest_published()
    attitude = version.questions.get(code="attitude")
    assert (attitude.text, attitude.text_en) == ("工作态度", "Work attitude")
    labels = {c.label: c.label_en for c in attitude.choices.all()}
    assert labels["很不满意"] == "Very dissatisfied" and labels["很满意"] == "Very satisfied"
    assert version.intro_en.startswith("Please rate from your own experience")
    assert not Question.objects.filter(text_en="").exclude(kind="text").exists()
    assert not Choice.objects.filter(label_en="").exists()


def test_the_migration_fills_english_only_where_the_words_are_as_shipped(questionnaire):
    version = questionnaire.latest_published()
    Question.objects.update(text_en="")
    Choice.objects.update(label_en="")
    version.questions.filter(code="style").update(text="工作作风（本县修改）")
    models = {m.__name__: m for m in (Questionnaire, QuestionnaireVersion, Question, Choice)}
    for spec in defaults.SHIPPED:
        defaults.fill_english(models, spec)
    assert version.questions.get(code="attitude").text_en == "Work attitude"
    assert version.questions.get(code="style").text_en == ""  # edited: stays Chinese
    assert not Choice.objects.filter(label_en="").exists()


def test_a_new_draft_keeps_the_english(questionnaire):
    draft = services.new_draft(from_version=questionnaire.latest_published())
    assert draft.intro_en and draft.questions.get(code="overall").text_en == "Overall rating"
    assert draft.questions.get(code="overall").choices.get(value="basic").label_en == (
        "Basically satisfied"
    )
