"""Time `load_territories` on SQLite and PostgreSQL: a first load into an empty database, then the
idempotent second run (nothing to write). Prints the figures; asserts nothing.

    .venv/bin/python bench/bench_load_territories.py [--postgres postgres://postgres@127.0.0.1:5432/postgres]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def manage(database_url, *args):
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "true"}
    started = time.perf_counter()
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def bench(label, database_url):
    manage(database_url, "migrate", "--noinput", "-v0")
    first = manage(database_url, "load_territories")
    second = manage(database_url, "load_territories")
    print(f"{label:<11} first load {first:6.1f} s   second run (no change) {second:6.1f} s"
          "   (wall time of the whole command, Django start-up included)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres",
                        help="server URL; a throw-away database bench_territories is created there ('' to skip)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench("SQLite", f"sqlite:///{tmp}/bench.sqlite3")
    if args.postgres:
        import psycopg

        admin_url = args.postgres
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS bench_territories")
            conn.execute("CREATE DATABASE bench_territories")
        try:
            bench("PostgreSQL", admin_url.rsplit("/", 1)[0] + "/bench_territories")
        finally:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS bench_territories WITH (FORCE)")


if __name__ == "__main__":
    main()
