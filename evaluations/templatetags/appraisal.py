"""Presentation helpers of the appraisal pages."""

from django import template

register = template.Library()


@register.filter
def pct(value) -> str:
    """0.4167 → '41.7%'; None → '—'."""
    return "—" if value is None else f"{float(value):.1%}"


@register.filter
def score100(value) -> str:
    """A 0…1 weighted score shown on 0…100; None → '—'."""
    return "—" if value is None else f"{float(value) * 100:.1f}"
