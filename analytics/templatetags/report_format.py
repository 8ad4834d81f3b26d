from django import template

register = template.Library()


@register.filter
def pct(value, digits=0):
    """0.8123 -> '81%'; None -> '—'."""
    if value is None or value != value:
        return "—"
    return f"{value * 100:.{int(digits)}f}%"


@register.filter
def num(value, digits=1):
    if value is None or value != value:
        return "—"
    return f"{value:.{int(digits)}f}"
