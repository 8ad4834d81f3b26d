"""Rating-link titles hold only user data: the Chinese words the system added around a case's
title and a contact card's cadre stayed Chinese on English pages."""

import re

from django.db import migrations

CASE_PREFIX = "问题办理评价："
CARD = re.compile(r"^(?P<name>.*)（(?P<post>.*)）联系卡$")


def forwards(apps, schema_editor):
    RatingLink = apps.get_model("surveys", "RatingLink")
    for link in RatingLink.objects.filter(title__startswith=CASE_PREFIX).iterator():
        link.title = link.title.removeprefix(CASE_PREFIX)
        link.save(update_fields=["title"])
    for link in RatingLink.objects.filter(title__endswith="联系卡").iterator():
        if match := CARD.match(link.title):
            parts = (match["name"], match["post"])
            link.title = " · ".join(part for part in parts if part)
            link.save(update_fields=["title"])


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0018_english_texts"),
        ("surveys", "0010_questionnaire_history"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
