"""Throttles whose rates are read from the settings at request time (DRF reads them once, at import)."""

import math

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _LiveRate:
    def get_rate(self):
        # An empty rate turns the throttle off (benchmarks, schema fuzzing).
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) or None


class AnonThrottle(_LiveRate, AnonRateThrottle):
    pass


class UserThrottle(_LiveRate, UserRateThrottle):
    pass


def _state(throttle):
    """``(limit, remaining, reset seconds)`` of a throttle that counted this request, else ``None``."""
    history = getattr(throttle, "history", None)
    if history is None or not getattr(throttle, "num_requests", None):
        return None
    remaining = max(0, throttle.num_requests - len(history))
    reset = throttle.duration - (throttle.now - history[-1]) if history else throttle.duration
    return throttle.num_requests, remaining, max(0, math.ceil(reset)), throttle.duration


class RateLimitHeadersMixin:
    """``RateLimit-Limit``, ``-Remaining``, ``-Reset`` and ``RateLimit-Policy`` on every throttled answer.

    The names of the IETF draft "RateLimit header fields for HTTP" (draft-ietf-httpapi-ratelimit-headers,
    as widely deployed): the throttle closest to its limit speaks for the request.
    """

    def get_throttles(self):
        self._counted_throttles = super().get_throttles()
        return self._counted_throttles

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        states = [state for state in map(_state, getattr(self, "_counted_throttles", [])) if state]
        if states:
            limit, remaining, reset, window = min(states, key=lambda state: state[1])
            response["RateLimit-Limit"] = str(limit)
            response["RateLimit-Remaining"] = str(remaining)
            response["RateLimit-Reset"] = str(reset)
            response["RateLimit-Policy"] = f"{limit};w={int(window)}"
        return response
