"""The resident's side: the rating page behind a QR code, and the QR code itself.

The path every resident takes is kept lean (issue 15): a GET is at most four statements and
reuses the version's form markup built once per worker (surveys/versions.py); a plain POST
reads nothing first: the insert of the response and its answers checks the link itself
(surveys/inserts.py), its unique constraints decide retries and second ratings, and a redirect
leads to the thank-you page (POST/redirect/GET)."""

import re
import uuid
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from surveys import qr, speech
from surveys.assisted.devices import (
    is_rated_cadres_phone,
    is_staff_phone,
    phone_state,
    staff_phone_of,
)
from surveys.assisted.rated import is_rated
from surveys.assisted.services import REFUSALS, may_assist
from surveys.devices import device_of, new_device_id, remember_device
from surveys.forms import THANKS_SALT, ResidentForm, make_ticket, read_ticket
from surveys.models import QuestionnaireVersion, RatingLink, Response
from surveys.network import client_ip
from surveys.rules import TICKET_MAX_AGE
from surveys.selectors import link_with_version
from surveys.services import Outcome, submit_response
from surveys.subjects import describe, follow_ups
from surveys.versions import held, published, questions_markup, questions_of

THANKS_COOKIE = "mp_thanks"
# A published version never changes, so neither does what its 朗读 button says: cached a year.
AUDIO_CACHE = "public, max-age=31536000, immutable"
PAGE_LANGUAGES = {"zh": "zh-hans", "en": "en"}  # speech.VOICES' keys → Django's language codes
RANGE = re.compile(r"bytes=(\d*)-(\d*)")
UNSATISFIABLE = "unsatisfiable"  # what _byte_range returns for a 416
CLOSED_STATUS = {"expired": 410, "disabled": 410, "full": 410, "not_yet": 403}


def _link_or_404(token: str, version_id: int | None = None) -> RatingLink:
    link = link_with_version(token, version_id)
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
    typed, with a fresh ticket for this device. With no version published any more there is
    nothing to answer: the page the GET gives (404), not a 500."""
    version = link.questionnaire.latest_published()
    if version is None:
        raise Http404
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


def _ticket_is_current(ticket: dict, device: str | None) -> bool:
    """Not expired, and issued to this device (a POST without our cookie is kept and flagged,
    so it passes here)."""
    if timezone.now().timestamp() - ticket["t"] > TICKET_MAX_AGE.total_seconds():
        return False
    return device is None or ticket["d"] == device


def _ticket_version(link: RatingLink, ticket: dict | None, device: str | None):
    """The version a ticket shows, if the ticket is this link's and current; whether it is a
    published version of the link's questionnaire came with the link."""
    if ticket is None or ticket["l"] != link.pk or link.version_pk != ticket["v"]:
        return None
    if not _ticket_is_current(ticket, device):
        return None
    return published(link.version_pk)


# The signed ticket, bound to our signed device cookie, does what a CSRF token would: another
# site can neither read it nor make the browser send the device cookie (SameSite=Lax). A phone
# that refuses cookies must still be heard: its POST is kept and flagged, never refused.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def rate(request, token):
    ticket = read_ticket(request.POST.get("ticket", "")) if request.method == "POST" else None
    device = device_of(request)
    if request.method == "POST":
        reason = _signed_in_refusal(request, token)
        if reason:
            return refused(request, reason, assist=token if reason == "assist_here" else None)
        stored = _submit_plain(request, token, device, ticket)
        if stored is not None:
            return stored
    link = _link_or_404(token, ticket["v"] if ticket else None)
    state = link.state()
    if state != "open":
        return _page(request, "surveys/closed.html", link, CLOSED_STATUS[state], state=state)
    if request.method == "POST":
        return _submit(request, link, device, ticket)
    if device:
        already, cadre_phone = phone_state(link, device)
        if cadre_phone:
            return _rated_phone_page(request, link)
        if already:
            return _page(request, "surveys/already.html", link)
    if link.version_pk is None:
        raise Http404  # nothing published to answer
    device = device or new_device_id()
    version = published(link.version_pk)
    form = ResidentForm(version=version, initial={"ticket": make_ticket(version, link.pk, device)})
    markup = questions_markup(form)
    helper = _signed_in(request) and may_assist(request.user)
    return _page(
        request,
        "surveys/rate.html",
        link,
        device=device,
        form=form,
        questions_html=markup,
        may_assist=helper,
        # A helper's plain form would count as the resident's own phone: only the offer.
        helping_only=helper and not is_rated(link, request.user),
    )


def _signed_in(request) -> bool:
    """A staff session: costs queries only for a browser that sends its cookie; a resident's
    request has none."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


def _signed_in_refusal(request, token) -> str | None:
    """A signed-in account the link rates never sends a rating of it, whatever cookie its phone
    sends (the outside attack: the cadre deleted the device cookie and rated his own visit); he
    may still open the page to see what residents see. A signed-in helper (cadre, grid worker)
    helps through the assist page, which records it as 协助填写: through the plain form it
    counted as a resident's own phone (the second outside attack)."""
    if not _signed_in(request):
        return None
    link = RatingLink.objects.filter(token=token).first()
    if link is not None and is_rated(link, request.user):
        return "rated_self"
    return "assist_here" if may_assist(request.user) else None


def _rated_phone_page(request, link):
    """A phone the rated cadre's account signed in on rates nobody on his link: refused, not
    flagged (issue 19 §4). Such a rating is typed under the cadre's eye on his own phone; held
    for review, it would still count once his own unit cleared it. A resident loses nothing:
    his own phone, a paper sheet or a grid worker's help remain. Checked on the page that
    issues the ticket and on the full POST path; the plain POST's insert lets no staff phone in
    (surveys/inserts.py), so such a POST always reaches the full path's check."""
    return refused(request, "rated_phone")


def refused(request, reason: str, assist: str | None = None):
    """A refusal to rate or help (surveys.assisted.services.REFUSALS); it names nothing of
    what the link rates, so a refusal shows no one's name. `assist`: the token whose assist
    page to offer instead."""
    context = {"reason": REFUSALS[reason], "assist": assist}
    return render(request, "surveys/assisted/refused.html", context, status=403)


def _body_is_utf8(request) -> bool:
    """Form bodies must be UTF-8 once percent-decoded; Django would otherwise quietly replace
    or reinterpret the bytes, silently changing what the resident wrote."""
    if request.content_type != "application/x-www-form-urlencoded":
        return True
    try:
        unquote_to_bytes(request.body.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _submit_plain(request, token, device, ticket):
    """The common case without reading the link first: a phone with our cookie sends a valid
    form on a current ticket whose version this worker holds; the insert itself checks that the
    link is open and offers that version. None hands the request to the full path, which reads
    the link and explains whatever is wrong (closed, stale, a typing error)."""
    if ticket is None or device is None or not _ticket_is_current(ticket, device):
        return None
    version = held(ticket["v"])
    if version is None or not _body_is_utf8(request):
        return None
    form = ResidentForm(request.POST, version=version)
    if not form.is_valid():
        return None
    outcome = _store(
        request, ticket["l"], token, version, device, ticket, form, staff_phone_of(device)
    )
    if outcome is Outcome.CLOSED:  # or a staff phone: the full path reads the link and asks
        return None
    if outcome is Outcome.DEVICE_USED:
        return _page(request, "surveys/already.html", _link_or_404(token), 409)
    return _thanks_redirect(token, ticket)


def _store(
    request, link_id, token, version, device, ticket, form, staff_phone=None, on_staff_phone=False
) -> Outcome:
    return submit_response(
        staff_phone=staff_phone,
        on_staff_phone=on_staff_phone,
        link_id=link_id,
        token=token,
        version=version,
        submission_id=ticket["s"],
        device_id=device,
        cleaned=form.cleaned_data,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        seconds_taken=max(0, int(timezone.now().timestamp()) - ticket["t"]),
    )


def _submit(request, link, device, ticket):
    """The full path: the link has been read. A phone the rated cadre's account signed in on is
    refused here, before any ticket is issued again or anything stored, whatever ticket it
    carries (the outside attack: a stale ticket's page handed his logged-out phone a fresh one,
    and one issued before he first signed in there stayed good for a day)."""
    if is_rated_cadres_phone(link, device):
        return _rated_phone_page(request, link)
    if not _body_is_utf8(request):
        return _stale(request, link, device, encoding_error=True)
    version = _ticket_version(link, ticket, device)
    if version is None:
        return _stale(request, link, device)
    form = ResidentForm(request.POST, version=version)
    if not form.is_valid():
        return _page(request, "surveys/rate.html", link, 400, device=ticket["d"], form=form)
    on_staff_phone = is_staff_phone(device)  # kept, held for review (rules.FLAG_REASONS)
    outcome = _store(
        request, link.pk, link.token, version, device, ticket, form, None, on_staff_phone
    )
    if outcome is Outcome.CLOSED:  # closed or retired since the link was read
        return _stale(request, link, device)
    if outcome is Outcome.DEVICE_USED:
        return _page(request, "surveys/already.html", link, 409)
    if device is None:  # a browser that keeps no cookies: the page itself, no redirect
        return _thanks_page(request, link, ticket["s"])
    return _thanks_redirect(link.token, ticket)


def _thanks_redirect(token, ticket):
    """Stored now or before (a retry): acknowledged on a page of its own, so Back never resends.
    Which response it was travels in a cookie, never in the address: an address is written to
    every access log, and an id there would tie the client's address to the response row."""
    thanks = reverse("surveys:thanks", args=[token])
    response = HttpResponseRedirect(thanks)
    response.status_code = 303  # See Other: the browser fetches the page with a GET
    response.set_signed_cookie(
        THANKS_COOKIE,
        ticket["s"].hex,
        salt=THANKS_SALT,
        max_age=TICKET_MAX_AGE,
        path=thanks,
        httponly=True,
        samesite="Lax",
        secure=not settings.DEBUG,
    )
    return response


def _thanks_page(request, link, submission_id, status=200):
    response = Response.objects.filter(link=link, submission_id=submission_id).first()
    if response is None:
        raise Http404
    return _page(request, "surveys/thanks.html", link, status, follow_ups=follow_ups(response))


@never_cache
@require_GET
def thanks(request, token):
    link = _link_or_404(token)
    value = request.get_signed_cookie(THANKS_COOKIE, default="", salt=THANKS_SALT)
    try:
        submission_id = uuid.UUID(value)
    except ValueError:
        raise Http404 from None
    return _thanks_page(request, link, submission_id)


def qr_png(request, token):
    link = _link_or_404(token)
    return HttpResponse(qr.png(link.public_url()), content_type="image/png")


def qr_svg(request, token):
    link = _link_or_404(token)
    return HttpResponse(qr.svg(link.public_url()), content_type="image/svg+xml")


def _byte_range(header: str, size: int):
    """(first, last) byte of the range asked for, None to send the whole file, or UNSATISFIABLE.
    RFC 9110 §14.2: a range whose last byte is before its first is invalid and ignored (200);
    only a range starting past the end, or an empty suffix, is unsatisfiable (416)."""
    match = RANGE.fullmatch(header.strip())
    if not match or not any(match.groups()) or not size:
        return None
    first, last = match.groups()
    if not first:
        return (max(0, size - int(last)), size - 1) if int(last) else UNSATISFIABLE
    if last and int(last) < int(first):
        return None
    if int(first) >= size:
        return UNSATISFIABLE
    return int(first), min(int(last), size - 1) if last else size - 1


@require_safe  # GET and HEAD: a player may ask for the headers first
def say(request, version_id, language, key):
    """The 朗读 audio of a published version's intro or question (no login: the words are the
    ones on every resident's page). Rendered on the first request if publishing did not."""
    version = QuestionnaireVersion.objects.filter(
        pk=version_id, status=QuestionnaireVersion.Status.PUBLISHED
    ).first()
    if version is None or language not in PAGE_LANGUAGES:
        raise Http404
    with translation.override(PAGE_LANGUAGES[language]):
        text = speech.version_texts(version, questions_of(version)).get(key)
        spoken = speech.stored(text, speech.voice_for(text)) if text else None
    if spoken is None:
        raise Http404
    return _audio(request, bytes(spoken.audio), spoken.digest)


def _audio(request, data: bytes, etag: str) -> HttpResponse:
    """MP3 bytes, whole or the one byte range asked for: iOS's player asks for ranges first."""
    status, body, extra = 200, data, {}
    asked = _byte_range(request.headers.get("Range", ""), len(data))
    if asked == UNSATISFIABLE:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{len(data)}"
        return response
    if asked is not None:
        start, end = asked
        status, body = 206, data[start : end + 1]
        extra["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
    response = HttpResponse(body, status=status, content_type="audio/mpeg")
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = AUDIO_CACHE
    response["ETag"] = f'"{etag}"'
    for header, value in extra.items():
        response[header] = value
    return response


def csrf_failure(request, reason=""):
    """Django's CSRF refusal in words a resident can act on (issue 14 §12): a browser that keeps
    no cookies cannot send the ballot, receipt or login form, and Django's own page is English
    developer text. Nothing is stored; the link leads back to the form (the request's own path)."""
    context = {"back": request.path}
    return render(request, "surveys/no_cookie.html", context, status=403)
