"""Deployment safety: the shared cache that rate limits count in, and the secret key."""

from django.core.cache import caches
from django.core.checks import run_checks
from django.test import override_settings

REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                     "LOCATION": "redis://127.0.0.1:6379/15"}}


def deploy_warnings():
    return [m.id for m in run_checks(include_deployment_checks=True) if m.id.startswith("observatory.")]


def test_deploy_check_warns_about_a_per_process_cache():
    assert "observatory.W001" in deploy_warnings()


@override_settings(CACHES=REDIS)
def test_redis_is_shared_between_clients_and_satisfies_the_check():
    assert "observatory.W001" not in deploy_warnings()
    # Two cache handles stand for two workers: a counter one increments, the other sees.
    first, second = caches.create_connection("default"), caches.create_connection("default")
    first.set("observatory-test-counter", 0, timeout=30)
    first.incr("observatory-test-counter")
    assert second.incr("observatory-test-counter") == 2
    second.delete("observatory-test-counter")


def test_deploy_check_refuses_the_dev_secret_key(settings):
    settings.SECRET_KEY = settings.DEV_SECRET_KEY
    assert "observatory.E001" in deploy_warnings()
    settings.SECRET_KEY = "a-real-secret-" + "x" * 50
    assert "observatory.E001" not in deploy_warnings()


def test_serving_refuses_the_dev_key_without_debug(settings):
    import pytest
    from django.core.exceptions import ImproperlyConfigured

    from observatory.startup import refuse_insecure_production_settings

    settings.DEBUG, settings.SECRET_KEY = False, settings.DEV_SECRET_KEY
    with pytest.raises(ImproperlyConfigured):
        refuse_insecure_production_settings()
    settings.DEBUG = True
    refuse_insecure_production_settings()
