"""Rate limits on sign-up, log-in and submission, counted in Django's cache by django-ratelimit.

The rates live in ``settings.RATELIMITS`` (environment variables ``RATELIMIT_SIGNUP``, ``RATELIMIT_LOGIN``,
``RATELIMIT_SUBMISSION``). With the default local-memory cache each process counts on its own; set a
shared cache in production for one count across workers.
"""

import ipaddress
from functools import wraps

from django.conf import settings
from django_ratelimit.core import is_ratelimited

from ..client_ip import client_ip
from ..errors import error_page


def _key(request, group):
    # Per account once logged in (officials behind one town-hall proxy share an address), else per address
    # (the client's, from the trusted proxies: a forged X-Forwarded-For does not make a new counter).
    if group == "submission" and request.user.is_authenticated:
        return f"user:{request.user.pk}"
    if group == "login_account":
        # The account being tried, whatever the address; case and spaces do not make a new counter.
        return "account:" + request.POST.get("username", "").strip().casefold()
    return _network(client_ip(request))


def _network(address: str) -> str:
    """An IPv6 client holds a whole /64 and can pick any address in it: count per /64 (IPv4: per address)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address) if ip.version == 6 else address


def _limited_one(request, group: str, increment: bool) -> bool:
    return is_ratelimited(request, group=f"observatory.{group}", key=lambda _g, r: _key(r, group),
                          rate=settings.RATELIMITS[group], method=is_ratelimited.ALL, increment=increment)


def limited(request, group: str, *, increment: bool = True) -> bool:
    """True when ``request`` goes over the ``group`` rate (and counts it). A log-in counts twice: per address
    and per account tried (the site's form and the admin's alike)."""
    if not settings.RATELIMIT_ENABLE:
        return False
    groups = [group, "login_account"] if group == "login" else [group]
    # Every counter is incremented (no short-circuit), so each one sees every attempt.
    results = [_limited_one(request, name, increment) for name in groups]
    return any(results)


def too_many(request):
    response = error_page(request, 429)
    response["Retry-After"] = "60"
    return response


def limit_posts(group: str):
    """Refuse, with a 429 page, the POSTs to a view past the ``group`` rate."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST" and limited(request, group):
                return too_many(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
