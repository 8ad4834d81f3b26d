"""Long staff lists, one mechanism for all of them: a search box, filters, a sort order, pages of
PAGE_SIZE rows and the filtered list as an Excel file (all rows, not only the page)."""

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse, QueryDict
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font

from surveys import cells, exporting

PAGE_SIZE = 50
EXPORT_LIMIT = 20_000  # rows in one Excel export: a county's year of visits is a few thousand


@dataclass(frozen=True)
class Spec:
    """What a list can be searched, filtered and sorted by; the first sort is the default."""

    search: tuple[str, ...]
    sorts: dict  # key -> (label, order_by fields)
    # GET name -> (label, model field, choices); choices may be a function of the unfiltered
    # queryset (the years that have rows), read when the page is built.
    filters: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RowSpec:
    """The same for a list built in Python (rows of a report, not a queryset)."""

    text: Callable  # row -> the text the search box matches
    sorts: dict  # key -> (label, row -> sort key, reverse)
    # GET name -> (label, row -> the keys it matches, choices or rows -> choices)
    filters: dict = field(default_factory=dict)


@dataclass
class Listing:
    spec: Spec
    queryset: object
    q: str = ""
    sort: str = ""
    chosen: dict = field(default_factory=dict)
    page: object = None
    query: str = ""  # the GET string without page and format, for the page links
    choices: dict = field(default_factory=dict)  # filter name -> its choices for this page

    @property
    def period(self) -> str:
        """The year or period the list is narrowed to, if one is chosen (for the file name)."""
        return next((self.chosen[name] for name in PERIOD_FILTERS if name in self.chosen), "")

    @property
    def keep(self) -> dict:
        """Parameters of the page itself (a year, a unit) that the list's form carries along."""
        own = {"q", "sort", "page", "format", *self.spec.filters}
        return {k: v for k, v in QueryDict(self.query).items() if k not in own}

    def filter_controls(self):
        return [
            (name, label, self.choices.get(name, ()), self.chosen.get(name, ""))
            for name, (label, _field, _choices) in self.spec.filters.items()
        ]

    def sort_choices(self):
        return [(key, value[0]) for key, value in self.spec.sorts.items()]


def apply(request, queryset, spec: Spec) -> Listing:
    """The queryset searched, filtered and sorted as the request's GET asks, and its page."""
    offered = _offered(spec, queryset)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        terms = (Q(**{f"{name}__icontains": q}) for name in spec.search)
        queryset = queryset.filter(reduce(operator.or_, terms))
    chosen = {}
    for name, (_label, model_field, _choices) in spec.filters.items():
        value = _chosen(request, name, offered[name])
        if value:
            chosen[name] = value
            queryset = queryset.filter(**{model_field: value})
    sort = _sort(request, spec)
    queryset = queryset.order_by(*spec.sorts[sort][1])
    return _listing(request, spec, queryset, q=q, sort=sort, chosen=chosen, offered=offered)


def _sort(request, spec) -> str:
    sort = request.GET.get("sort", "")
    return sort if sort in spec.sorts else next(iter(spec.sorts))


def _listing(request, spec, items, *, page_size=PAGE_SIZE, **found) -> Listing:
    """The Listing of `items`, searched, filtered and sorted already, with its page."""
    page = Paginator(items, page_size).get_page(request.GET.get("page"))
    choices = found.pop("offered")
    return Listing(
        spec=spec, queryset=items, page=page, query=_query(request), choices=choices, **found
    )


PERIOD_FILTERS = ("year", "period")


def _offered(spec, source) -> dict:
    return {
        name: list(choices(source) if callable(choices) else choices)
        for name, (_label, _field, choices) in spec.filters.items()
    }


def _chosen(request, name: str, choices) -> str:
    value = request.GET.get(name, "")
    return value if value in {str(key) for key, _text in choices} else ""


def years(date_field: str) -> Callable:
    """Choices of a year filter: the years that have rows, the latest first."""

    def choices(queryset):
        found = queryset.order_by().dates(date_field, "year", order="DESC")
        return [(day.year, day.year) for day in found]

    return choices


def _query(request) -> str:
    params = request.GET.copy()
    for name in ("page", "format"):
        params.pop(name, None)
    return params.urlencode()


def apply_rows(request, rows: list, spec: RowSpec, *, page_size: int = PAGE_SIZE) -> Listing:
    """A report's rows searched, sorted and paged as the request's GET asks."""
    offered = _offered(spec, rows)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        rows = [row for row in rows if q.lower() in spec.text(row).lower()]
    chosen = {}
    for name, (_label, keys, _choices) in spec.filters.items():
        value = _chosen(request, name, offered[name])
        if value:
            chosen[name] = value
            rows = [row for row in rows if value in {str(key) for key in keys(row)}]
    sort = _sort(request, spec)
    _label, key, reverse = spec.sorts[sort]
    rows = sorted(rows, key=key, reverse=reverse)
    found = {"q": q, "sort": sort, "chosen": chosen, "offered": offered}
    return _listing(request, spec, rows, page_size=page_size, **found)


def xlsx_response(request, found: Listing, columns, *, title: str, period="") -> HttpResponse:
    """The filtered list as an Excel sheet: a title row, then `columns` = [(header, row -> value)];
    named with what, the reader's unit and the year or period chosen (下基层活动-清溪县-2026)."""
    rows = found.queryset
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([str(header) for header, _value in columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows[:EXPORT_LIMIT]:
        sheet.append([_shown(value(row)) for _header, value in columns])
    cells.fit_columns(sheet, header_row=2)
    response = HttpResponse(
        cells.workbook_bytes(book),  # formula-like cells stay text
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = exporting.file_name(title, unit_name(request.user), period or found.period, ext="xlsx")
    return exporting.attach(response, name)


def unit_name(user) -> str:
    """The unit whose lists a staff member reads (none for an account above every unit)."""
    profile = getattr(user, "staff_profile", None)
    return profile.unit.name if profile is not None and profile.unit_id else ""


def scope_name(user, unit=None) -> str:
    """What a report or export covers, for its title and file name: the unit chosen, else the
    reader's own unit (本辖区 only for an account above every unit)."""
    return unit.name if unit is not None else (unit_name(user) or gettext("本辖区"))


def _shown(value):
    """A list cell as the page shows it: yes/no in words (surveys.exporting)."""
    return exporting.cell({"v": value}, _CELL) if isinstance(value, bool) else value


_CELL = exporting.Column("v", "v", "@")
