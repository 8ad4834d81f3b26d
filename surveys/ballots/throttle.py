"""Rate limit on guessing ballot codes, in the shared cache (Redis in production).

Only a well-formed code (its check character right) that matches no slip counts as a guess; a
typo is caught by the check character first and never counts. A wrong code names no ballot box,
so besides the limit per address there is one across the site, against guessing spread over
many addresses. Neither ever stops a valid code: it is looked up before any limit applies
(services.admit). The counters live in the cache, so every app server and worker must share one
(Redis); the deploy check surveys.E014 refuses several processes with a per-process cache.
Limits are settings so a deployment can tune them; the defaults are below.
"""

import ipaddress

from django.conf import settings
from django.core.cache import cache

from surveys.services import keyed_hash

# 10 wrong codes per address per 10 minutes: a voter who misreads a slip twice is never
# stopped, a script guessing 31⁹ codes is stopped at once.
GUESSES_PER_ADDRESS = 10
# Across all addresses; a flood only pauses code entry for the window, it never counts a vote.
GUESSES_PER_SITE = 1000
WINDOW_SECONDS = 600


def _limits() -> tuple[int, int, int]:
    return (
        getattr(settings, "BALLOT_GUESSES_PER_ADDRESS", GUESSES_PER_ADDRESS),
        getattr(settings, "BALLOT_GUESSES_PER_SITE", GUESSES_PER_SITE),
        getattr(settings, "BALLOT_GUESS_WINDOW", WINDOW_SECONDS),
    )


def _client(ip: str) -> str:
    """An IPv6 client is its /64 (one subscriber's network), so a guesser cannot rotate its
    addresses inside it; an IPv4 address is itself."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip or "-"
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


def _keys(ip: str, scope: str) -> tuple[str, str]:
    # The address is kept only as a keyed hash, and only for the window. Each scope (ballot codes,
    # receipts) counts on its own, so checking receipts can never pause voting.
    return f"{scope}-guess:ip:{keyed_hash(_client(ip))}", f"{scope}-guess:site"


def blocked(ip: str, scope: str = "ballot") -> bool:
    per_address, per_site, _ = _limits()
    ip_key, site_key = _keys(ip, scope)
    counts = cache.get_many([ip_key, site_key])
    return counts.get(ip_key, 0) >= per_address or counts.get(site_key, 0) >= per_site


def record_guess(ip: str, scope: str = "ballot") -> None:
    _, _, window = _limits()
    for key in _keys(ip, scope):
        if not cache.add(key, 1, window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, window)
