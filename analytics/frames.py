"""Responses as a compact pandas frame, pivoted by the database.

One query turns the answer rows into one row per response (conditional aggregation), streamed
with `iterator()` into small-integer columns; no ORM object is ever built. Everything after
that is vectorised in pandas (analytics/satisfaction.py, analytics/stats.py)."""

import pandas as pd
from django.conf import settings
from django.db.models import CharField, Max, Q
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy

from evaluations.models import Cadre, Visit
from surveys.models import Response

DIMENSIONS = ("attitude", "style", "results")  # 002: 工作态度、工作作风、工作实绩
DIMENSION_LABELS = {
    "attitude": gettext_lazy("工作态度"),
    "style": gettext_lazy("工作作风"),
    "results": gettext_lazy("工作实绩"),
}
OFFICIAL = Response.Review.counted()
SATISFIED_VALUES = ("satisfied", "basic")  # 满意 + 基本满意 count toward 满意率 (SPEC §6)
COLUMNS = ["response_id", "month", "cadre_id", "visit_kind", "channel", *DIMENSIONS, "overall"]


def _score(code):
    return Max("answers__score", filter=Q(answers__question__code=code))


CHANNELS = tuple(Response.Channel.values)  # web, paper, assisted (issue 19 §5)


def rated_links(user, *, cadre_ids=None) -> tuple:
    """(visits, cards): the visits and contact cards the user may see (the one jurisdiction
    method), of `cadre_ids` only if given; their rating links are the ratings' scope."""
    visits, cards = Visit.objects.visible_to(user), Cadre.objects.visible_to(user)
    if cadre_ids is not None:
        visits, cards = visits.filter(lead_id__in=cadre_ids), cards.filter(pk__in=cadre_ids)
    return visits, cards


def scoped_responses(
    user,
    *,
    year: int | None = None,
    official: bool = True,
    channels=None,
    before=None,
    cadre_ids=None,
):
    """Responses about visits and contact cards the user may see (`rated_links`), about
    `cadre_ids` only if given, from every channel or only `channels` (web, paper, assisted);
    stored before `before` if given. The scope is a set of link ids, so a report groups the
    ratings without joining the visits and cards (issue 16 §2)."""
    visits, cards = rated_links(user, cadre_ids=cadre_ids)
    qs = Response.objects.filter(
        Q(link_id__in=visits.values("rating_link_id"))
        | Q(link_id__in=cards.values("contact_link_id"))
    )
    if official:
        qs = qs.filter(review__in=OFFICIAL)
    if year is not None:
        qs = qs.filter(submitted_at__year=year)
    if channels:
        qs = qs.filter(channel__in=channels)
    if before is not None:
        qs = qs.filter(submitted_at__lt=before)
    return qs


def responses_frame(user, *, year: int | None = None, cadre_ids=None, channels=None):
    qs = scoped_responses(user, year=year, channels=channels, cadre_ids=cadre_ids)
    rows = (
        qs.annotate(
            cadre=Coalesce("link__visit__lead_id", "link__cadre_card__id"),
            visit_kind=Coalesce("link__visit__kind", None),
            # Text, not a datetime: SQLite would run a Python function per row to truncate it;
            # pandas parses the column at once and takes the month in the local time zone.
            at=Cast("submitted_at", CharField()),
        )
        .values("pk", "at", "cadre", "visit_kind", "channel")
        .annotate(
            **{code: _score(code) for code in DIMENSIONS},
            overall=Max("answers__value", filter=Q(answers__question__code="overall")),
        )
        .order_by()
        .values_list("pk", "at", "cadre", "visit_kind", "channel", *DIMENSIONS, "overall")
    )
    frame = pd.DataFrame.from_records(rows.iterator(chunk_size=5000), columns=COLUMNS)
    for code in DIMENSIONS:
        frame[code] = pd.to_numeric(frame[code], errors="coerce").astype("float64")
    frame["visit_kind"] = frame["visit_kind"].fillna("card")
    if len(frame):
        at = pd.to_datetime(frame["month"], utc=True, format="ISO8601").dt.tz_convert(
            settings.TIME_ZONE
        )
        frame["month"] = at.dt.strftime("%Y-%m")
    frame["composite"] = frame[list(DIMENSIONS)].mean(axis=1)
    return frame


class _System:
    """The scope of management commands and of peer groups: everything, like a superuser."""

    is_authenticated = True
    is_superuser = True


SYSTEM = _System()
