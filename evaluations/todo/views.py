"""The workbench home: the to-do lists of the user's roles."""

from django.shortcuts import render

from evaluations.org.access import staff_required
from evaluations.todo import selectors


@staff_required()
def home(request):
    sections = selectors.sections_for(request.user)
    return render(request, "evaluations/home.html", {"sections": sections})
