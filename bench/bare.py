"""The baseline of bench/burst.py: a bare Django view that renders a small form and does one
INSERT, served by the same gunicorn, settings and middleware as the resident's page."""

from django import forms
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.template import engines
from django.urls import path

TABLE = "bench_bare"
PAGE = engines["django"].from_string(
    """<!doctype html><html><head><meta charset="utf-8"><title>bare</title></head><body>
<form method="post" action="">{% csrf_token %}{{ form.as_p }}<button>send</button></form>
</body></html>"""
)
SCORES = [(str(i), str(i)) for i in range(1, 6)]


class BareForm(forms.Form):
    phone = forms.CharField(max_length=40)
    attitude = forms.ChoiceField(choices=SCORES, widget=forms.RadioSelect)
    style = forms.ChoiceField(choices=SCORES, widget=forms.RadioSelect)
    results = forms.ChoiceField(choices=SCORES, widget=forms.RadioSelect)


def create_table() -> None:
    key = (
        "INTEGER PRIMARY KEY AUTOINCREMENT"
        if connection.vendor == "sqlite"
        else "BIGSERIAL PRIMARY KEY"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cursor.execute(f"CREATE TABLE {TABLE} (id {key}, phone VARCHAR(40), answers VARCHAR(40))")


def bare(request):
    form = BareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answers = ",".join(data[k] for k in ("attitude", "style", "results"))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (phone, answers) VALUES (%s, %s)", [data["phone"], answers]
            )
        response = HttpResponseRedirect("/bare/")
        response.status_code = 303
        return response
    return HttpResponse(PAGE.render({"form": form}, request), status=400 if form.is_bound else 200)


def urlpatterns_with_bare(urlpatterns):
    return [path("bare/", bare), *urlpatterns]
