#!/usr/bin/env bash
# Back up the database named by DATABASE_URL (default: the SQLite file var/db.sqlite3) into one file.
#   scripts/backup.sh [DESTINATION]      # default: var/backups/observatory-<UTC time>.{dump,sqlite3}
# PostgreSQL: pg_dump's custom format (compressed, restored table by table by pg_restore), without owners
# or grants so that it restores into any role. SQLite: the online backup API, a consistent copy even while
# the site writes. Restore with scripts/restore.sh. See README, "Operations".
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python3 )}"
url="${DATABASE_URL:-sqlite:///$PWD/var/db.sqlite3}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"

case "$url" in
  postgres://*|postgresql://*)
    dest="${1:-var/backups/observatory-$stamp.dump}"
    mkdir -p "$(dirname "$dest")"
    pg_dump --format=custom --no-owner --no-privileges --file="$dest" --dbname="$url"
    ;;
  sqlite://*)
    dest="${1:-var/backups/observatory-$stamp.sqlite3}"
    mkdir -p "$(dirname "$dest")"
    "$PYTHON" - "${url#sqlite:///}" "$dest" <<'PY'
import sqlite3, sys
source, dest = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with dest:
    source.backup(dest)
dest.close(); source.close()
PY
    ;;
  *) echo "backup.sh: unsupported DATABASE_URL scheme: ${url%%:*}" >&2; exit 2 ;;
esac
echo "$dest"
