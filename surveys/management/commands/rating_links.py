from django.conf import settings
from django.core.management.base import BaseCommand

from surveys.selectors import active_links
from surveys.served import served_base, served_port
from surveys.subjects import describe


class Command(BaseCommand):
    help = "Print one line per active rating link: token, full URL, what it rates."

    def add_arguments(self, parser):
        parser.add_argument(
            "--port", type=int, default=None, help="port the server runs on (default: $PORT)"
        )

    def handle(self, *args, port, **options):
        base = served_base(port=port if port is not None else served_port())
        if base != settings.SITE_URL:
            self.stderr.write(
                f"Note: the server is on {base} but SITE_URL is {settings.SITE_URL}; "
                f"QR codes encode SITE_URL, so set SITE_URL={base} to make them match."
            )
        for link in active_links():
            self.stdout.write(f"{link.token}\t{base}/r/{link.token}/\t{describe(link).heading}")
