"""The 400 page. Django's own handler re-runs the CSRF check, which reads the body again; a body
declared in a charset other than UTF-8 then raises a second BadRequest inside the handler and
becomes a 500 (issue 14 §8). This one renders the page without touching the body."""

from django.shortcuts import render


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)
