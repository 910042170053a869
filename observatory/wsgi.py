import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatory.settings")
application = get_wsgi_application()

from observatory.startup import refuse_insecure_production_settings  # noqa: E402

refuse_insecure_production_settings()
