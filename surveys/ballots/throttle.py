"""Rate limit on guessing ballot codes, in the shared cache (Redis in production).

Only a well-formed code (its check character right) that matches no slip counts as a guess; a
typo is caught by the check character first and never counts. A wrong code still names the box
it aims at by its first two characters (codes.box_tag), so wrong guesses are limited per address,
per box (guessing spread over many addresses against one box) and across the site (guessing
spread over many boxes). None ever stops a valid code: it is looked up before any limit applies
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
# Against one box from all addresses: a branch of 60 voters never makes 100 wrong guesses in ten
# minutes; a spread-out script aiming at one box gets about 100 × 144 tries a day, each a 1 in
# 31⁷ / 60 chance.
GUESSES_PER_BOX = 100
# Across all addresses; a flood only pauses code entry for the window, it never counts a vote.
GUESSES_PER_SITE = 1000
WINDOW_SECONDS = 600


def _limits() -> tuple[int, int, int, int]:
    return (
        getattr(settings, "BALLOT_GUESSES_PER_ADDRESS", GUESSES_PER_ADDRESS),
        getattr(settings, "BALLOT_GUESSES_PER_BOX", GUESSES_PER_BOX),
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


def _counters(ip: str, scope: str, tag: str) -> dict[str, int]:
    """Cache key -> its limit. The address is kept only as a keyed hash, and only for the window.
    Each scope (ballot codes, receipts) counts on its own, so checking receipts never pauses
    voting; a receipt names no box, so it has no per-box counter."""
    per_address, per_box, per_site, _ = _limits()
    counters = {
        f"{scope}-guess:ip:{keyed_hash(_client(ip))}": per_address,
        f"{scope}-guess:site": per_site,
    }
    if tag:
        counters[f"{scope}-guess:box:{tag}"] = per_box
    return counters


def blocked(ip: str, scope: str = "ballot", tag: str = "") -> bool:
    counters = _counters(ip, scope, tag)
    counts = cache.get_many(list(counters))
    return any(counts.get(key, 0) >= limit for key, limit in counters.items())


def record_guess(ip: str, scope: str = "ballot", tag: str = "") -> None:
    window = _limits()[-1]
    for key in _counters(ip, scope, tag):
        if not cache.add(key, 1, window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, window)
