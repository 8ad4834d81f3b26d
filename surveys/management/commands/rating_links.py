from django.core.management.base import BaseCommand

from surveys.selectors import active_links
from surveys.subjects import describe


class Command(BaseCommand):
    help = "Print one line per active rating link: token, full URL, what it rates."

    def handle(self, *args, **options):
        for link in active_links():
            self.stdout.write(f"{link.token}\t{link.public_url()}\t{describe(link).heading}")
