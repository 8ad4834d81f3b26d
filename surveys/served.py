"""Where the running server answers: the base URL the start-up commands print.

SITE_URL is what QR codes and slips encode. On a laptop the server may run on another port than
SITE_URL names (`manage.py runserver 8001`), so the printed links follow the port actually served
whenever SITE_URL names this machine; a public SITE_URL is never rewritten."""

import os
import socket
from urllib.parse import urlsplit

from django.conf import settings

LOCAL_HOSTS = {"127.0.0.1", "localhost", "0.0.0.0", "::1"}


def served_port() -> int | None:
    """The port `make run` serves on (its PORT variable), if known."""
    value = os.environ.get("PORT", "").strip()
    return int(value) if value.isdigit() else None


def served_base(*, port: int | None = None) -> str:
    """SITE_URL, with `port` in place of its own when SITE_URL names this machine."""
    site = urlsplit(settings.SITE_URL)
    if port is None or site.hostname not in LOCAL_HOSTS or site.port == port:
        return settings.SITE_URL
    return f"{site.scheme}://{site.hostname}:{port}{site.path}".rstrip("/")


def lan_address() -> str | None:
    """This machine's address on the local network, for a phone on the same Wi-Fi."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # UDP: picks a route, sends nothing
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address
