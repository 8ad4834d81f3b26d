"""Replace each stored device cookie by its keyed hash per link (issue 14 §11): the raw cookie,
the same on every link for ten years, tied one resident's ratings together. Cookie-less
responses (`nocookie:…`) name no device and stay as they are. Not reversible: the point is that
the cookie is gone."""

import hashlib
import hmac

from django.conf import settings
from django.db import migrations

BATCH = 2000


def hash_devices(apps, schema_editor):
    Response = apps.get_model("surveys", "Response")
    key = settings.IP_HASH_SALT.encode()
    rows = Response.objects.exclude(device_id__startswith="nocookie:").order_by("pk")
    last = 0
    while batch := list(rows.filter(pk__gt=last).only("pk", "link_id", "device_id")[:BATCH]):
        for row in batch:
            value = f"device:{row.link_id}:{row.device_id}".encode()
            row.device_id = hmac.new(key, value, hashlib.sha256).hexdigest()
        Response.objects.bulk_update(batch, ["device_id"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("surveys", "0006_ballot_receipts")]

    operations = [migrations.RunPython(hash_devices, migrations.RunPython.noop)]
