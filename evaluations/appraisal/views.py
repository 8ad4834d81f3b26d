"""Staff pages of democratic appraisal. Thin: access, form, one service or selector, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from evaluations.appraisal import selectors, services
from evaluations.appraisal.forms import GradesForm, IssueForm, SessionSetup, VoidForm
from evaluations.org.access import staff_required
from evaluations.org.jurisdiction import has_role
from surveys import exporting, listing
from surveys.ballots import slips
from surveys.ballots.selectors import published_receipts

MANAGERS = ("secretary", "admin")
READERS = ("secretary", "personnel", "discipline", "admin")


def _session(request, pk):
    sessions = selectors.sessions_for(request.user).prefetch_related("groups")
    return get_object_or_404(sessions, pk=pk)


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _slips(session, new_slips) -> HttpResponse:
    pdf = slips.slips_pdf(title=session.title, slips=new_slips)
    return _file(pdf, "application/pdf", f"slips-{session.pk}-{new_slips[0][0]:04d}.pdf")


@staff_required(*READERS)
def session_list(request):
    found = listing.apply(request, selectors.sessions_for(request.user), selectors.SESSION_LIST)
    if request.GET.get("format") == "xlsx":
        title = _("民主评议")
        return listing.xlsx_response(request, found, selectors.SESSION_COLUMNS, title=title)
    context = {
        "sessions": found.page,
        "listing": found,
        "can_manage": has_role(request.user, *MANAGERS),
    }
    return render(request, "evaluations/appraisal/list.html", context)


@staff_required(*MANAGERS)
def session_edit(request, pk=None):
    session = _session(request, pk) if pk else None
    if session and not session.is_draft and request.method == "GET":
        messages.info(request, _("投票已经开始或已结束，评议设置不能再修改。"))
        return redirect("staff:appraisal_detail", pk=session.pk)
    setup = SessionSetup(request.POST or None, instance=session, user=request.user)
    if request.method == "POST" and setup.is_valid():
        form = setup.form
        try:
            saved = services.save_session(
                session=form.save(commit=False),
                subjects=setup.subjects(),
                groups=setup.groups(),
                opens_at=form.cleaned_data["opens_at"],
                closes_at=form.cleaned_data["closes_at"],
                actor=request.user,
            )
        except services.AppraisalError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("评议设置已保存。"))
            return redirect("staff:appraisal_detail", pk=saved.pk)
    return render(request, "evaluations/appraisal/form.html", {"setup": setup, "session": session})


@never_cache
@staff_required(*READERS)
def session_detail(request, pk):
    session = _session(request, pk)
    context = {
        "session": session,
        "turnout": selectors.turnout(session),
        "issue_form": IssueForm(session=session),
        "void_form": VoidForm(),
        "can_manage": has_role(request.user, *MANAGERS),
        "log": selectors.log_for(session),
        "subjects": session.subjects.select_related("cadre"),
        "ballot_entry": slips.entry_url(),
    }
    return render(request, "evaluations/appraisal/detail.html", context)


@never_cache
@staff_required(*READERS)
def turnout(request, pk):
    session = _session(request, pk)
    # Refreshing itself is the reader's choice (WCAG 2.2.1: a page that reloads on its own
    # interrupts a screen reader and a reader who is still reading).
    live = request.GET.get("live") == "1" and not session.is_closed
    context = {"session": session, "turnout": selectors.turnout(session), "live": live}
    return render(request, "evaluations/appraisal/turnout.html", context)


@require_POST
@staff_required(*MANAGERS)
def issue_codes(request, pk):
    session = _session(request, pk)
    form = IssueForm(request.POST, session=session)
    if not form.is_valid():
        messages.error(request, _("请选择评议组并填写数量。"))
        return redirect("staff:appraisal_detail", pk=pk)
    group = get_object_or_404(session.groups, pk=form.cleaned_data["group"])
    # Codes are stored only with their printed slips: a slip that cannot render rolls them back.
    with transaction.atomic():
        try:
            new = services.issue_codes(
                session=session, group=group, count=form.cleaned_data["count"], actor=request.user
            )
        except services.AppraisalError as error:
            messages.error(request, str(error))
            return redirect("staff:appraisal_detail", pk=pk)
        return _slips(session, new)


@require_POST
@staff_required(*MANAGERS)
def void_codes(request, pk):
    session = _session(request, pk)
    form = VoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("serials", [_("请填写票号。")])))
        return redirect("staff:appraisal_detail", pk=pk)
    with transaction.atomic():  # as in issue_codes: no reissued code without its slip
        try:
            new = services.void_codes(
                session=session,
                serials=form.cleaned_data["serials"],
                reissue=form.cleaned_data["reissue"],
                actor=request.user,
            )
        except services.AppraisalError as error:
            messages.error(request, str(error))
            return redirect("staff:appraisal_detail", pk=pk)
        if new:
            return _slips(session, new)
    messages.success(request, _("投票码已作废，已记入评议日志。"))
    return redirect("staff:appraisal_detail", pk=pk)


@staff_required(*MANAGERS)
def transition(request, pk, action):
    """Opening or closing a vote: a page with turnout and quorum first, then the POST; closing
    below quorum needs the secretary to say so (issue 17 §6)."""
    session = _session(request, pk)
    done = session.is_closed or (action == "open" and not session.is_draft)
    if done and request.method != "POST":
        messages.info(request, _("投票已经开始或已结束。"))
        return redirect("staff:appraisal_detail", pk=pk)
    rows = selectors.turnout(session)
    state = selectors.quorum(session, rows)
    unacknowledged = action == "close" and not state["met"] and not request.POST.get("below_quorum")
    if request.method != "POST" or unacknowledged:
        context = {
            "session": session,
            "action": action,
            "turnout": rows,
            "quorum": state,
            "refused": request.method == "POST",
            "subjects": session.subjects.count(),
        }
        return render(request, "evaluations/appraisal/confirm.html", context)
    service = {"open": services.open_session, "close": services.close_session}[action]
    try:
        service(session=session, actor=request.user)
    except services.AppraisalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已开始投票。") if action == "open" else _("投票已结束。"))
    return redirect("staff:appraisal_detail", pk=pk)


def _closed_or_403(request, session):
    if session.is_closed:
        return None
    return render(
        request, "evaluations/appraisal/not_closed.html", {"session": session}, status=403
    )


@staff_required(*READERS)
def results(request, pk):
    session = _session(request, pk)
    refused = _closed_or_403(request, session)
    if refused:
        return refused
    rows = selectors.result_rows(session)
    form = GradesForm(
        request.POST or None, session=session, subjects=[row["subject"] for row in rows]
    )
    if request.method == "POST" and not has_role(request.user, *MANAGERS):
        raise PermissionDenied(_("只有党支部书记可以评定等次。"))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.record_grades(
                session=session, decisions=form.decisions(), actor=request.user
            )
        except services.AppraisalError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, ngettext("已保存 %d 项评定。", "已保存 %d 项评定。", changed) % changed
            )
            return redirect("staff:appraisal_results", pk=pk)
    context = {
        "session": session,
        "rows": form.attach(rows),
        "form": form,
        "probationary": selectors.probationary(session),
        "can_manage": has_role(request.user, *MANAGERS),
        "receipts": published_receipts(session.box),
    }
    return render(request, "evaluations/appraisal/results.html", context)


@staff_required(*READERS)
def export(request, pk, fmt):
    from evaluations.appraisal import exports  # matplotlib, openpyxl: only for exports

    session = _session(request, pk)
    refused = _closed_or_403(request, session)
    if refused:
        return refused
    rows = selectors.result_rows(session)
    name = exporting.file_name(_("计票结果"), session.branch.name, session.period, ext=fmt)
    if fmt == "xlsx":
        style = exporting.style(request.GET.get("columns"))
        content = exports.results_xlsx(session, rows, style=style)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, kind = exports.results_pdf(session, rows), "application/pdf"
    response = HttpResponse(content, content_type=kind)
    response["Cache-Control"] = "no-store"
    return exporting.attach(response, name)
