"""bench/scale.py loads its ratings with raw COPY / INSERT lines, past the models: when a model
gains a required column (issue 19's `channel`) the bench must follow, or its next run fails
after minutes of building. A few hundred rows through the same code, then the same cells."""

import numpy as np
import pytest

from analytics import sufficient
from analytics.frames import SYSTEM
from bench import scale_steps
from surveys.models import Response

pytestmark = pytest.mark.django_db


def test_the_bench_loads_ratings_the_reports_read(questionnaire):
    links, version = scale_steps._org(6)
    responses, answers = scale_steps._rows(np.random.default_rng(16), 1, 300, links, version.pk)
    scale_steps._copy("surveys_response", scale_steps.RESPONSE_COLUMNS, responses)
    scale_steps._copy("surveys_answer", scale_steps.ANSWER_COLUMNS, answers)
    assert Response.objects.count() == 300
    assert set(Response.objects.values_list("channel", flat=True)) == {"web", "paper"}
    table = sufficient.cells(SYSTEM, year=2026)
    assert table["n"].sum() == Response.objects.filter(review="valid").count()
    # Some ratings skipped a question, as residents do: not the all-answered best case.
    assert 0 < table["complete_n"].sum() < table["n"].sum()
    assert table["composite_n"].sum() > table["complete_n"].sum()
