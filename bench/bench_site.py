"""Server time of the public pages on a national-scale synthetic dataset.

    .venv/bin/python bench/bench_site.py                      # SQLite file var/bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/observatory_bench .venv/bin/python bench/bench_site.py
    .venv/bin/python bench/bench_site.py --requests 50 --cases 10000 --tools 50000

Builds (or reuses) 10,000 cases and 50,000 tools over the real territories (bench/synthetic.py), then
requests each page N times through Django's test client — the full middleware and template stack, no
network — and prints the median and 95th percentile server time, plus the map data's size per case.
The PostgreSQL database named in DATABASE_URL must exist; its tables are created by the script.
"""

import argparse
import gzip
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.synthetic import build, setup_django


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure(client, url, n, **headers):
    client.get(url, **headers)  # warm-up: template compilation, first connection
    times = []
    response = None
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url, **headers)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return times, response


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", "-n", type=int, default=30, help="requests per page (default 30)")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--tools", type=int, default=50_000)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the synthetic dataset")
    args = parser.parse_args()

    setup_django()
    from django.db import connection
    from django.test import Client

    started = time.perf_counter()
    summary = build(n_cases=args.cases, n_tools=args.tools, rebuild=args.rebuild)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"dataset: {summary['cases']} cases, {summary['tools']} tools, territories {summary['territories']}, "
          f"{'reused' if summary['reused'] else 'built'} in {time.perf_counter() - started:.1f} s")
    slugs = summary["sample_slugs"]
    compare = "/comparer/?" + "&".join(f"cas={slug}" for slug in slugs[:6])

    from cases.models import Case

    published = Case.objects.published().count()
    pages = [
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
    client = Client()
    print(f"\n{args.requests} requests each; server time through the Django test client, in ms")
    print(f"{'page':<28} {'median':>8} {'p95':>8}  bytes")
    map_response = None
    for label, url in pages:
        times, response = measure(client, url, args.requests)
        print(f"{label:<28} {statistics.median(times):8.1f} {percentile(times, 0.95):8.1f}  {len(response.content):,}")
        if url == "/carte/donnees.geojson":
            map_response = response

    body = map_response.content
    features = body.count(b'"type":"Feature"')
    compressed = len(gzip.compress(body, compresslevel=6))
    print(f"\nmap data: {features} located cases out of {published} published; "
          f"{len(body):,} bytes = {len(body) / max(features, 1):.0f} bytes per case "
          f"({compressed:,} bytes gzipped = {compressed / max(features, 1):.0f} bytes per case)")
    gz_times, gz_response = measure(client, "/carte/donnees.geojson", args.requests, HTTP_ACCEPT_ENCODING="gzip")
    print(f"map data, gzip as browsers get it: median {statistics.median(gz_times):.1f} ms, "
          f"p95 {percentile(gz_times, 0.95):.1f} ms, {len(gz_response.content):,} bytes on the wire")


if __name__ == "__main__":
    main()
