#!/usr/bin/env bash
# Restore a file made by scripts/backup.sh into the database named by DATABASE_URL, replacing its content.
#   scripts/restore.sh BACKUP_FILE
# Stop the site (and the mailer) first. PostgreSQL: pg_restore --clean drops and recreates every object of
# the dump in one transaction, so a failed restore leaves the database as it was. SQLite: the backup API
# copies the file over the database. Then run `manage.py migrate` if the code is newer than the backup.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python3 )}"
backup="${1:?usage: scripts/restore.sh BACKUP_FILE}"
[ -f "$backup" ] || { echo "restore.sh: no such file: $backup" >&2; exit 2; }
url="${DATABASE_URL:-sqlite:///$PWD/var/db.sqlite3}"

case "$url" in
  postgres://*|postgresql://*)
    pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
      --dbname="$url" "$backup"
    ;;
  sqlite://*)
    "$PYTHON" - "$backup" "${url#sqlite:///}" <<'PY'
import sqlite3, sys
source, dest = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with dest:
    source.backup(dest)
dest.close(); source.close()
PY
    ;;
  *) echo "restore.sh: unsupported DATABASE_URL scheme: ${url%%:*}" >&2; exit 2 ;;
esac
echo "restored $backup"
