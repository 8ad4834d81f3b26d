"""Long staff lists, one mechanism for all of them: a search box, filters, a sort order, pages of
PAGE_SIZE rows and the filtered list as an Excel file (all rows, not only the page)."""

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse, QueryDict
from django.utils import timezone
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
    filters: dict = field(default_factory=dict)  # GET name -> (label, model field, choices)


@dataclass(frozen=True)
class RowSpec:
    """The same for a list built in Python (rows of a report, not a queryset)."""

    text: Callable  # row -> the text the search box matches
    sorts: dict  # key -> (label, row -> sort key, reverse)
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

    @property
    def keep(self) -> dict:
        """Parameters of the page itself (a year, a unit) that the list's form carries along."""
        own = {"q", "sort", "page", "format", *self.spec.filters}
        return {k: v for k, v in QueryDict(self.query).items() if k not in own}

    def filter_controls(self):
        return [
            (name, label, choices, self.chosen.get(name, ""))
            for name, (label, _field, choices) in self.spec.filters.items()
        ]

    def sort_choices(self):
        return [(key, value[0]) for key, value in self.spec.sorts.items()]


def apply(request, queryset, spec: Spec) -> Listing:
    """The queryset searched, filtered and sorted as the request's GET asks, and its page."""
    q = request.GET.get("q", "").strip()[:100]
    if q:
        terms = (Q(**{f"{name}__icontains": q}) for name in spec.search)
        queryset = queryset.filter(reduce(operator.or_, terms))
    chosen = {}
    for name, (_label, model_field, choices) in spec.filters.items():
        value = request.GET.get(name, "")
        if value in {str(key) for key, _text in choices}:
            chosen[name] = value
            queryset = queryset.filter(**{model_field: value})
    sort = request.GET.get("sort", "")
    sort = sort if sort in spec.sorts else next(iter(spec.sorts))
    queryset = queryset.order_by(*spec.sorts[sort][1])
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return Listing(
        spec=spec,
        queryset=queryset,
        q=q,
        sort=sort,
        chosen=chosen,
        page=page,
        query=_query(request),
    )


def _query(request) -> str:
    params = request.GET.copy()
    for name in ("page", "format"):
        params.pop(name, None)
    return params.urlencode()


def apply_rows(request, rows: list, spec: RowSpec, *, page_size: int = PAGE_SIZE) -> Listing:
    """A report's rows searched, sorted and paged as the request's GET asks."""
    q = request.GET.get("q", "").strip()[:100]
    if q:
        rows = [row for row in rows if q.lower() in spec.text(row).lower()]
    sort = request.GET.get("sort", "")
    sort = sort if sort in spec.sorts else next(iter(spec.sorts))
    _label, key, reverse = spec.sorts[sort]
    rows = sorted(rows, key=key, reverse=reverse)
    page = Paginator(rows, page_size).get_page(request.GET.get("page"))
    return Listing(spec=spec, queryset=rows, q=q, sort=sort, page=page, query=_query(request))


def xlsx_response(rows, columns, *, title: str, filename: str) -> HttpResponse:
    """rows as an Excel sheet: a title row, then `columns` = [(header, row -> value)]."""
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
    sheet.freeze_panes = "A3"
    response = HttpResponse(
        cells.workbook_bytes(book),  # formula-like cells stay text
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localdate().isoformat()
    return exporting.attach(response, exporting.file_name(filename, stamp, ext="xlsx"))


def _shown(value):
    """A list cell as the page shows it: yes/no in words (surveys.exporting)."""
    return exporting.cell({"v": value}, _CELL) if isinstance(value, bool) else value


_CELL = exporting.Column("v", "v", "@")
