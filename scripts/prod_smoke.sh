#!/usr/bin/env bash
# The production recipe without Docker, smoke-tested: PostgreSQL + Redis + gunicorn with DEBUG=false, started
# the way the image starts (scripts/entrypoint.sh: migrate, load territories and study cases, gunicorn with
# gunicorn.conf.py), then scripts/prod_smoke.py walks every public page, signs up, submits a case and has a
# moderator decide. Needs PostgreSQL on 127.0.0.1:5432 (user postgres) and Redis on 127.0.0.1:6379, as in
# .ci/run. Creates and drops a database of its own. Exit status 0 when everything passed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
PG="${SMOKE_PG:-postgres://postgres@127.0.0.1:5432}"
db="obs_smoke_$$"
work="$(mktemp -d)"
port="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  dropdb --if-exists --force "$db" -h 127.0.0.1 -U postgres 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

createdb -h 127.0.0.1 -U postgres "$db"
export DEBUG=false SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export ALLOWED_HOSTS=127.0.0.1,localhost DATABASE_URL="$PG/$db" REDIS_URL=redis://127.0.0.1:6379/3
# Plain HTTP on the loopback, no TLS proxy in front: no HTTPS redirect, cookies without the Secure flag.
export SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SITE_URL="http://127.0.0.1:$port"
export EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend EMAIL_FILE_PATH="$work/mail"
export STATIC_ROOT="$work/static" GUNICORN_BIND="127.0.0.1:$port" GUNICORN_WORKERS=2 LOG_LEVEL=WARNING
export PYTHON="$PY"
redis-cli -n 3 flushdb >/dev/null

"$PY" manage.py collectstatic --noinput -v0
# The image's start, with the venv's python and gunicorn first on the PATH.
PATH="$(dirname "$PY"):$PATH" scripts/entrypoint.sh >"$work/site.log" 2>&1 &
pid=$!
"$PY" scripts/prod_smoke.py "http://127.0.0.1:$port" "$work/mail" "$pid" || { tail -n 40 "$work/site.log"; exit 1; }
# Production logs are JSON lines (Django's and gunicorn's alike).
"$PY" - "$work/site.log" <<'PY'
import json, sys
lines = [line for line in open(sys.argv[1], encoding="utf-8") if line.startswith("{")]
assert lines, "no JSON log line"
for line in lines:
    json.loads(line)
print(f"{len(lines)} JSON log lines")
PY
echo "prod smoke: OK"
