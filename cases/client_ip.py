"""The client's address, as far as it can be trusted: from ``settings.NUM_PROXIES`` trusted reverse proxies.

Each proxy appends the address it received the request from to ``X-Forwarded-For``. Behind N proxies the
client is therefore the N-th entry from the right; entries further left were sent by the client itself and
can be anything. With no proxy (N = 0) the header is ignored. DRF's throttles apply the same rule from
``REST_FRAMEWORK["NUM_PROXIES"]``; this function gives it to the rate limits (django-ratelimit's
``RATELIMIT_IP_META_KEY`` and ``cases.contributions.ratelimits``).
"""

from django.conf import settings


def client_ip(request) -> str:
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote_addr
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    if not addresses:
        return remote_addr
    return addresses[-min(proxies, len(addresses))]
