"""纪检监察: discipline reports from residents, integrity flags and 走过场 visits (SPEC §1, §7)."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from evaluations.discipline import selectors as discipline
from evaluations.org.access import READERS, staff_required


@staff_required(*READERS)
def report(request):
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        raise Http404 from None
    rows = discipline.report(request.user, year=year)
    return render(request, "evaluations/discipline.html", {"rows": rows, "year": year})
