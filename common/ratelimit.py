"""Rate limits on the forms that send something to someone (a booking, a need, a message
to an agency, a survey answer), per signed-in user and per address, so that a script
cannot flood an agency's inbox.

settings.RATE_LIMITS names each limit in allauth's notation, "20/h/user,100/h/ip": at
most 20 per hour for one user and 100 per hour from one address (periods s, m, h, d,
with an optional count: "5/10m/ip"). Each period is a fixed window of the clock, counted
in the default cache (shared by all workers). Only POSTs the view accepted count: it
answers with a redirect (post/redirect/get), not a form sent back with its errors.
Over a limit, a 429 page in the layout says when to try again (Retry-After).
"""

import ipaddress
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from common.http import back_url

logger = logging.getLogger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class Rate:
    amount: int
    seconds: int
    per: str  # "user" or "ip"

    def __str__(self) -> str:
        return f"{self.amount}/{self.seconds}s/{self.per}"


def parse_rates(text: str) -> list[Rate]:
    """ "20/h/user,100/h/ip" -> [Rate(20, 3600, "user"), Rate(100, 3600, "ip")]."""
    rates = []
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        amount, period, per = part.split("/")
        count, unit = period[:-1], period[-1]
        if unit not in PERIODS or per not in ("user", "ip"):
            raise ValueError(f"Not a rate limit: {part!r} (e.g. 20/h/user or 5/10m/ip)")
        rates.append(Rate(int(amount), int(count or 1) * PERIODS[unit], per))
    return rates


def client_address(request: HttpRequest) -> str:
    """The address allauth's own limits use (ALLAUTH_TRUSTED_PROXY_COUNT behind a proxy);
    an IPv6 address stands for its /64, which one household or office usually holds."""
    from allauth.account.adapter import get_adapter

    address = get_adapter().get_client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def _who(request: HttpRequest, per: str) -> str | None:
    if per == "ip":
        return client_address(request)
    if request.user.is_authenticated:
        return f"user{request.user.pk}"
    return None  # a per-user limit does not apply to someone not signed in


def _count(request: HttpRequest, name: str) -> tuple[list[str], int]:
    """Count this request in each window of the limit `name`. Returns the cache keys
    counted and, if a limit is passed, the seconds until it lets one more through."""
    now = time.time()
    counted, retry_after = [], 0
    for rate in parse_rates(settings.RATE_LIMITS.get(name, "")):
        who = _who(request, rate.per)
        if who is None:
            continue
        window = int(now // rate.seconds)
        window_ends = (window + 1) * rate.seconds
        key = f"ratelimit:{name}:{rate}:{who}:{window}"
        timeout = math.ceil(window_ends - now) + 1
        cache.add(key, 0, timeout)
        try:
            count = cache.incr(key)
        except ValueError:  # the window ended between the two calls
            cache.set(key, 1, timeout)
            count = 1
        counted.append(key)
        if count > rate.amount:
            retry_after = max(retry_after, math.ceil(window_ends - now))
    return counted, retry_after


def _uncount(keys: list[str]) -> None:
    """Give back what _count took; if the cache fails, a limit is only a little stricter."""
    for key in keys:
        try:
            cache.decr(key)
        except ValueError:  # the window ended meanwhile
            continue
        except Exception:
            logger.warning("Rate limit count %s not given back", key, exc_info=True)


def too_many_requests(request: HttpRequest, retry_after: int | None = None) -> HttpResponse:
    context = {"back_url": back_url(request)}
    if retry_after:
        context["retry_minutes"] = math.ceil(retry_after / 60)
    response = render(request, "429.html", context, status=429)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def rate_limited(name: str) -> Callable:
    """Limit the POSTs a view accepts by settings.RATE_LIMITS[name]. Put it below
    @login_required, so that `request.user` is known."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method != "POST":
                return view(request, *args, **kwargs)
            try:
                counted, retry_after = _count(request, name)
            except Exception:
                # The cache being down must not stop bookings: no limit until it is back.
                logger.exception("Rate limit %s not checked", name)
                return view(request, *args, **kwargs)
            if retry_after:
                _uncount(counted)
                return too_many_requests(request, retry_after)
            accepted = False
            try:
                response = view(request, *args, **kwargs)
                accepted = response.status_code in REDIRECTS
                return response
            finally:
                if not accepted:
                    _uncount(counted)

        return limited

    return decorate
