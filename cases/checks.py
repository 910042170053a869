"""Deployment checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def shared_cache_for_rate_limits(app_configs, **kwargs):
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [Warning(
            "Rate limits and API throttles are counted in a per-process cache: each worker counts alone.",
            hint="Set REDIS_URL (e.g. redis://redis:6379/0) so that every worker shares the counters.",
            id="observatory.W001",
        )]
    return []


@register(Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    if getattr(settings, "DEV_SECRET_KEY", None) == settings.SECRET_KEY:
        return [Error("SECRET_KEY is the dev-only default.", hint="Set SECRET_KEY (see .env.example).",
                      id="observatory.E001")]
    return []
