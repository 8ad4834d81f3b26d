"""Presentation helpers of the problem ledger."""

from django import template

register = template.Library()


@register.filter
def mask_phone(value: str) -> str:
    """A follow-up phone as most staff see it: 138****1234 (个人信息保护法 art. 6: minimal)."""
    digits = (value or "").strip()
    if not digits:
        return ""
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


@register.filter
def mask_name(value: str) -> str:
    """Only the family name: 张** (the name is for the follow-up call, not for reading)."""
    value = (value or "").strip()
    return f"{value[0]}{'*' * (len(value) - 1)}" if value else ""


@register.filter
def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"
