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
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py load_study_cases && exec gunicorn observatory.wsgi:application --bind 0.0.0.0:8000 --workers ${GUNICORN_WORKERS:-3} --access-logfile -"]
