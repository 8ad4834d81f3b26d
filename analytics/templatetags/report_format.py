from django import template

register = template.Library()


def _missing(value) -> bool:
    # None, NaN, or "" where a report with no ratings in scope has no figure at all
    return not isinstance(value, int | float) or value != value


@register.filter
def pct(value, digits=0):
    """0.8123 -> '81%'; None -> '—'."""
    if _missing(value):
        return "—"
    return f"{value * 100:.{int(digits)}f}%"


@register.filter
def num(value, digits=1):
    if _missing(value):
        return "—"
    return f"{value:.{int(digits)}f}"
