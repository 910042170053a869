"""Server time of the public pages on a national-scale synthetic dataset, and how it grows with it.

    .venv/bin/python bench/bench_site.py                      # SQLite file var/bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/observatory_bench .venv/bin/python bench/bench_site.py
    .venv/bin/python bench/bench_site.py --requests 50 --cases 10000 --tools 50000 --small-cases 100

Builds (or reuses) 10,000 cases and 50,000 tools over the real territories (bench/synthetic.py), then
requests each page N times through Django's test client — the full middleware and template stack, no
network — and prints the median and 95th percentile server time, plus the map data's size per case.

Pages read aggregates from the cache while the data are unchanged (cases.catalogue.freshness): the
"after a write" column is the median of requests each preceded by a data change, i.e. the cost of
recomputing them (the first visitor after an edit pays it once per filter set).

The same pages are then measured in a child process on a small dataset (``--small-cases``, 100 by
default, in var/bench_small.sqlite3 or the database ``<name>_small`` next to DATABASE_URL's, created
if missing), and the ratio of medians, national / small, is printed: the cost of the list, the map
and the statistics must stay flat as cases grow (goal ≤ 2). ``--small-cases 0`` skips it.
"""

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.synthetic import build, setup_django

# Pages whose cost must not grow with the number of cases (issue 15): the ratio is checked for them.
FLAT = {"list", "list, filtered + search", "list, page 200", "map page", "map data, all cases",
        "map data, Occitanie", "statistics", "statistics, filtered"}
# Pages that take the list's filters, measured under filter sets never seen before too.
NEW_FILTER_SET = FLAT
GOAL_P95_MS = 100
GOAL_RATIO = 2


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure(client, url, n, **headers):
    client.get(url, **headers)  # warm-up: template compilation, first connection, cache fill
    times = []
    response = None
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url, **headers)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return times, response


def measure_after_write(client, url, n):
    """Median time of requests that each follow a data change (every cached aggregate recomputed)."""
    from cases.catalogue.freshness import data_changed

    times = []
    for _ in range(n):
        data_changed()
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure_new_filter_set(client, url, n):
    """Median time of requests each with a filter set not seen before at this data version (the facts are
    loaded, but the page's ids, facets and HTML fragments are not cached): the cost of the long tail of
    URLs. A launch year floor before the first launch keeps the cases that have a launch year, under a new key."""
    times = []
    for i in range(n):
        separator = "&" if "?" in url else "?"
        start = time.perf_counter()
        client.get(f"{url}{separator}launch_year_min={1901 + i}")
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def pages(slugs):
    compare = "/comparer/?" + "&".join(f"cas={slug}" for slug in slugs[:6])
    return [
        ("home", "/"),
        ("list", "/cas/"),
        ("list, filtered + search", "/cas/?mode=participative&region=76&q=budget&ordering=-launch_year"),
        ("list, page 200", "/cas/?page=200"),
        ("profile", f"/cas/{slugs[0]}/"),
        ("compare, 6 cases", compare),
        ("map page", "/carte/"),
        ("map data, all cases", "/carte/donnees.geojson"),
        ("map data, Occitanie", "/carte/donnees.geojson?region=76"),
        ("statistics", "/statistiques/"),
        ("statistics, filtered", "/statistiques/?mode=participative&region=76"),
    ]


def small_database_env(small_cases: int, original_url: str | None) -> dict:
    """The child's environment: the same engine, another database (created if missing)."""
    env = {**os.environ}
    if not original_url:
        env.pop("DATABASE_URL", None)
        return env
    if original_url.startswith("sqlite:"):
        # Another file beside the given one: the child must never rebuild the big dataset's database.
        env["DATABASE_URL"] = original_url.removesuffix(".sqlite3") + "_small.sqlite3"
        return env
    import psycopg
    from django.db import connection

    name = connection.settings_dict["NAME"]
    small = f"{name}_small"
    env["DATABASE_URL"] = original_url.rsplit("/", 1)[0] + f"/{small}"
    params = {key: value for key, value in connection.get_connection_params().items()
              if key in ("host", "port", "user", "password")}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [small]).fetchone():
            admin.execute(f'CREATE DATABASE "{small}"')
    return env


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", "-n", type=int, default=30, help="requests per page (default 30)")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--tools", type=int, default=50_000)
    parser.add_argument("--small-cases", type=int, default=100, help="the small dataset of the ratio (0: none)")
    parser.add_argument("--after-write", type=int, default=5, help="requests per page after a data change")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the synthetic dataset")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # the child's output
    args = parser.parse_args()

    original_url = os.environ.get("DATABASE_URL")
    setup_django("bench_small.sqlite3" if args.json else "bench.sqlite3")
    from django.db import connection
    from django.test import Client

    started = time.perf_counter()
    summary = build(n_cases=args.cases, n_tools=args.tools, rebuild=args.rebuild)
    client = Client()
    results = {}
    responses = {}
    for label, url in pages(summary["sample_slugs"]):
        times, responses[url] = measure(client, url, args.requests)
        results[label] = {"median": statistics.median(times), "p95": percentile(times, 0.95),
                          "bytes": len(responses[url].content),
                          "after_write": measure_after_write(client, url, args.after_write)}
        if label in NEW_FILTER_SET:
            results[label]["new_filters"] = measure_new_filter_set(client, url, args.after_write)
    if args.json:
        print(json.dumps(results))
        return

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"dataset: {summary['cases']} cases, {summary['tools']} tools, territories {summary['territories']}, "
          f"{'reused' if summary['reused'] else 'built'} in {time.perf_counter() - started:.1f} s")
    small = {}
    if args.small_cases:
        env = small_database_env(args.small_cases, original_url)
        child = subprocess.run(
            [sys.executable, __file__, "--json", "--cases", str(args.small_cases), "--tools",
             str(args.small_cases * args.tools // args.cases), "--requests", str(args.requests),
             "--after-write", str(args.after_write)],
            env=env, capture_output=True, text=True, timeout=1800, check=True,
        )
        small = json.loads(child.stdout.strip().splitlines()[-1])

    print(f"\n{args.requests} requests each; server time through the Django test client, in ms")
    ratio_head = f"  {'ratio':>6}" if small else ""
    print(f"{'page':<26} {'median':>7} {'p95':>7} {'after a write':>14} {'new filters':>12}{ratio_head}  bytes")
    failures = []
    for label, result in results.items():
        ratio = ""
        if small:
            value = result["median"] / small[label]["median"]
            ratio = f"  {value:6.2f}" + ("*" if label in FLAT else " ")
            if label in FLAT and value > GOAL_RATIO:
                failures.append(f"{label}: cost ratio {value:.2f} > {GOAL_RATIO}")
        if result["p95"] > GOAL_P95_MS:
            failures.append(f"{label}: p95 {result['p95']:.1f} ms > {GOAL_P95_MS}")
        new_filters = f"{result['new_filters']:12.1f}" if "new_filters" in result else f"{'':12}"
        print(f"{label:<26} {result['median']:7.1f} {result['p95']:7.1f} {result['after_write']:14.1f} "
              f"{new_filters}{ratio}  {result['bytes']:,}")
    if small:
        print(f"ratio: median at {summary['cases']} cases / median at {args.small_cases} cases "
              f"(* must stay ≤ {GOAL_RATIO})")

    from cases.models import Case

    published = Case.objects.published().count()
    body = responses["/carte/donnees.geojson"].content
    features = body.count(b'"type":"Feature"')
    compressed = len(gzip.compress(body, compresslevel=6))
    print(f"\nmap data: {features} located cases out of {published} published; "
          f"{len(body):,} bytes = {len(body) / max(features, 1):.0f} bytes per case "
          f"({compressed:,} bytes gzipped = {compressed / max(features, 1):.0f} bytes per case)")
    gz_times, gz_response = measure(client, "/carte/donnees.geojson", args.requests, HTTP_ACCEPT_ENCODING="gzip")
    print(f"map data, gzip as browsers get it: median {statistics.median(gz_times):.1f} ms, "
          f"p95 {percentile(gz_times, 0.95):.1f} ms, {len(gz_response.content):,} bytes on the wire")
    print("\ngoals met" if not failures else "\ngoals missed:\n  " + "\n  ".join(failures))


if __name__ == "__main__":
    main()
