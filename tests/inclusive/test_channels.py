"""Every response says how it reached us (issue 19 §5): web, paper or assisted. The channel is
stored on the row, exported, counted per channel beside every score and can be filtered on.

The embarrassing case: a cadre's 40 ratings of which 25 were typed in from paper by his own
office would read as 40 residents on their phones; the per-channel counts must say 15 / 25 / 0."""

import csv
import io
import uuid

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from analytics import sufficient
from analytics.frames import SYSTEM
from surveys.models import Response

pytestmark = pytest.mark.django_db


def test_scores_say_how_many_came_from_each_channel(rated):
    cadre, other, _link = rated
    table = sufficient.summarise_cells(sufficient.cells(SYSTEM), "cadre_id")
    assert table.loc[cadre.pk, ["n_web", "n_paper", "n_assisted"]].tolist() == [15, 25, 0]
    assert table.loc[other.pk, ["n_web", "n_paper", "n_assisted"]].tolist() == [0, 0, 3]
    for pk in (cadre.pk, other.pk):
        row = table.loc[pk]
        assert row["n_web"] + row["n_paper"] + row["n_assisted"] == row["n"]


def test_a_report_can_be_limited_to_some_channels(rated):
    cadre, _other, _link = rated
    web_only = sufficient.summarise_cells(
        sufficient.cells(SYSTEM, channels=[Response.Channel.WEB]), "cadre_id"
    )
    assert list(web_only.index) == [cadre.pk]
    assert web_only.loc[cadre.pk, "n"] == 15 == web_only.loc[cadre.pk, "n_web"]
    assert web_only.loc[cadre.pk, "n_paper"] == 0


def test_the_export_carries_the_channel(rated):
    out = io.StringIO()
    call_command("export_responses", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().removeprefix("\ufeff"))))
    counts = {}
    for row in rows:
        counts[row["评价渠道"]] = counts.get(row["评价渠道"], 0) + 1
    assert counts == {"手机扫码": 15, "纸质问卷": 25, "协助填写": 3}
    codes = io.StringIO()
    call_command("export_responses", "--columns", "codes", stdout=codes)
    rows = list(csv.DictReader(io.StringIO(codes.getvalue())))
    assert {r["channel"] for r in rows} == {"web", "paper", "assisted"}


def test_an_assisted_rating_always_names_its_helper(rated):
    _cadre, _other, link = rated
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            link=link,
            version=link.questionnaire.latest_published(),
            submission_id=uuid.uuid4(),
            device_id="x",
            channel=Response.Channel.ASSISTED,
        )
