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


# Sources that would let injected markup run script: a CSP allowing any of them protects nothing.
_UNSAFE_SCRIPT_SOURCES = {"'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:", "data:", "blob:"}


@register(Tags.security, deploy=True)
def content_security_policy(app_configs, **kwargs):
    """The CSP is sent, enforced (not report-only) and keeps script to the site's own files."""
    errors = []
    if "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE:
        errors.append(Error("No Content-Security-Policy: csp.middleware.CSPMiddleware is not in MIDDLEWARE.",
                            id="observatory.E010"))
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    directives = policy.get("DIRECTIVES") or {}
    if not directives:
        errors.append(Error("CONTENT_SECURITY_POLICY has no directives (only a report-only policy, or none).",
                            hint="Restore CONTENT_SECURITY_POLICY in observatory/settings.py.", id="observatory.E011"))
        return errors
    scripts = set(directives.get("script-src") or directives.get("default-src") or ["*"])
    if scripts & _UNSAFE_SCRIPT_SOURCES:
        errors.append(Error(f"The CSP lets scripts run from {sorted(scripts & _UNSAFE_SCRIPT_SOURCES)}.",
                            hint="Move inline script to static files; use a nonce where one is unavoidable.",
                            id="observatory.E012"))
    for directive in ("object-src", "base-uri", "frame-ancestors"):
        if directive not in directives:
            errors.append(Error(f"The CSP lacks {directive}.", id="observatory.E013"))
    return errors


@register(Tags.security, deploy=True)
def trusted_proxies(app_configs, **kwargs):
    """Behind a proxy, the rate limits must know how many proxies to skip, and DRF must agree with them."""
    errors = []
    num_proxies = getattr(settings, "NUM_PROXIES", None)
    if not isinstance(num_proxies, int) or num_proxies < 0:
        errors.append(Error("NUM_PROXIES must be a whole number ≥ 0.", id="observatory.E020"))
        return errors
    if settings.REST_FRAMEWORK.get("NUM_PROXIES") != num_proxies:
        errors.append(Error(
            "The API throttles do not use NUM_PROXIES: with DRF's default they count per X-Forwarded-For as sent "
            "by the client, which anyone can forge.", hint='Set REST_FRAMEWORK["NUM_PROXIES"] = NUM_PROXIES.',
            id="observatory.E021"))
    if settings.SECURE_PROXY_SSL_HEADER and num_proxies == 0:
        errors.append(Error(
            "BEHIND_PROXY is on but NUM_PROXIES is 0: every client would have the proxy's address, and the rate "
            "limits would lock the whole site out at once.", hint="Set NUM_PROXIES to the number of reverse "
            "proxies in front of gunicorn (usually 1).", id="observatory.E022"))
    if getattr(settings, "RATELIMIT_IP_META_KEY", None) != "cases.client_ip.client_ip":
        errors.append(Error("django-ratelimit does not use cases.client_ip.client_ip for the client's address.",
                            id="observatory.E023"))
    return errors


_DEVELOPMENT_MAIL_BACKENDS = ("console.EmailBackend", "locmem.EmailBackend", "dummy.EmailBackend")


@register(Tags.security, deploy=True)
def real_mail_backend(app_configs, **kwargs):
    """Activation and password-reset links must reach the person, not the log (console) or nowhere."""
    if settings.EMAIL_BACKEND.endswith(_DEVELOPMENT_MAIL_BACKENDS):
        return [Error(f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}, a development backend: e-mails (activation "
                      "links included) would be printed to the log or dropped.",
                      hint="Unset EMAIL_BACKEND (SMTP) and set EMAIL_HOST, EMAIL_PORT…", id="observatory.E030")]
    return []
