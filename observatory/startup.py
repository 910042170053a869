"""Guards for the serving entry points (WSGI and ASGI), which management commands do not go through."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def refuse_insecure_production_settings():
    if not settings.DEBUG and settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        raise ImproperlyConfigured("Set SECRET_KEY: the site does not serve with the dev-only key when DEBUG is off.")
