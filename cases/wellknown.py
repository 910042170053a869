"""``/.well-known/security.txt`` (RFC 9116): where to report a vulnerability (``SECURITY_CONTACT``)."""

from datetime import timedelta

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone


def security_txt(request):
    # Expires is required; a year ahead, recomputed on each request, so the file never goes stale.
    expires = (timezone.now() + timedelta(days=365)).replace(microsecond=0).isoformat()
    lines = [f"Contact: {settings.SECURITY_CONTACT}", f"Expires: {expires}", "Preferred-Languages: fr, en",
             f"Canonical: {settings.SITE_URL.rstrip('/')}/.well-known/security.txt"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
