"""纪检监察: discipline reports from residents, integrity flags and 走过场 visits (SPEC §1, §7)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluations.discipline import selectors as discipline
from evaluations.discipline import services
from evaluations.models import Visit
from evaluations.org.access import READERS, staff_required, year_param
from evaluations.visits.models import LONG_RUN_DAYS
from surveys import listing


@staff_required(*READERS)
def report(request):
    year = year_param(request.GET.get("year"), timezone.localdate().year)
    found = listing.apply_rows(
        request, discipline.report(request.user, year=year), discipline.REPORT_LIST, page_size=20
    )
    if request.GET.get("format") == "xlsx":
        title = _("作风纪律与诚信线索")
        return listing.xlsx_response(
            request, found, discipline.REPORT_COLUMNS, title=title, period=year
        )
    context = {"rows": found.page, "listing": found, "year": year, "long_run_days": LONG_RUN_DAYS}
    return render(request, "evaluations/discipline.html", context)


@require_POST
@staff_required(*READERS)
def review_long_run(request, pk):
    visit = get_object_or_404(Visit.objects.visible_to(request.user), pk=pk)
    try:
        services.review_long_run(visit=visit, actor=request.user)
    except services.ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已复核，该活动的天数计入调研指标。"))
    return redirect(f"{reverse('staff:discipline')}?year={visit.start_date.year}")
