from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

# Only the test suite uses axe-core (static/vendor/axe-core; the browser tests read it from disk): never
# collected, so production never serves it. Set on django.contrib.staticfiles' config, which collectstatic
# reads, rather than by replacing the app (tools look for "django.contrib.staticfiles" by name).
TEST_ONLY_STATIC = ["vendor/axe-core/*"]


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Observatoire : cas et territoires")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, sessions  # noqa: F401  (register the deployment checks, the log-in time)

        staticfiles = apps.get_app_config("staticfiles")
        staticfiles.ignore_patterns = [*staticfiles.ignore_patterns, *TEST_ONLY_STATIC]

        from .catalogue.freshness import connect_signals

        connect_signals()
