"""The resident's side: the rating page behind a QR code, and the QR code itself."""

from urllib.parse import unquote_to_bytes

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from surveys import qr
from surveys.devices import device_of, new_device_id, remember_device
from surveys.forms import ResidentForm, make_ticket, read_ticket
from surveys.models import QuestionnaireVersion, RatingLink, Response
from surveys.network import client_ip
from surveys.rules import TICKET_MAX_AGE
from surveys.services import Outcome, submit_response
from surveys.subjects import describe, follow_ups

CLOSED_STATUS = {"expired": 410, "disabled": 410, "full": 410, "not_yet": 403}


def _link_or_404(token: str) -> RatingLink:
    link = RatingLink.objects.select_related("questionnaire").filter(token=token).first()
    if link is None:
        raise Http404
    return link


def _page(request, template, link, status=200, device=None, **context):
    """Render a resident's page; a request without our device cookie gets one (`device`, the id
    a ticket on the page is bound to, or a new one)."""
    context.update(link=link, subject=describe(link))
    response = render(request, template, context, status=status)
    if device_of(request) is None:
        remember_device(response, device or new_device_id())
    return response


def _stale(request, link, device, encoding_error=False):
    """A forged, foreign, outdated or expired ticket (or undecodable text): the form again, as
    typed, with a fresh ticket for this device."""
    version = link.questionnaire.latest_published()
    device = device or new_device_id()
    data = request.POST.copy()
    data["ticket"] = make_ticket(version, link.pk, device)
    form = ResidentForm(data, version=version)
    form.is_valid()
    return _page(
        request,
        "surveys/rate.html",
        link,
        400,
        device=device,
        form=form,
        stale=not encoding_error,
        encoding_error=encoding_error,
    )


def _ticket_version(link: RatingLink, ticket: dict | None, device: str | None):
    """The version a ticket shows, if the ticket is this link's, not expired, and was issued to
    this device (a POST without our cookie is kept and flagged, so it passes here)."""
    if ticket is None or ticket["l"] != link.pk:
        return None
    if timezone.now().timestamp() - ticket["t"] > TICKET_MAX_AGE.total_seconds():
        return None
    if device is not None and ticket["d"] != device:
        return None
    return QuestionnaireVersion.objects.filter(
        pk=ticket["v"],
        questionnaire=link.questionnaire,
        status=QuestionnaireVersion.Status.PUBLISHED,
    ).first()


# The signed ticket, bound to our signed device cookie, does what a CSRF token would: another
# site can neither read it nor make the browser send the device cookie (SameSite=Lax). A phone
# that refuses cookies must still be heard: its POST is kept and flagged, never refused.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def rate(request, token):
    link = _link_or_404(token)
    state = link.state()
    if state != "open":
        return _page(request, "surveys/closed.html", link, CLOSED_STATUS[state], state=state)
    device = device_of(request)
    if request.method == "POST":
        return _submit(request, link, device)
    if device and Response.objects.filter(link=link, device_id=device).exists():
        return _page(request, "surveys/already.html", link)
    device = device or new_device_id()
    version = link.questionnaire.latest_published()
    ticket = make_ticket(version, link.pk, device)
    form = ResidentForm(version=version, initial={"ticket": ticket})
    return _page(request, "surveys/rate.html", link, device=device, form=form)


def _body_is_utf8(request) -> bool:
    """Form bodies must be UTF-8 once percent-decoded; Django would otherwise quietly replace
    or reinterpret the bytes, silently changing what the resident wrote."""
    try:
        unquote_to_bytes(request.body.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _submit(request, link, device):
    if request.content_type == "application/x-www-form-urlencoded" and not _body_is_utf8(request):
        return _stale(request, link, device, encoding_error=True)
    ticket = read_ticket(request.POST.get("ticket", ""))
    version = _ticket_version(link, ticket, device)
    if version is None:
        return _stale(request, link, device)
    if Response.objects.filter(link=link, submission_id=ticket["s"]).exists():
        return _thanks(request, link, ticket["s"])  # a retry: acknowledge again
    if device and Response.objects.filter(link=link, device_id=device).exists():
        return _page(request, "surveys/already.html", link, 409)
    form = ResidentForm(request.POST, version=version)
    if not form.is_valid():
        return _page(request, "surveys/rate.html", link, 400, device=ticket["d"], form=form)
    outcome = submit_response(
        link=link,
        version=version,
        submission_id=ticket["s"],
        device_id=device,
        cleaned=form.cleaned_data,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        seconds_taken=max(0, int(timezone.now().timestamp()) - ticket["t"]),
    )
    if outcome is Outcome.DEVICE_USED:
        return _page(request, "surveys/already.html", link, 409)
    return _thanks(request, link, ticket["s"])


def _thanks(request, link, submission_id):
    response = Response.objects.filter(link=link, submission_id=submission_id).first()
    extra = follow_ups(response) if response is not None else []
    return _page(request, "surveys/thanks.html", link, follow_ups=extra)


def qr_png(request, token):
    link = _link_or_404(token)
    return HttpResponse(qr.png(link.public_url()), content_type="image/png")


def qr_svg(request, token):
    link = _link_or_404(token)
    return HttpResponse(qr.svg(link.public_url()), content_type="image/svg+xml")
