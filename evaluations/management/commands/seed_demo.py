from django.core.management.base import BaseCommand

from evaluations import demo
from surveys.models import Response


class Command(BaseCommand):
    help = "Load the deterministic demo county (idempotent: a second run changes nothing)."

    def handle(self, *args, **options):
        created = demo.seed()
        verb = "created" if created else "already present"
        self.stdout.write(f"Demo county {verb}: {Response.objects.count()} responses.")
