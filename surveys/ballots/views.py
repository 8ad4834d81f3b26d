"""The voter's side of a ballot box: a slip's QR code or a typed code, then the ballot.

The code travels in the URL only behind a QR code (GET /b/<code>/); every form posts to /b/
with the code in the body. GET /b/<code>/ answers 200 even for a wrong or used code, so that
Django's request log (which records the path of every 4xx answer) never holds a code.
"""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from surveys.ballots import codes, selectors
from surveys.ballots.forms import BallotForm, CodeForm, ReceiptForm
from surveys.ballots.models import display_receipt
from surveys.ballots.services import BallotError, admit, cast_ballot, find_receipt
from surveys.network import client_ip

ERROR_STATUS = {"too_many": 429, "used": 409, "void": 409}


def _entry(request, text: str, error: BallotError, status: int | None = None):
    form = CodeForm(initial={"code": text})
    status = status or ERROR_STATUS.get(error.code, 400)
    return render(
        request, "surveys/ballot/entry.html", {"form": form, "error": error}, status=status
    )


def _ballot(request, slip, form, status=200):
    context = {"box": slip.box, "group_name": slip.box.group_name(slip.group), "form": form}
    return render(request, "surveys/ballot/vote.html", context, status=status)


def _show(request, text: str, quiet: bool = False):
    try:
        slip = admit(text, ip=client_ip(request))
    except BallotError as error:
        return _entry(request, text, error, status=200 if quiet else None)
    form = BallotForm(
        options=slip.box.options, initial={"code": codes.display(codes.normalize(text))}
    )
    return _ballot(request, slip, form)


@never_cache
@require_GET
def ballot_link(request, code):
    return _show(request, code, quiet=True)


@never_cache
@require_http_methods(["GET", "POST"])
def ballot_entry(request):
    if request.method == "GET":
        return render(request, "surveys/ballot/entry.html", {"form": CodeForm()})
    text = request.POST.get("code", "")
    if "vote" not in request.POST:
        return _show(request, text)
    try:
        slip = admit(text, ip=client_ip(request))
    except BallotError as error:
        return _entry(request, text, error)
    form = BallotForm(request.POST, options=slip.box.options)
    if not form.is_valid():
        return _ballot(request, slip, form, status=400)
    try:
        receipt = cast_ballot(code=text, answers=form.answers())
    except BallotError as error:  # used by another tab a moment ago, or the box just closed
        return _entry(request, text, error)
    return render(request, "surveys/ballot/done.html", {"receipt": display_receipt(receipt)})


@never_cache
@require_http_methods(["GET", "POST"])
def receipt_check(request):
    """A voter types the receipt: was the ballot counted? After the close, the box's whole list.
    POST only, so receipts stay out of URLs and request logs."""
    form = ReceiptForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            value, box = find_receipt(form.cleaned_data["receipt"], ip=client_ip(request))
        except BallotError as error:
            context["error"] = error
        else:
            context.update(
                found=display_receipt(value),
                box=box,
                receipts=selectors.published_receipts(box),
                ballots=selectors.counted_ballots(box),
            )
    status = 429 if getattr(context.get("error"), "code", "") == "receipt_too_many" else 200
    return render(request, "surveys/ballot/receipt.html", context, status=status)
