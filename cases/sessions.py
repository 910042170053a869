"""Absolute session lifetime (ASVS 3.3.2): however active, a session ends SESSION_MAX_HOURS after the log-in.

The idle timeout is Django's own (SESSION_COOKIE_AGE renewed by SESSION_SAVE_EVERY_REQUEST); this bounds
what a stolen session cookie is worth even while its holder keeps it busy.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

LOGIN_AT = "observatory_login_at"


@receiver(user_logged_in)
def remember_login_time(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = int(time.time())


class AbsoluteSessionLifetimeMiddleware:
    """After AuthenticationMiddleware: past the lifetime, the user is logged out before the view runs, which
    then answers as for any anonymous visitor (a log-in page where one is needed)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            login_at = request.session.setdefault(LOGIN_AT, int(time.time()))  # sessions older than this code
            if time.time() - login_at > settings.SESSION_MAX_HOURS * 3600:
                logout(request)
        return self.get_response(request)
