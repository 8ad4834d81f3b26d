"""Read aloud (朗读, issue 19): the words a question or an intro is read with, and their audio.

Audio comes from Debian's `espeak-ng` (its Mandarin voice `cmn`; GPL-3, which does not cover the
audio it speaks) encoded to MP3 by Debian's `lame` (LGPL): MP3 is what WeChat's browsers play on
both iOS (WKWebView) and Android (X5). Each text is rendered once and stored keyed by a hash of
(text, voice), so the same words in any question, version or questionnaire share one file. It is
rendered when a version is published (surveys/tasks.py) or else on the first request.

Without the two programs no audio is offered: the page's button then uses the browser's own
voice, and stays hidden where there is none (docs/rating.md)."""

import hashlib
import shutil
import subprocess

from django.db import IntegrityError, transaction
from django.utils import translation

from surveys.models import Question, QuestionnaireVersion, SpokenText

# The espeak-ng voice per page language, and the separators its sentences are read with.
VOICES = {"zh": "cmn", "en": "en"}
SEPARATORS = {"zh": ("。", "，"), "en": (". ", ", ")}
# A sentence already ending in one of these gets no full stop after it ("burden?." read aloud).
SENTENCE_ENDS = ("?", "？", "!", "！", ".", "。")
# Slower than espeak-ng's 175 words a minute: many residents who use the button are elderly.
SPEED = "140"
# Mono at 24 kbit/s: clear speech, about 3 KB a second over a slow mobile network.
LAME_ARGS = ["--quiet", "-m", "m", "-b", "24"]
TIMEOUT = 30  # seconds; a sentence takes well under one


def page_language() -> str:
    """The key of VOICES for the active language: English pages are read in English."""
    return "en" if (translation.get_language() or "").startswith("en") else "zh"


def text_language(text: str) -> str:
    """The language `text` is read in: Chinese on Chinese pages and wherever the words are
    Chinese (an English page shows the Chinese where no English was written)."""
    if page_language() == "zh" or any("\u3400" <= ch <= "\u9fff" for ch in text):
        return "zh"
    return "en"


def voice_for(text: str) -> str:
    return VOICES[text_language(text)]


def question_text(q: Question) -> str:
    """What the button says for a question: the question, then its choices' words."""
    full_stop, comma = SEPARATORS[page_language()]
    text = q.shown_text().strip()
    labels = [c.shown_label().strip() for c in q.choices.all()]
    if not labels:
        return text
    return f"{_sentence(text, full_stop)}{comma.join(labels)}{full_stop}".strip()


def _sentence(text: str, full_stop: str) -> str:
    """`text` followed by a full stop, or by only the space after it if it ends a sentence."""
    if text.endswith(SENTENCE_ENDS):
        return text + full_stop[len(full_stop.rstrip()) :]
    return text + full_stop


def intro_text(version: QuestionnaireVersion) -> str:
    return version.shown_intro().strip()


def digest(text: str, voice_name: str) -> str:
    return hashlib.sha256(f"{voice_name}\n{text}".encode()).hexdigest()


def engine_available() -> bool:
    return shutil.which("espeak-ng") is not None and shutil.which("lame") is not None


def render(text: str, voice_name: str) -> bytes:
    """MP3 bytes of `text` spoken by espeak-ng's `voice_name`."""
    wav = subprocess.run(
        ["espeak-ng", "-v", voice_name, "-s", SPEED, "--stdout", "--", text],
        capture_output=True,
        check=True,
        timeout=TIMEOUT,
    ).stdout
    return subprocess.run(
        ["lame", *LAME_ARGS, "-", "-"], input=wav, capture_output=True, check=True, timeout=TIMEOUT
    ).stdout


def stored(text: str, voice_name: str) -> SpokenText | None:
    """The stored audio of `text`, rendered and stored first if it is not yet; None when it is
    not stored and the engine is missing."""
    key = digest(text, voice_name)
    found = SpokenText.objects.filter(digest=key).first()
    if found is not None:
        return found
    if not engine_available():
        return None
    audio = render(text, voice_name)
    try:
        with transaction.atomic():
            return SpokenText.objects.create(digest=key, voice=voice_name, text=text, audio=audio)
    except IntegrityError:  # another request rendered it meanwhile
        return SpokenText.objects.get(digest=key)


def version_texts(version: QuestionnaireVersion, questions) -> dict[str, str]:
    """The texts a version's page offers to read, keyed by what the audio URL names: "intro"
    and each question's code (text questions are read without choices)."""
    texts = {"intro": intro_text(version)} if intro_text(version) else {}
    for q in questions:
        texts[q.code] = question_text(q)
    return texts
