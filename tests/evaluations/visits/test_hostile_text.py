"""A place or name with TeX in it prints as typed on the poster and the contact card
(issue 14 §7: `$\\frac{$` made matplotlib parse mathtext and 500)."""

import pytest
from django.urls import reverse

from tests.factories import CadreFactory, VisitFactory, staff_user

pytestmark = pytest.mark.django_db
TEX = "上坪村$\\frac{$"


def test_poster_and_card_render_tex_as_text(client, world, questionnaire):
    _, _, counties = world
    county = counties["350901"]
    cadre = CadreFactory(unit=county["county"], name=TEX, post=TEX)
    visit = VisitFactory(lead=cadre, target_unit=county["village"], place=TEX)
    client.force_login(staff_user("zhangwei", county["county"], "cadre", cadre=cadre))
    poster = client.get(reverse("staff:visit_poster", args=[visit.pk]))
    assert poster.status_code == 200 and poster.content.startswith(b"%PDF")
    card = client.get(reverse("staff:my_card"))
    assert card.status_code == 200 and card.content.startswith(b"%PDF")
