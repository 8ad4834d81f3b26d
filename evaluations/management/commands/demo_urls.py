from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand

from evaluations import demo
from surveys.selectors import active_links
from surveys.served import lan_address, served_base, served_port


def phone_lines(*, host: str, port: int) -> list[str]:
    """How a phone on the same network reaches the demo, or what to restart with so it can."""
    if host != "0.0.0.0":
        return [
            "  Only this computer can open it; a phone on the Wi-Fi: HOST=0.0.0.0 make run",
        ]
    lan = lan_address()
    if lan is None:
        return ["  No local network address found: connect to the Wi-Fi the phone uses."]
    if lan in settings.ALLOWED_HOSTS or "*" in settings.ALLOWED_HOSTS:
        return [f"  From a phone on the same network: http://{lan}:{port}/"]
    return [
        f"  A phone on the network is refused until {lan} is an allowed host; restart with",
        f"    HOST=0.0.0.0 ALLOWED_HOSTS={lan},127.0.0.1,localhost "
        f"SITE_URL=http://{lan}:{port} make run",
    ]


class Command(BaseCommand):
    help = "Print the URLs to try after `make run`, with the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=None, help="default: $PORT or SITE_URL's")
        parser.add_argument("--host", default="127.0.0.1", help="address runserver listens on")

    def handle(self, *args, port, host, **options):
        port = port if port is not None else served_port()
        base = served_base(port=port)
        link = active_links().filter(visit__isnull=False).last()
        rating = f"{base}/r/{link.token}/" if link else "(no active link: run manage.py seed_demo)"
        # A grid worker helps only on visits to her own grid (evaluations.visits.describers).
        grid = active_links().filter(visit__target_unit__code=demo.GRID_UNIT).last()
        helping = f"{base}/r/{grid.token}/assist/" if grid else "(none: run manage.py seed_demo)"
        lines = [
            "",
            f"民评 Minping is starting on {base}/",
            *phone_lines(host=host, port=urlsplit(base).port or 80),
            f"  Resident rating page (open on a phone, or scan {base}/r/<token>/qr.png):",
            f"    {rating}",
            f"  Staff login: {base}/staff/login/",
            f"  Password of every demo account: {demo.DEMO_PASSWORD}",
            "    admin (administrator, /admin/), zuzhibu (组织部, county), jijian (纪检监察),",
            "    shuji (党支部书记, 城东社区), zhangwei (干部 张伟),",
            "    wanggeyuan (网格员, 城东社区), who helps residents of 城东社区 rate:",
            f"    {helping}",
            f"  Visits and QR posters: {base}/staff/visits/",
            f"  Reports (analytics): {base}/staff/reports/",
            "",
        ]
        if base != settings.SITE_URL:
            lines.insert(-1, f"  QR codes encode SITE_URL={settings.SITE_URL}; set it to {base}.")
        self.stdout.write("\n".join(lines))
