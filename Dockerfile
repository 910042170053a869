# Production image: gunicorn serving the site, whitenoise serving the static files.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 observatory
WORKDIR /app

COPY pyproject.toml README.md ./
COPY observatory ./observatory
COPY cases ./cases
RUN pip install .
COPY . .
# Build-time only: static files and compiled translations need no secret and no database.
RUN DEBUG=false SECRET_KEY=build-only python manage.py compilemessages --ignore=.venv \
 && DEBUG=false SECRET_KEY=build-only python manage.py collectstatic --noinput
# The releases' folder belongs to the site's user, so that a volume mounted there starts writable.
RUN mkdir -p /app/releases && chown observatory /app/releases
USER observatory
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s CMD ["python", "scripts/healthcheck.py"]
# migrate, load territories and study cases (idempotent), then gunicorn with JSON logs (gunicorn.conf.py).
CMD ["scripts/entrypoint.sh"]
