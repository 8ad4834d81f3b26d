"""纪检监察: discipline reports from residents, integrity flags and 走过场 visits (SPEC §1, §7)."""

from django.shortcuts import render
from django.utils import timezone

from evaluations.discipline import selectors as discipline
from evaluations.org.access import READERS, staff_required, year_param


@staff_required(*READERS)
def report(request):
    year = year_param(request.GET.get("year"), timezone.localdate().year)
    rows = discipline.report(request.user, year=year)
    return render(request, "evaluations/discipline.html", {"rows": rows, "year": year})
