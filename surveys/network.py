"""The client's address as the application should see it (SPEC §4, §9).

Behind the load balancer of a production deployment, REMOTE_ADDR is the proxy's address for
everyone; the real client is the entry the trusted proxy appended to a forwarding header. A header
the client typed itself is never believed: only the last TRUSTED_PROXY_COUNT entries were written by
our proxies, so the client is the entry just before them. An address is a signal, never an identity
(many residents share one carrier NAT or meeting-room Wi-Fi)."""

from django.conf import settings


def client_ip(request) -> str:
    header = settings.CLIENT_IP_HEADER
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if not header or proxies < 1:
        return remote
    chain = [part.strip() for part in request.META.get(header, "").split(",") if part.strip()]
    # Each of our N proxies appends the address it heard from: the client is N-th from the right.
    if len(chain) < proxies:
        return remote
    return chain[-proxies]
