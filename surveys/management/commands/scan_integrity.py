import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from surveys import integrity
from surveys.models import Response


class Command(BaseCommand):
    help = (
        "Re-run every integrity check over links answered in the last N days (default 30), then "
        "cut submission times older than two days to the minute."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, days, **options):
        since = timezone.now() - dt.timedelta(days=days)
        links = Response.objects.filter(submitted_at__gte=since).values_list("link_id", flat=True)
        totals = {}
        for link_id in sorted(set(links)):
            for code, count in integrity.scan_link(link_id).items():
                totals[code] = totals.get(code, 0) + count
        self.stdout.write(
            ", ".join(f"{code}: {n} newly flagged" for code, n in totals.items())
            or "nothing to scan"
        )
        coarsened = integrity.coarsen_times()
        self.stdout.write(f"{coarsened} submission times past the horizon cut to the minute")
