"""Words our code writes into stored results (assessment reasons, tally flags and notes): kept
as a message and its parameters, and put into words in the reader's language when shown, so a
result computed once reads in Chinese or in English (issue 18 §8)."""

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy


def msgid(message) -> str:
    """The Chinese message id behind a string or a gettext_lazy label."""
    if isinstance(message, Promise):
        # A gettext_lazy label pickles as (gettext, (id,), {}): the id without switching
        # the language off and on (an assessment run notes ~20,000 of them, issue 16 §2).
        func, args, kw = message.__reduce__()[1][:3]
        if func is gettext and len(args) == 1 and not kw and isinstance(args[0], str):
            return args[0]
    with translation.override(None):  # no catalogue: gettext returns the id itself
        return str(message)


def _stored(value):
    if isinstance(value, Promise):
        return {"msg": msgid(value), "args": {}}
    if isinstance(value, list | tuple):
        return [_stored(v) for v in value]
    return value


def note(message, **args) -> dict:
    """A message marked for translation (a gettext_lazy or gettext_noop string) and its
    parameters; lazy labels among them (grade names) are kept as messages of their own."""
    return {"msg": msgid(message), "args": {k: _stored(v) for k, v in args.items()}}


def text(item) -> str:
    """A note in the active language; a plain string (typed by a user, or stored before notes
    kept their parameters) as it is."""
    if not isinstance(item, dict) or "msg" not in item:
        return str(item)
    args = {k: _shown(v) for k, v in item.get("args", {}).items()}
    return gettext(item["msg"]) % args


def _shown(value):
    if isinstance(value, dict) and "msg" in value:
        return text(value)
    if isinstance(value, list):
        return gettext("、").join(str(_shown(v)) for v in value)
    return value


def shipped(text: str, ours: frozenset):
    """A text our code ships (`ours`: marked with gettext_noop) as a lazy message, so it reads
    and is stored (note()) in the reader's language; one a user typed or edited, as it is."""
    return gettext_lazy(text) if text in ours else text


def texts(items) -> list[str]:
    return [text(item) for item in items or []]
