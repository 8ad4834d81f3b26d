"""Editing a draft questionnaire version on a staff page: its opening words, the wording of its
questions and of their choices, and which choices say 不满意 (SPEC §4)."""

from django import forms

from surveys.models import Choice, Question, QuestionnaireVersion


class IntroForm(forms.ModelForm):
    class Meta:
        model = QuestionnaireVersion
        fields = ["intro"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 2})}


QuestionFormSet = forms.modelformset_factory(
    Question, fields=["text", "help_text", "required", "is_rating"], extra=0
)
ChoiceFormSet = forms.modelformset_factory(Choice, fields=["label", "is_negative"], extra=0)


def draft_forms(version, data=None) -> tuple:
    questions = version.questions.order_by("position")
    choices = Choice.objects.filter(question__version=version).select_related("question")
    return (
        IntroForm(data, instance=version, prefix="v"),
        QuestionFormSet(data, queryset=questions, prefix="q"),
        ChoiceFormSet(
            data, queryset=choices.order_by("question__position", "position"), prefix="c"
        ),
    )
