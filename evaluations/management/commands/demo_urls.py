from django.conf import settings
from django.core.management.base import BaseCommand

from evaluations import demo
from surveys.selectors import active_links


class Command(BaseCommand):
    help = "Print the URLs to try after `make run`, with the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, port, **options):
        base = settings.SITE_URL
        link = active_links().filter(visit__isnull=False).last()
        lines = [
            "",
            "民评 Minping is starting on " + f"http://127.0.0.1:{port}/",
            f"  Resident rating page (open on a phone, or scan {base}/r/<token>/qr.png):",
            f"    {link.public_url() if link else '(no active link: run manage.py seed_demo)'}",
            f"  Staff login: {base}/staff/login/",
            f"  Password of every demo account: {demo.DEMO_PASSWORD}",
            "    admin (administrator, /admin/), zuzhibu (组织部, county), jijian (纪检监察),",
            "    shuji (党支部书记, 城东社区), zhangwei (干部 张伟)",
            f"  Visits and QR posters: {base}/staff/visits/",
            f"  Reports (analytics): {base}/staff/reports/",
            "",
        ]
        self.stdout.write("\n".join(lines))
