"""Rate limits on sign-up, log-in and submission, counted in Django's cache by django-ratelimit.

The rates live in ``settings.RATELIMITS`` (environment variables ``RATELIMIT_SIGNUP``, ``RATELIMIT_LOGIN``,
``RATELIMIT_SUBMISSION``). With the default local-memory cache each process counts on its own; set a
shared cache in production for one count across workers.
"""

from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited


def _key(request, group):
    # Per account once logged in (officials behind one town-hall proxy share an address), else per address.
    if group == "submission" and request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return request.META.get("REMOTE_ADDR", "")


def limited(request, group: str, *, increment: bool = True) -> bool:
    """True when ``request`` goes over the ``group`` rate (and counts it)."""
    if not settings.RATELIMIT_ENABLE:
        return False
    return is_ratelimited(request, group=f"observatory.{group}", key=lambda _g, r: _key(r, group),
                          rate=settings.RATELIMITS[group], method=is_ratelimited.ALL, increment=increment)


def too_many(request):
    response = render(request, "contributions/accounts/ratelimited.html", status=429)
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
