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


@register.filter
def pvalue(value):
    """0.00002 -> 'p < 0.001'; 0.0123 -> 'p = 0.012'; None -> 'p = —' (APA style)."""
    if _missing(value):  # also "" where a report with no ratings in scope has no test at all
        return "p = —"
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"
