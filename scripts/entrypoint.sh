#!/bin/sh
# Start of the production container (and of scripts/prod_smoke.sh): bring the database up to date, load
# the reference data and the source study (both idempotent: rerun at every start, they change only what
# changed), then serve. `docker compose up` on an empty volume gives a site whose guided form already
# offers every collectivity.
set -eu
python manage.py migrate --noinput
python manage.py load_territories
python manage.py load_study_cases
exec gunicorn observatory.wsgi:application -c gunicorn.conf.py "$@"
