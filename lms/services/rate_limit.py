"""Per-address request limits kept in the cache (Redis in production, so every worker process
shares them): ``hit(scope, request, rate)`` counts a request and says whether it is over.

A rate is ``"<count>/<period>"``, the period a number of seconds, minutes or hours: ``"30/10m"``
(30 in 10 minutes), ``"5/s"``, ``"100/1h"``. Counting is by fixed windows of that period,
the address the trusted-proxy aware ``client_address.client_ip`` (the login lockout's)."""

import re
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from lms.services.client_address import client_ip

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smh])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600}


@dataclass(frozen=True)
class Verdict:
    limited: bool
    retry_after: int  # seconds until the window ends (0 when not limited)


def parse_rate(rate):
    """``"30/10m"`` → ``(30, 600)``; ImproperlyConfigured for anything else."""
    match = _RATE.match(str(rate))
    if not match or int(match.group(1)) < 1 or match.group(2) == "0":
        raise ImproperlyConfigured(
            f"Rate {rate!r} is not '<count>/<period>' with the period in s, m or h, e.g. '30/10m'."
        )
    count, number, unit = match.groups()
    return int(count), int(number or 1) * _UNIT_SECONDS[unit]


def hit(scope, request, rate, now=None):
    """Count this request of ``scope`` from the client's address; a ``Verdict``."""
    limit, period = parse_rate(rate)
    now = time.time() if now is None else now
    window = int(now // period)
    key = f"lms:rate:{scope}:{client_ip(request)}:{window}"
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=period + 1)
        count = 1
    if count <= limit:
        return Verdict(False, 0)
    return Verdict(True, max(1, int((window + 1) * period - now)))
