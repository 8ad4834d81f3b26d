"""The helper's page: /r/<token>/assist/, the rating form on a signed-in helper's phone, and the
staff sign-in that records the phone it happens on."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from surveys.assisted.devices import remember_staff_device
from surveys.assisted.services import refusal, submit_assisted
from surveys.devices import device_of, new_device_id, remember_device
from surveys.forms import ResidentForm, make_ticket, read_ticket
from surveys.network import client_ip
from surveys.services import Outcome
from surveys.versions import published
from surveys.views import CLOSED_STATUS, _link_or_404, _page, _ticket_version, refused


class SignInView(auth_views.LoginView):
    """Django's sign-in; a browser without our device cookie gets the one its sign-in was
    recorded under (surveys.assisted.devices.signed_in)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        device = getattr(self.request, "new_device_id", None)
        if device:
            remember_device(response, device)
        return response


def _form_page(request, link, device, version, status=200, form=None, **context):
    if form is None:
        ticket = make_ticket(version, link.pk, device)
        form = ResidentForm(version=version, initial={"ticket": ticket})
    name = request.user.get_full_name() or request.user.get_username()
    return _page(
        request,
        "surveys/assisted/assist.html",
        link,
        status,
        device=device,
        form=form,
        helper_name=name,
        **context,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def assist(request, token):
    ticket = read_ticket(request.POST.get("ticket", "")) if request.method == "POST" else None
    link = _link_or_404(token, ticket["v"] if ticket else None)
    state = link.state()
    if state != "open":
        return _page(request, "surveys/closed.html", link, CLOSED_STATUS[state], state=state)
    device = device_of(request) or new_device_id()
    remember_staff_device(request.user, device)
    reason = refusal(link, request.user, device)
    if reason:
        response = refused(request, reason)
        if device_of(request) is None:
            remember_device(response, device)
        return response
    if link.version_pk is None:
        return _page(request, "surveys/closed.html", link, 410, state="disabled")
    if request.method == "GET":
        version = published(link.version_pk)
        return _form_page(request, link, device, version, done="done" in request.GET)
    version = _ticket_version(link, ticket, device)
    if version is None:
        version = published(link.version_pk)
        return _form_page(request, link, device, version, 400, stale=True)
    form = ResidentForm(request.POST, version=version)
    if not form.is_valid():
        return _form_page(request, link, device, version, 400, form=form)
    outcome = submit_assisted(
        link=link,
        version=version,
        submission_id=ticket["s"],
        helper=request.user,
        cleaned=form.cleaned_data,
        seconds_taken=max(0, int(timezone.now().timestamp()) - ticket["t"]),
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        phone=device,
    )
    if outcome is Outcome.CLOSED:  # closed or retired since the page was read: say so
        return _page(request, "surveys/closed.html", link, 410, state="expired")
    # Stored now or before (a retry): the next resident gets a fresh form.
    response = HttpResponseRedirect(reverse("surveys:assist", args=[link.token]) + "?done=1")
    response.status_code = 303
    return response
