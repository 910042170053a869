"""Bench-only settings for bench/bench_api.py: production settings plus a bench URLconf, no throttling."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")

from observatory.settings import *  # noqa: F403
from observatory.settings import REST_FRAMEWORK

ROOT_URLCONF = "bench.urls_api"
# Plain HTTP on the loopback: no HTTPS redirect or secure cookies.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# The benchmark measures serving, not the rate limit.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
