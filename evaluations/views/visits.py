"""Staff pages of the 四下基层 workbench. Thin: access, one selector or service, render."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from evaluations import selectors
from surveys import printing


@login_required
def home(request):
    return render(
        request, "evaluations/home.html", {"visits": selectors.visits_for(request.user)[:20]}
    )


@login_required
def visits(request):
    return render(
        request, "evaluations/visits.html", {"visits": selectors.visits_for(request.user)[:500]}
    )


@login_required
def visit_poster(request, pk):
    visit = get_object_or_404(selectors.visits_for(request.user).exclude(rating_link=None), pk=pk)
    pdf = printing.poster(
        url=visit.rating_link.public_url(),
        heading=_("扫码评价"),
        lines=[
            f"{visit.lead.name}　{visit.lead.post}",
            f"{visit.get_kind_display()} · {visit.date_label()}",
            visit.place or visit.target_unit.name,
        ],
        instructions=_("用手机微信或相机扫描二维码，匿名评价干部的工作态度、工作作风和工作实绩"),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-{visit.pk}.pdf"'
    return response
