"""The 评价渠道 filter of every report (issue 19 §5): all channels, or only web, paper or
assisted responses, passed as `channels=` to analytics.sufficient.cells."""

from django.core.exceptions import BadRequest
from django.utils.translation import gettext

from surveys.models import Response

# The per-channel counts every score table shows beside n (analytics.sufficient).
COUNT_KEYS = (
    ("n_web", Response.Channel.WEB),
    ("n_paper", Response.Channel.PAPER),
    ("n_assisted", Response.Channel.ASSISTED),
)


def chosen(values) -> list[str] | None:
    """The channels asked for (`?channel=paper&channel=assisted`); None means every channel
    (an empty value is the select's 全部渠道). An unknown one is a bad request, never a filter
    that silently does nothing."""
    values = {v for v in values if v}
    if values - set(Response.Channel.values):
        raise BadRequest(gettext("评价渠道只能是手机扫码、纸质问卷或协助填写。"))
    return sorted(values) or None


def named(picked: list[str] | None) -> str:
    """The filter as a part of a file name ("仅纸质问卷"), so that two downloads differ."""
    return described(picked).strip().strip("（）() ")


def options(picked: list[str] | None) -> list[tuple[str, str, bool]]:
    """(value, label, selected) for the filter's select."""
    return [(c.value, c.label, bool(picked) and c.value in picked) for c in Response.Channel]


def query(picked: list[str] | None) -> str:
    """The filter as query-string pairs for links that keep it (`&channel=...`)."""
    return "".join(f"&channel={c}" for c in picked or ())


def described(picked: list[str] | None) -> str:
    """The filter in words for a title ("（仅纸质问卷）"); empty for every channel, so a file of
    one channel's ratings never reads like the whole."""
    if not picked:
        return ""
    labels = gettext("、").join(str(c.label) for c in Response.Channel if c.value in picked)
    return gettext("（仅%(channels)s）") % {"channels": labels}


def listed(picked: list[str] | None) -> str:
    """The assessment table's filter in words: it lists some cadres, it recomputes nothing."""
    if not picked:
        return ""
    labels = gettext("、").join(str(c.label) for c in Response.Channel if c.value in picked)
    return gettext("（仅列出有%(channels)s评价的干部）") % {"channels": labels}
