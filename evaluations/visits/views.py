"""Pages of the 四下基层 workbench: the visits list and posters for staff; a cadre's own pages (my
visits: create, edit, complete; my contact card). Thin: access, one selector or service, render."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from evaluations.models import Visit
from evaluations.org.access import READERS, staff_required
from evaluations.visits import selectors, services
from evaluations.visits.forms import (
    CompleteVisitForm,
    VisitForm,
    colleague_choices,
    point_choices,
    unit_choices,
)
from surveys import listing


def cadre_required(view):
    @wraps(view)
    @staff_required()
    def wrapper(request, *args, **kwargs):
        if getattr(request.user, "cadre", None) is None:
            raise PermissionDenied(_("只有登记为干部的账号可以使用此页面。"))
        return view(request, *args, **kwargs)

    return wrapper


def _my_visits(request):
    cadre = request.user.cadre
    return (
        Visit.objects.visible_to(request.user)
        .filter(Q(lead=cadre) | Q(companions=cadre))
        .distinct()
        .select_related("lead", "target_unit", "rating_link")
    )


@cadre_required
def my_visits(request):
    return render(request, "evaluations/my_visits.html", {"visits": _my_visits(request)[:300]})


@cadre_required
def visit_edit(request, pk=None):
    visit = None
    if pk is not None:
        visit = get_object_or_404(_my_visits(request).filter(lead=request.user.cadre), pk=pk)
    form = VisitForm(
        request.POST or None,
        instance=visit,
        units=unit_choices(request.user),
        colleagues=colleague_choices(request.user),
        points=point_choices(request.user.cadre),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_visit(
                visit=form.save(commit=False),
                lead=request.user.cadre,
                companions=form.cleaned_data["companions"],
                amendment_reason=form.cleaned_data.get("amendment_reason", ""),
                actor=request.user,
                expected_audience=form.cleaned_data["expected_audience"],
            )
        except services.VisitError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("活动已保存。"))
            return redirect("staff:my_visit", pk=saved.pk)
    return render(request, "evaluations/visit_form.html", {"form": form, "visit": visit})


@cadre_required
def my_visit(request, pk):
    visit = get_object_or_404(_my_visits(request), pk=pk)
    form = CompleteVisitForm(request.POST or None, initial={"summary": visit.summary})
    if request.method == "POST" and visit.lead_id == request.user.cadre.pk and form.is_valid():
        try:
            services.complete_visit(visit=visit, summary=form.cleaned_data["summary"])
        except services.VisitError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("活动已标记为完成。"))
            return redirect("staff:my_visit", pk=visit.pk)
    return render(request, "evaluations/my_visit.html", {"visit": visit, "form": form})


@cadre_required
def my_card(request):
    from surveys import printing  # matplotlib: loaded by the print views only

    cadre = request.user.cadre
    link = services.contact_card_link(cadre=cadre)

    def draw(new_page):
        fig = new_page()
        for i in range(8):
            row, col = divmod(i, 2)
            left, bottom = 0.04 + col * 0.48, 0.76 - row * 0.24
            fig.text(left + 0.02, bottom + 0.19, _("干部联系卡"), fontsize=13, weight="bold")
            fig.text(left + 0.02, bottom + 0.15, cadre.name, fontsize=15)
            fig.text(left + 0.02, bottom + 0.12, cadre.post, fontsize=9)
            fig.text(left + 0.02, bottom + 0.09, cadre.unit.name, fontsize=9)
            fig.text(
                left + 0.02,
                bottom + 0.03,
                printing.wrap_cjk(_("扫码评价我的工作，匿名提交"), 8),
                fontsize=8,
                color="#444444",
            )
            printing.draw_qr(
                fig, link.public_url(), left=left + 0.24, bottom=bottom + 0.02, size=0.2
            )

    response = HttpResponse(printing.pdf_bytes(draw), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="contact-card.pdf"'
    return response


@staff_required("cadre", *READERS)
def visits(request):
    found = listing.apply(request, selectors.visits_for(request.user), selectors.VISIT_LIST)
    if request.GET.get("format") == "xlsx":
        return listing.xlsx_response(
            found.queryset, selectors.VISIT_COLUMNS, title=_("下基层活动"), filename=_("下基层活动")
        )
    return render(request, "evaluations/visits.html", {"visits": found.page, "listing": found})


@staff_required("cadre", *READERS)
def visit_poster(request, pk):
    from surveys import printing  # matplotlib: loaded by the print views only

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
