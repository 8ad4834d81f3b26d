"""The workbench home (the to-do lists of the user's roles) and the reminder inbox."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from evaluations.models import Reminder
from evaluations.org.access import staff_required
from evaluations.todo import selectors, services

INBOX_ROWS = 200


@staff_required()
def home(request):
    context = {
        "sections": selectors.sections_for(request.user),
        "unread": Reminder.objects.filter(user=request.user, read_at=None)[:5],
        "unread_count": Reminder.objects.filter(user=request.user, read_at=None).count(),
    }
    return render(request, "evaluations/home.html", context)


@staff_required()
def inbox(request):
    reminders = Reminder.objects.filter(user=request.user)[:INBOX_ROWS]
    return render(request, "evaluations/inbox.html", {"reminders": reminders})


@require_POST
@staff_required()
def inbox_read(request):
    pks = [int(v) for v in request.POST.getlist("reminder") if v.isdigit()]
    services.mark_read(user=request.user, pks=pks or None)
    return redirect("staff:inbox")
