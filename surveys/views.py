"""The resident's side: the rating page behind a QR code, and the QR code itself."""

import secrets
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from surveys import qr
from surveys.forms import ResidentForm, make_ticket, read_ticket
from surveys.models import QuestionnaireVersion, RatingLink, Response
from surveys.network import client_ip
from surveys.services import Outcome, submit_response
from surveys.subjects import describe, follow_ups

CLOSED_STATUS = {"expired": 410, "disabled": 410, "full": 410, "not_yet": 403}


def _link_or_404(token: str) -> RatingLink:
    link = RatingLink.objects.select_related("questionnaire").filter(token=token).first()
    if link is None:
        raise Http404
    return link


def _device_id(request) -> str | None:
    value = request.COOKIES.get(settings.DEVICE_COOKIE_NAME, "")
    return (
        value
        if 20 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum()
        else None
    )


def _remember_device(request, response) -> None:
    if _device_id(request) is None:
        response.set_cookie(
            settings.DEVICE_COOKIE_NAME,
            secrets.token_urlsafe(24),
            max_age=settings.DEVICE_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=not settings.DEBUG,
        )


def _page(request, template, link, status=200, **context):
    context.update(link=link, subject=describe(link))
    response = render(request, template, context, status=status)
    _remember_device(request, response)
    return response


def _stale(request, link, encoding_error=False):
    """A forged, foreign or outdated ticket (or undecodable text): the form again, as typed."""
    version = link.questionnaire.latest_published()
    data = request.POST.copy()
    data["ticket"] = make_ticket(version, link.pk)
    form = ResidentForm(data, version=version)
    form.is_valid()
    return _page(
        request,
        "surveys/rate.html",
        link,
        400,
        form=form,
        stale=not encoding_error,
        encoding_error=encoding_error,
    )


def _ticket_version(link: RatingLink, ticket: dict | None) -> QuestionnaireVersion | None:
    if ticket is None or ticket["l"] != link.pk:
        return None
    return QuestionnaireVersion.objects.filter(
        pk=ticket["v"],
        questionnaire=link.questionnaire,
        status=QuestionnaireVersion.Status.PUBLISHED,
    ).first()


@never_cache
@require_http_methods(["GET", "POST"])
def rate(request, token):
    link = _link_or_404(token)
    state = link.state()
    if state != "open":
        return _page(request, "surveys/closed.html", link, CLOSED_STATUS[state], state=state)
    device = _device_id(request)
    if request.method == "POST":
        return _submit(request, link, device)
    if device and Response.objects.filter(link=link, device_id=device).exists():
        return _page(request, "surveys/already.html", link)
    version = link.questionnaire.latest_published()
    form = ResidentForm(version=version, initial={"ticket": make_ticket(version, link.pk)})
    return _page(request, "surveys/rate.html", link, form=form)


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
        return _stale(request, link, encoding_error=True)
    ticket = read_ticket(request.POST.get("ticket", ""))
    version = _ticket_version(link, ticket)
    if version is None:
        return _stale(request, link)
    if Response.objects.filter(link=link, submission_id=ticket["s"]).exists():
        return _thanks(request, link, ticket["s"])  # a retry: acknowledge again
    if device and Response.objects.filter(link=link, device_id=device).exists():
        return _page(request, "surveys/already.html", link, 409)
    form = ResidentForm(request.POST, version=version)
    if not form.is_valid():
        return _page(request, "surveys/rate.html", link, 400, form=form)
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
