"""The resident's form, built from a questionnaire version. Nothing is ever preselected."""

import copy
import uuid

from django import forms
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from surveys import speech
from surveys.faces import MOUTHS, face_levels
from surveys.models import Question, QuestionnaireVersion
from surveys.versions import questions_of

TICKET_SALT = "surveys.ticket"
THANKS_SALT = "surveys.thanks"
REPLACEMENT_CHAR = "\ufffd"


def make_ticket(version: QuestionnaireVersion, link_id: int, device_id: str) -> str:
    """A signed hidden field: which link and version the page showed, to which device, when
    (time on page is measured from it), and the submission id that makes a retried POST
    idempotent. Tampering with any of it breaks the signature."""
    payload = {
        "s": uuid.uuid4().hex,
        "l": link_id,
        "v": version.pk,
        "d": device_id,
        "t": int(timezone.now().timestamp()),
    }
    return signing.dumps(payload, salt=TICKET_SALT, compress=True)


def read_ticket(ticket: str) -> dict | None:
    try:
        payload = signing.loads(ticket, salt=TICKET_SALT)
        return {
            "s": uuid.UUID(payload["s"]),
            "l": int(payload["l"]),
            "v": int(payload["v"]),
            "d": str(payload["d"]),
            "t": int(payload["t"]),
        }
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


class FaceSelect(forms.RadioSelect):
    """Radio buttons whose options carry their face (surveys/faces.py) for the template."""

    def __init__(self, *args, faces: dict[str, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.faces = faces or {}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        level = self.faces.get(str(value))
        if level is not None:
            option["face"] = level
            option["mouth"] = MOUTHS[level]
        return option


def say_url(version_id: int, key: str) -> str:
    """Where the 朗读 button fetches its audio, or "" when this server cannot render audio."""
    if not speech.engine_available():
        return ""
    return reverse("surveys:say", args=[version_id, speech.page_language(), key])


class ResidentForm(forms.Form):
    ticket = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, version: QuestionnaireVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        for q in questions_of(version):
            self.fields[q.code] = self._shared_field(q)

    def intro_say(self) -> str:
        return speech.intro_text(self.version)

    def intro_say_lang(self) -> str:
        return speech.text_language(self.intro_say())

    def intro_say_url(self) -> str:
        return say_url(self.version.pk, "intro")

    @classmethod
    def _shared_field(cls, q: Question) -> forms.Field:
        """A question's field, built once per question object: a published version's questions
        are held in memory (surveys/versions.py), so each worker builds its fields once. Nothing
        per request is stored on a field (values and errors live on the form)."""
        fields = q.__dict__.setdefault("_resident_fields", {})  # one per language
        language = translation.get_language()
        field = fields.get(language)
        if field is None:
            field = fields[language] = cls._field_for(q)
            field.say = speech.question_text(q)  # what its 朗读 button reads
            field.say_lang = speech.text_language(field.say)
            field.say_url = say_url(q.version_id, q.code)
        return field

    @staticmethod
    def _field_for(q: Question) -> forms.Field:
        if q.kind == Question.Kind.TEXT:
            return forms.CharField(
                label=q.shown_text(),
                help_text=q.shown_help_text(),
                required=q.required,
                max_length=q.max_length,
                strip=True,
                # The question's legend (rate.html) names the box for screen readers.
                widget=forms.Textarea(
                    attrs={"rows": 3, "maxlength": q.max_length, "aria-labelledby": f"q-{q.code}"}
                ),
                error_messages={
                    "required": _("请填写此项。"),
                    "max_length": _("最多 %(limit_value)d 字，现在是 %(show_value)d 字。"),
                },
            )
        choices = list(q.choices.all())
        return forms.ChoiceField(
            label=q.shown_text(),
            help_text=q.shown_help_text(),
            required=q.required,
            choices=[(c.value, c.shown_label()) for c in choices],
            widget=FaceSelect(faces=face_levels({c.value: c.score for c in choices})),
            error_messages={
                "required": _("请选择一项。"),
                "invalid_choice": _("所选答案无效，请重新选择。"),
            },
        )

    def clean(self):
        cleaned = super().clean()
        for value in self.data.values():
            if REPLACEMENT_CHAR in str(value):
                raise forms.ValidationError(
                    _("提交的内容含有无法识别的字符，请检查后重新提交。"), code="encoding"
                )
        return cleaned

    def full_clean(self):
        super().full_clean()
        # Without JavaScript the browser still puts the cursor on the first question to fix.
        # Fields are shared by every request of a worker: mark a copy, never the shared one.
        first = next((name for name in self.fields if name in self.errors), None)
        if first is not None:
            self.fields[first] = copy.deepcopy(self.fields[first])
            self.fields[first].widget.attrs["autofocus"] = True
            self._bound_fields_cache.pop(first, None)  # bound to the shared field until now

    def question_fields(self):
        return [self[name] for name in self.fields if name != "ticket"]
