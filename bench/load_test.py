"""Load test: locust, headless, against gunicorn on PostgreSQL with Redis, over the national dataset.

    pip install -e '.[bench]'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/observatory_bench REDIS_URL=redis://127.0.0.1:6379/15 \\
        .venv/bin/python bench/load_test.py [--users 50 --minutes 2 --workers 3]

Builds (or reuses) the 10,000-case dataset of bench/synthetic.py, creates an official and a moderator
with API keys (for the trickle of contributions and decisions), starts gunicorn on a free port of
127.0.0.1 (``--workers``, 3 by default as in the Dockerfile's ``GUNICORN_WORKERS``; production settings
with plain HTTP and no API throttle — every simulated user shares one address), runs
bench/locustfile.py for a bounded time, stops everything and prints requests per second, p50/p95/p99
per endpoint and the errors. Not part of CI. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_api import free_port, wait_ready  # noqa: E402

GOAL_P95_MS = 300


def accounts() -> dict:
    """An official and a moderator with fresh API keys, and a commune for their contributions."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from cases.contributions.services import api_token_renew
    from cases.models import ContributorProfile, Territory
    from cases.permissions import CONTRIBUTORS_GROUP, MODERATORS_GROUP

    users = get_user_model().objects
    official, _ = users.get_or_create(username="load-official@example.org",
                                      defaults={"email": "load-official@example.org", "first_name": "Camille",
                                                "last_name": "Charge"})
    official.groups.add(Group.objects.get_or_create(name=CONTRIBUTORS_GROUP)[0])
    ContributorProfile.objects.get_or_create(user=official, defaults={
        "organisation": "Mairie", "email_confirmed_at": timezone.now(), "verified_at": timezone.now()})
    moderator, _ = users.get_or_create(username="load-moderator@example.org",
                                       defaults={"email": "load-moderator@example.org"})
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    commune = Territory.objects.filter(kind="commune", population__gte=20_000).order_by("code").first()
    return {
        "LOAD_OFFICIAL_TOKEN": api_token_renew(user=official)[1],
        "LOAD_MODERATOR_TOKEN": api_token_renew(user=moderator)[1],
        "LOAD_TERRITORY": str(commune.pk),
    }


def report(prefix: Path, seconds: float) -> bool:
    rows = list(csv.DictReader(Path(f"{prefix}_stats.csv").read_text(encoding="utf-8").splitlines()))
    print(f"\n{'endpoint':<52} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}  (ms)")
    ok = True
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
        method = row["Type"] + " " if row["Type"] else ""
        p95 = float(row["95%"] or 0)
        print(f"{(method + name)[:52]:<52} {row['Request Count']:>8} {row['Failure Count']:>6} "
              f"{float(row['Requests/s']):7.1f} {row['50%']:>6} {row['95%']:>6} {row['99%']:>6}")
        if name == "ALL":
            ok = int(row["Failure Count"]) == 0 and p95 <= GOAL_P95_MS
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        lines = list(csv.DictReader(failures.read_text(encoding="utf-8").splitlines()))
        for line in lines[:10]:
            print(f"  error: {line['Method']} {line['Name']}: {line['Error']} ×{line['Occurrences']}")
    print(f"\nover {seconds:.0f} s; goal: 0 errors and p95 ≤ {GOAL_P95_MS} ms overall: {'met' if ok else 'missed'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=2)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("GUNICORN_WORKERS", 3)))
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--tools", type=int, default=50_000)
    args = parser.parse_args()

    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("the load test runs on PostgreSQL: set DATABASE_URL=postgres://…")
    from bench.synthetic import build, setup_django

    setup_django()
    summary = build(n_cases=args.cases, n_tools=args.tools)
    from cases.models import Case

    slugs = list(Case.objects.published().filter(slug__startswith="bench-").order_by("slug")
                 .values_list("slug", flat=True)[:2000])
    env = {**os.environ, **accounts(), "LOAD_SLUGS": ",".join(slugs)}
    print(f"dataset: {summary['cases']} cases, {summary['tools']} tools; {args.users} users for "
          f"{args.minutes:g} min against {args.workers} gunicorn workers (PostgreSQL, Redis {env['REDIS_URL']})")

    port = free_port()
    server_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.settings_api", "DEBUG": "false", "TESTING": "false",
                  "ALLOWED_HOSTS": "localhost,127.0.0.1", "PYTHONPATH": str(ROOT)}
    bin_dir = Path(sys.executable).parent
    # Production serves hashed static files: their manifest must exist, as after a deployment.
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=server_env,
                   check=True)
    server = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "observatory.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=server_env,
    )
    prefix = Path(os.environ.get("VAR_DIR", ROOT / "var")) / "locust"
    started = time.monotonic()
    try:
        wait_ready(port, server)
        seconds = args.minutes * 60
        subprocess.run(
            [str(bin_dir / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
             "--users", str(args.users), "--spawn-rate", "10", "--run-time", f"{int(seconds)}s",
             "--stop-timeout", "10", "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix),
             "--only-summary", "--loglevel", "WARNING"],
            env=env, cwd=ROOT, timeout=seconds + 120, check=False,
        )
        elapsed = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    sys.exit(0 if report(prefix, elapsed) else 1)


if __name__ == "__main__":
    main()
