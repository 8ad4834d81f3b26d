"""A resident's response written in as few statements as the database allows (issue 15 §4).

The response is inserted only if its link is open and offers the ticket's version: one
`INSERT … SELECT` over the link, so a plain rating reads nothing first and the unique
constraints decide retries and second ratings. On PostgreSQL the answers and flags ride in the
same statement (data-modifying `WITH` clauses), which commits on its own: one round trip, like
the bare one-INSERT view. SQLite has no INSERT inside WITH: there the answers and flags follow
in the same transaction, the response's id coming back through RETURNING.

The response's and flags' values are prepared by the model's own fields (`pre_save`,
`get_db_prep_save`), and an answer's are integers and text, which its fields store as given: a
row is stored exactly as `Model.save` or `bulk_create` would store it."""

from django.db import connection, transaction

from surveys.models import Answer, Flag, QuestionnaireVersion, RatingLink, Response, StaffDevice

RESPONSE_COLUMNS = (
    "link_id",
    "version_id",
    "submission_id",
    "device_id",
    "submitted_at",
    "submitted_to_minute",
    "ip_hash",
    "ua_hash",
    "seconds_taken",
    "review",
    "flags",
    "channel",
    "helper_id",
    "helper_phone",
)
ANSWER_COLUMNS = ("question_id", "value", "score", "text")
FLAG_COLUMNS = ("code", "cluster", "evidence", "created_at")

# The link's own rule of being open (RatingLink.state) and the version's (published, of the
# link's questionnaire: what the rating page offered), as conditions of the insert.
_OPEN_LINK = (
    " FROM {links} l WHERE l.id = %s AND l.token = %s AND l.is_enabled"
    " AND ((l.valid_from IS NULL OR l.valid_from <= %s)"
    " AND (l.valid_until IS NULL OR l.valid_until > %s) OR %s)"
    " AND (l.max_responses IS NULL"
    " OR (SELECT COUNT(*) FROM {responses} x WHERE x.link_id = l.id) < l.max_responses)"
    " AND EXISTS (SELECT 1 FROM {versions} v WHERE v.id = %s"
    " AND v.questionnaire_id = l.questionnaire_id AND v.status = %s)"
    # A phone some staff account signed in on is not let in here when the caller asks: whether
    # the account is one the link rates is for the caller's slower path (surveys/views.py).
    " AND (CAST(%s AS varchar) IS NULL"
    " OR NOT EXISTS (SELECT 1 FROM {staff_devices} d WHERE d.device_hash = %s))"
)
_TABLES = {
    "links": RatingLink._meta.db_table,
    "responses": Response._meta.db_table,
    "versions": QuestionnaireVersion._meta.db_table,
    "answers": Answer._meta.db_table,
    "flags": Flag._meta.db_table,
    "staff_devices": StaffDevice._meta.db_table,
}
RESPONSE_SQL = (
    "INSERT INTO {responses} ("
    + ", ".join(RESPONSE_COLUMNS)
    + ") SELECT "
    + ", ".join(["%s"] * len(RESPONSE_COLUMNS))
    + _OPEN_LINK
).format(**_TABLES)


_FIELDS = {model: {f.column: f for f in model._meta.concrete_fields} for model in (Response, Flag)}


def _prepared(obj, columns) -> list:
    """The row's values as the model's fields hand them to the database."""
    fields = _FIELDS[type(obj)]
    return [fields[c].get_db_prep_save(fields[c].pre_save(obj, True), connection) for c in columns]


def _values(rows: list[list], width: int) -> str:
    row = "(" + ", ".join(["%s"] * width) + ")"
    return ", ".join([row] * len(rows))


def insert_response(
    response: Response,
    token: str,
    now,
    answer_rows: list[tuple],
    flags: list[Flag],
    *,
    any_time: bool = False,
    staff_phone: str | None = None,
) -> int | None:
    """Insert the response with its answers (rows of ANSWER_COLUMNS: ints and text, which every
    field stores as given) and flags if its link (`response.link_id`, whose token is `token`) is
    open at `now` and offers `response.version_id`; its id, or None when the link did not let it
    in. IntegrityError when a constraint refuses it (nothing stored). `any_time`: the link's
    dates do not bind (a paper sheet filled in during the visit is typed in afterwards).
    `staff_phone`: the phone's staff-device hash; None stored when a staff account signed in on
    it (surveys.assisted.models.StaffDevice)."""
    when = RatingLink._meta.get_field("valid_from").get_db_prep_value(now, connection)
    published = QuestionnaireVersion.Status.PUBLISHED.value
    params = [
        *_prepared(response, RESPONSE_COLUMNS),
        response.link_id,
        token,
        when,
        when,
        any_time,
        response.version_id,
        published,
        staff_phone,
        staff_phone,
    ]
    flag_rows = [_prepared(f, FLAG_COLUMNS) for f in flags]
    if connection.vendor == "postgresql":
        return _in_one_statement(params, answer_rows, flag_rows)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(RESPONSE_SQL + " RETURNING id", params)
        row = cursor.fetchone()
        if row is None:
            return None
        for table, columns, rows in (
            (_TABLES["answers"], ANSWER_COLUMNS, answer_rows),
            (_TABLES["flags"], FLAG_COLUMNS, flag_rows),
        ):
            if rows:
                cursor.execute(
                    f"INSERT INTO {table} (response_id, {', '.join(columns)})"
                    f" VALUES {_values(rows, len(columns) + 1)}",
                    [value for r in rows for value in (row[0], *r)],
                )
    return row[0]


def _in_one_statement(params: list, answer_rows: list[list], flag_rows: list[list]) -> int | None:
    parts = [f"WITH r AS ({RESPONSE_SQL} RETURNING id)"]
    # Typed, so that a column of NULLs only (no score among text answers) still fits.
    for name, table, columns, casts, rows in (
        ("a", _TABLES["answers"], ANSWER_COLUMNS, ("bigint", None, "smallint", None), answer_rows),
        ("f", _TABLES["flags"], FLAG_COLUMNS, (None, None, "jsonb", "timestamptz"), flag_rows),
    ):
        if not rows:
            continue
        picked = ", ".join(
            f"CAST(n.{c} AS {cast})" if cast else f"n.{c}"
            for c, cast in zip(columns, casts, strict=True)
        )
        parts.append(
            f", {name} AS (INSERT INTO {table} (response_id, {', '.join(columns)})"
            f" SELECT r.id, {picked} FROM r CROSS JOIN (VALUES {_values(rows, len(columns))})"
            f" AS n ({', '.join(columns)}))"
        )
        params += [value for r in rows for value in r]
    sql = "".join(parts) + " SELECT id FROM r"
    # Alone, the statement is its own transaction; inside a caller's, a savepoint keeps a refused
    # insert from spoiling it.
    if connection.in_atomic_block:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
    return row[0] if row else None
