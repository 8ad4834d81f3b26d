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


@register.filter
def pvalue(value):
    """0.00002 -> 'p < 0.001'; 0.0123 -> 'p = 0.012'; None -> 'p = —' (APA style)."""
    if value is None or value != value:
        return "p = —"
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"
