from django.core.management.base import BaseCommand

from evaluations import demo
from surveys.models import Response


class Command(BaseCommand):
    help = "Load the deterministic demo county (idempotent: a second run changes nothing)."

    def handle(self, *args, **options):
        self.stdout.write("载入演示县 清溪县 (loading the demo county; a minute the first time)…")
        created = demo.seed(stdout=self.stdout)
        verb = "created" if created else "already present"
        self.stdout.write(f"Demo county {verb}: {Response.objects.count()} responses.")
