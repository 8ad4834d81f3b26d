"""纪检监察: discipline reports from residents, integrity flags and 走过场 visits (SPEC §1, §7)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.discipline import selectors as discipline
from evaluations.org.jurisdiction import has_role
from surveys import listing


@login_required
def report(request):
    if not has_role(request.user, "discipline", "personnel", "admin"):
        raise PermissionDenied
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        raise Http404 from None
    found = listing.apply_rows(
        request, discipline.report(request.user, year=year), discipline.REPORT_LIST, page_size=20
    )
    if request.GET.get("format") == "xlsx":
        title = _("作风纪律与诚信线索")
        return listing.xlsx_response(
            found.queryset, discipline.REPORT_COLUMNS, title=title, filename=f"{title}-{year}"
        )
    context = {"rows": found.page, "listing": found, "year": year}
    return render(request, "evaluations/discipline.html", context)
