"""Reads of the response engine."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from surveys import cells, exporting
from surveys.models import Answer, Question, QuestionnaireVersion, RatingLink, Response


def export_columns(links) -> list[tuple[str, str]]:
    """(code, text) per question, in questionnaire order, over the versions answered; the text
    is the latest version's wording of that code."""
    rows = (
        Question.objects.filter(version__responses__link__in=links)
        .order_by("version_id", "position")
        .values_list("code", "text")
        .distinct()
    )
    seen: dict[str, str] = {}
    for code, text in rows:
        seen[code] = text
    return list(seen.items())


def response_headers(questions, style: str = "zh") -> list[str]:
    """The header row: English codes for scripts, Chinese words (the question's text) for people."""
    if style == "codes":
        return [
            "token",
            "submitted_at",
            "review",
            "flags",
            "version",
            "channel",
            *(c for c, _t in questions),
        ]
    fixed = [_("评价链接"), _("提交时间"), _("复核状态"), _("疑点"), _("问卷版本"), _("评价渠道")]
    return [*map(str, fixed), *(text or code for code, text in questions)]


def write_responses_csv(out, links, *, style: str = "codes", channels=None) -> int:
    """Header, then one row per response: token, submitted time, review state, flags, version,
    channel (web, paper, assisted), then one column per question (the choice value, or the
    text). Streams in chunks. For people (`zh`): a BOM, Chinese headers, review states and
    channels; for scripts (`codes`): as stored. `channels`: only responses of these channels."""
    links = links.order_by("pk")
    questions = export_columns(links)
    columns = [code for code, _text in questions]
    head = io.StringIO()  # the BOM and the header in one write (a command's stdout adds newlines)
    cells.csv_writer(head).writerow(response_headers(questions, style))
    out.write((exporting.BOM if style == "zh" else "") + head.getvalue())
    writer = cells.csv_writer(out)
    responses = Response.objects.filter(link__in=links)
    if channels:
        responses = responses.filter(channel__in=channels)
    responses = responses.order_by("pk").values_list(
        "pk", "link__token", "submitted_at", "review", "flags", "version__number", "channel"
    )
    rows = 0
    batch = []
    for item in responses.iterator(chunk_size=2000):
        batch.append(item)
        if len(batch) == 2000:
            rows += _write_batch(writer, batch, columns, style)
            batch = []
    if batch:
        rows += _write_batch(writer, batch, columns, style)
    return rows


def _write_batch(writer, batch, columns, style) -> int:
    answers = {}
    for response_id, code, value, text in Answer.objects.filter(
        response_id__in=[b[0] for b in batch]
    ).values_list("response_id", "question__code", "value", "text"):
        answers.setdefault(response_id, {})[code] = text or value
    for pk, token, submitted, review, flags, version, channel in batch:
        got = answers.get(pk, {})
        if style == "zh":
            review = Response.Review(review).label
            channel = Response.Channel(channel).label
        writer.writerow(
            [
                token,
                timezone.localtime(submitted).isoformat(),
                review,
                ";".join(flags),
                version,
                channel,
                *(got.get(c, "") for c in columns),
            ]
        )
    return len(batch)


def active_links():
    return RatingLink.objects.active().order_by("pk")


# The link with, in the same statement, the version a request uses: the latest published one,
# or the ticket's if that is a published version of the link's questionnaire (else NULL).
# Written as SQL because the ORM spends longer compiling this query than the database running it.
_LINK_SQL = (
    "SELECT l.*, (SELECT v.id FROM {versions} v WHERE v.questionnaire_id = l.questionnaire_id"
    " AND v.status = %s{ticket} ORDER BY v.number DESC LIMIT 1) AS version_pk"
    " FROM {links} l WHERE l.token = %s"
)
_TABLES = {
    "versions": QuestionnaireVersion._meta.db_table,
    "links": RatingLink._meta.db_table,
}
LINK_SQL = _LINK_SQL.format(ticket="", **_TABLES)
LINK_WITH_TICKET_SQL = _LINK_SQL.format(ticket=" AND v.id = %s", **_TABLES)


def link_with_version(token: str, version_id: int | None = None) -> RatingLink | None:
    """The rating link of `token`, with `version_pk`: the version the resident's request uses."""
    published_status = QuestionnaireVersion.Status.PUBLISHED.value
    if version_id is None:
        found = RatingLink.objects.raw(LINK_SQL, [published_status, token])
    else:
        found = RatingLink.objects.raw(LINK_WITH_TICKET_SQL, [published_status, version_id, token])
    return next(iter(found), None)
