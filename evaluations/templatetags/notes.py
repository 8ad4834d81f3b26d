"""Stored notes (surveys.notes) in the reader's language."""

from django import template

from surveys import notes

register = template.Library()


@register.filter
def note(value) -> str:
    """{{ reason|note }}: a message with its figures, or a user's words as typed."""
    return notes.text(value)
