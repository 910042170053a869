"""Throttles whose rates are read from the settings at request time (DRF reads them once, at import)."""

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
