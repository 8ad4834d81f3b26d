"""Staff pages of paper questionnaires (issue 19 §3) under a visit: print numbered sheets, enter
returned sheets twice by two accounts, a third reads the disagreeing fields off the sheet or voids
it. Thin: access through the visit's jurisdiction (`visits_for(user)`), one service or selector,
render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from evaluations.models import Visit
from evaluations.org.access import READERS, staff_required
from evaluations.org.jurisdiction import has_role
from evaluations.visits import selectors as visit_selectors
from surveys.paper import selectors, services
from surveys.paper.forms import EntryForm, PrintForm, ResolveForm, SheetNumberForm, VoidForm
from surveys.paper.models import PaperBatch, PaperEntry

# Who types sheets in and decides disagreements: the staff who read reports and review responses
# (SPEC §1), never the cadres the sheets rate.
ENTRANTS = READERS


def _visit(request, pk) -> Visit:
    """A visit whose paper forms the user may print (visits.selectors.printable_for)."""
    visits = visit_selectors.printable_for(request.user).exclude(rating_link=None)
    return get_object_or_404(visits, pk=pk)


def _is_rated(request, visit: Visit) -> bool:
    cadre = getattr(request.user, "cadre", None)
    return cadre is not None and (
        visit.lead_id == cadre.pk or visit.companions.filter(pk=cadre.pk).exists()
    )


def _not_rated_cadre(request, visit: Visit) -> None:
    """A cadre never prints, enters or decides the sheets that rate his own visit: numbered
    sheets he printed could be filled in by his own people and handed in (the outside attack)."""
    if _is_rated(request, visit):
        raise PermissionDenied(_("被评价的干部不能打印、录入或核对本次活动的纸质问卷。"))


def _paper_page(request, visit: Visit, form: PrintForm, status: int = 200):
    link = visit.rating_link
    context = {
        "visit": visit,
        "channels": selectors.channel_counts(link),
        "tally": selectors.tally(link),
        "batches": link.paper_batches.select_related("version", "printed_by"),
        "form": form,
        "disagreeing": selectors.disagreeing([link]),
        "voided": selectors.voided([link]),
        "can_enter": has_role(request.user, *ENTRANTS) and not _is_rated(request, visit),
        "can_print": not _is_rated(request, visit),
    }
    return render(request, "evaluations/paper/sheets.html", context, status=status)


@staff_required()
def paper(request, pk):
    return _paper_page(request, _visit(request, pk), PrintForm())


@require_POST
@staff_required()
def print_sheets(request, pk):
    """A wrong count or paper size comes back on the same page, beside the field, as typed."""
    visit = _visit(request, pk)
    _not_rated_cadre(request, visit)
    form = PrintForm(request.POST)
    if form.is_valid():
        try:
            batch = services.print_batch(
                link=visit.rating_link,
                count=form.cleaned_data["count"],
                size=form.cleaned_data["size"],
                user=request.user,
            )
        except services.PaperError as error:
            form.add_error(None, str(error))
        else:
            return redirect("staff:visit_paper_pdf", pk=visit.pk, batch=batch.pk)
    return _paper_page(request, visit, form, status=400)


@staff_required()
def sheets_pdf(request, pk, batch):
    from surveys.paper import sheets  # matplotlib: loaded by the print views only

    visit = _visit(request, pk)
    _not_rated_cadre(request, visit)
    batch = get_object_or_404(PaperBatch, link=visit.rating_link, pk=batch)
    size = request.GET.get("size", batch.size).strip().lower()
    if size not in sheets.LAYOUT:
        # A hand-edited address: back to the visit's paper page, which says what is allowed.
        messages.error(request, _("纸张只能选 A4 或 A5。"))
        return redirect("staff:visit_paper", pk=visit.pk)
    pdf = sheets.sheets_pdf(batch=batch, heading=_("群众评价纸质问卷"), size=size)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"paper-{visit.pk}-{batch.first}-{batch.last}-{size}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@staff_required(*ENTRANTS)
def enter(request, pk):
    """Step one asks for the sheet number; step two shows the form of the version that sheet was
    printed with. Nothing of another account's reading is ever shown here (blind entry)."""
    visit = _visit(request, pk)
    _not_rated_cadre(request, visit)
    link = visit.rating_link
    number = SheetNumberForm(request.POST or request.GET or None, token=link.token)
    if not number.is_valid():
        return render(request, "evaluations/paper/enter.html", {"visit": visit, "number": number})
    sheet = number.cleaned_data["sheet"]
    batch = services.batch_of(link, sheet)
    if batch is None:
        number.add_error("sheet", _("第 %(sheet)s 号问卷从未打印，不能录入。") % {"sheet": sheet})
        context = {"visit": visit, "number": number}
        return render(request, "evaluations/paper/enter.html", context, status=400)
    form = EntryForm(
        request.POST or None, token=link.token, version=batch.version, initial={"sheet": sheet}
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.enter_sheet(
                link=link, sheet=sheet, answers=form.answers(), user=request.user
            )
        except services.PaperError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, str(RESULT_MESSAGES[result]) % {"sheet": sheet})
            return redirect("staff:visit_paper_enter", pk=visit.pk)
    context = {"visit": visit, "form": form, "sheet": sheet, "batch": batch}
    return render(
        request, "evaluations/paper/enter.html", context, status=400 if form.errors else 200
    )


# Lazy: read in the reader's language when shown, not in the worker's at import.
RESULT_MESSAGES = {
    services.Result.FIRST: gettext_lazy(
        "第 %(sheet)s 号问卷已录入第一遍；须由另一个账号再录入一遍才计入。"
    ),
    services.Result.STORED: gettext_lazy("第 %(sheet)s 号问卷两次录入一致，已计入。"),
    services.Result.DISAGREE: gettext_lazy(
        "第 %(sheet)s 号问卷两次录入不一致，已转交第三方核对，暂不计入。"
    ),
}


@staff_required(*ENTRANTS)
def disagreements(request):
    visits = visit_selectors.visits_for(request.user).exclude(rating_link=None)
    visit_of = dict(visits.values_list("rating_link_id", "pk"))
    links = visits.values("rating_link_id")
    entries = selectors.disagreeing(links)[:300]
    rows = [(entry, visit_of.get(entry.batch.link_id)) for entry in entries]
    context = {"rows": rows, "voided": selectors.voided(links)[:300]}
    return render(request, "evaluations/paper/disagreements.html", context)


def _pending_sheet(request, visit: Visit, sheet: int):
    """The batch and both readings of a sheet that waits for this user's third look."""
    batch = services.batch_of(visit.rating_link, sheet)
    entries = services.sheet_entries(batch, sheet) if batch else {}
    first, second = entries.get(PaperEntry.Round.FIRST), entries.get(PaperEntry.Round.SECOND)
    if first is None or second is None or second.response_id or PaperEntry.Round.THIRD in entries:
        raise Http404
    if request.user.pk in (first.entered_by_id, second.entered_by_id):
        raise PermissionDenied(_("录入过这份问卷的账号不能核对它，须由第三个账号核对。"))
    return batch, first, second


@staff_required(*ENTRANTS)
def resolve(request, pk, sheet):
    """The third look, holding the sheet: type what it says where the readings differ, or void
    it with a reason (the second form's button is named `void`)."""
    visit = _visit(request, pk)
    _not_rated_cadre(request, visit)
    batch, first, second = _pending_sheet(request, visit, sheet)
    rows = selectors.side_by_side(batch, first, second)
    voiding = "void" in request.POST
    form = ResolveForm(
        None if voiding else request.POST or None, rows=[r for r in rows if r.differs]
    )
    void = VoidForm(request.POST if voiding else None)
    try:
        if voiding and void.is_valid():
            reason = void.cleaned_data["void_reason"]
            services.void_sheet(batch=batch, sheet=sheet, reason=reason, user=request.user)
            messages.success(request, _("第 %(sheet)s 号问卷已作废，不计入。") % {"sheet": sheet})
            return redirect("staff:paper_disagreements")
        if not voiding and form.is_valid():
            decided = form.decided()
            services.resolve_sheet(batch=batch, sheet=sheet, decided=decided, user=request.user)
            messages.success(request, _("第 %(sheet)s 号问卷已核定并计入。") % {"sheet": sheet})
            return redirect("staff:paper_disagreements")
    except services.PaperError as error:
        (void if voiding else form).add_error(None, str(error))
    context = {"visit": visit, "sheet": sheet, "form": form, "void": void}
    context.update(first=first, second=second, agreeing=[r for r in rows if not r.differs])
    status = 400 if request.method == "POST" else 200
    return render(request, "evaluations/paper/resolve.html", context, status=status)
