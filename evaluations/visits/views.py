"""Pages of the 四下基层 workbench: the visits list and posters for staff; a cadre's own pages (my
visits: create, edit, complete; my contact card). Thin: access, one selector or service, render."""

from functools import wraps

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import ContactPoint, OrgUnit, Visit
from evaluations.org.access import MANAGERS, READERS, staff_required, year_param
from evaluations.org.jurisdiction import has_role
from evaluations.org.periods import PeriodForm, label, report_units
from evaluations.visits import selectors, services
from evaluations.visits.forms import (
    CompleteVisitForm,
    OnBehalfForm,
    VisitForm,
    colleague_choices,
    point_choices,
    unit_choices,
)
from surveys import listing
from surveys.paper.selectors import channel_counts


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
    channels = channel_counts(visit.rating_link) if visit.rating_link_id else []
    context = {"visit": visit, "form": form, "channels": channels}
    return render(request, "evaluations/my_visit.html", context)


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
        return listing.xlsx_response(request, found, selectors.VISIT_COLUMNS, title=_("下基层活动"))
    return render(request, "evaluations/visits.html", {"visits": found.page, "listing": found})


@staff_required()
def visit_poster(request, pk):
    """The poster of a visit the user may list, or of the user's own visit: a party secretary
    who is also a cadre prints the posters of his own visits from 我的活动."""
    from surveys import printing  # matplotlib: loaded by the print views only

    visits = selectors.printable_for(request.user)
    visit = get_object_or_404(visits.exclude(rating_link=None), pk=pk)
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


class PickForm(forms.Form):
    visit = forms.IntegerField()
    pick = forms.BooleanField(required=False)


@staff_required(*READERS)
def diary_picks(request):
    """000 (八): the unit picks the 民情日记 that go into its 定期报送 for a period."""
    units = OrgUnit.objects.visible_to(request.user)
    year = year_param(request.GET.get("year"), timezone.localdate().year)  # no year: 404
    form = PeriodForm(request.GET.dict() | {"year": year}, units=units, year=year)
    if not form.is_valid():
        context = {"form": form, "period_units": report_units(request.user)}
        return render(request, "evaluations/diary_picks.html", context, status=400)
    unit, year, period, start, end = form.scope()
    rows = selectors.diaries(request.user, unit=unit, start=start, end=end)
    if request.method == "POST":
        if not has_role(request.user, *MANAGERS):
            raise PermissionDenied(_("只有组织人事部门可以选择报送材料。"))
        pick = PickForm(request.POST)
        if not pick.is_valid():
            return HttpResponseBadRequest(_("请求无效。"))
        visit = get_object_or_404(rows, pk=pick.cleaned_data["visit"])
        try:
            services.pick_for_report(
                visit=visit, actor=request.user, picked=pick.cleaned_data["pick"]
            )
        except services.VisitError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("报送材料已更新。"))
        return redirect(request.get_full_path())
    context = {"form": form, "unit": unit, "year": year, "period": period, "visits": rows[:200]}
    context.update(period_label=label(period), period_units=report_units(request.user))
    return render(request, "evaluations/diary_picks.html", context)


@staff_required(*MANAGERS)
def visit_on_behalf(request):
    """The organisation department records a leader's visit for him, marked as entered by whom."""
    cadres = colleague_choices(request.user)
    points = ContactPoint.objects.filter(cadre__in=cadres, end__isnull=True).select_related("unit")
    form = OnBehalfForm(
        request.POST or None,
        units=unit_choices(request.user),
        colleagues=cadres,
        points=points,
        leads=cadres,
    )
    if request.method == "POST" and form.is_valid():
        lead = form.cleaned_data["lead"]
        if lead.user_id == request.user.pk:
            form.add_error("lead", _("本人的活动请在“我的活动”中登记。"))
            return render(request, "evaluations/visit_form.html", {"form": form, "on_behalf": True})
        try:
            services.save_visit(
                visit=form.save(commit=False),
                lead=lead,
                companions=form.cleaned_data["companions"],
                actor=request.user,
                expected_audience=form.cleaned_data["expected_audience"],
                entered_by=request.user,
            )
        except services.VisitError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已代%(name)s登记活动。") % {"name": lead.name})
            return redirect("staff:visits")
    return render(request, "evaluations/visit_form.html", {"form": form, "on_behalf": True})
