"""Benchmark of the read API under gunicorn on the synthetic national-scale dataset.

    .venv/bin/python bench/bench_api.py [--cases 10000 --tools 50000 --workers 2 --requests 400]

Builds (or reuses) the dataset of ``bench/synthetic.py`` in ``var/bench_api.sqlite3`` (or DATABASE_URL),
starts gunicorn on a free loopback port with ``bench.settings_api`` (production settings, no throttling,
plus the same-bytes floor view), loads it from this script with a bounded number of requests over
a few concurrent connections, and prints requests per second of:

- ``/api/v1/cases/?page_size=50`` next to ``/bench/floor-cases/?page_size=50`` — the same bytes, built by
  hand from ``values()`` with no framework and no cache (``bench/urls_api.py``); the script first checks
  that both answers are byte for byte equal — and their ratio (goal: API ≥ 0.5 × floor);
- the full GeoJSON and CSV exports (every published case), with their sizes.

Every request is bounded in count and time and goes to 127.0.0.1 only; gunicorn is stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port: int, path: str, timeout: float = 120, *, keep: bool = False):
    """``(status, size)``, or ``(status, body)`` with ``keep``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": "localhost", "Accept-Encoding": "identity"})
        response = conn.getresponse()
        size, chunks = 0, []
        while chunk := response.read(65536):
            size += len(chunk)
            if keep:
                chunks.append(chunk)
        return response.status, (b"".join(chunks) if keep else size)
    finally:
        conn.close()


def same_bytes(port: int, api_path: str, floor_path: str) -> int:
    """Fail unless the API and the floor answer the same bytes; returns their size."""
    (status_api, api), (status_floor, floor) = fetch(port, api_path, keep=True), fetch(port, floor_path, keep=True)
    if (status_api, status_floor) != (200, 200):
        raise SystemExit(f"statuses {status_api} / {status_floor}")
    if api != floor:
        at = next((i for i, (a, b) in enumerate(zip(api, floor, strict=False)) if a != b), min(len(api), len(floor)))
        raise SystemExit(f"the floor is not the API's answer: first difference at byte {at}:\n"
                         f"  API:   {api[max(0, at - 80):at + 80]!r}\n  floor: {floor[max(0, at - 80):at + 80]!r}")
    return len(api)


def wait_ready(port: int, process, deadline: float = 60) -> None:
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}")
        try:
            if fetch(port, "/api/v1/vocabularies/", timeout=5)[0] == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer in time")


def load(port: int, path: str, requests: int, concurrency: int) -> dict:
    """``requests`` GETs of ``path`` over ``concurrency`` connections; requests per second and sizes."""
    fetch(port, path)  # warm-up (connections, caches)
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda _i: fetch(port, path), range(requests)))
    elapsed = time.perf_counter() - start
    statuses = {status for status, _size in results}
    if statuses != {200}:
        raise SystemExit(f"{path}: unexpected statuses {statuses}")
    return {"path": path, "requests": requests, "seconds": elapsed, "rps": requests / elapsed,
            "bytes": results[0][1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--tools", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--requests", type=int, default=400, help="for each 50-row endpoint")
    parser.add_argument("--export-requests", type=int, default=6, help="for each full export")
    args = parser.parse_args()

    from bench.synthetic import setup_django

    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    setup_django("bench_api.sqlite3")
    from bench.synthetic import build

    t0 = time.perf_counter()
    summary = build(n_cases=args.cases, n_tools=args.tools)
    print(f"dataset: {summary['cases']} cases, {summary['tools']} tools "
          f"({'reused' if summary['reused'] else 'built'} in {time.perf_counter() - t0:.1f} s; "
          f"territories: {summary['territories']})")

    from django.conf import settings

    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings_api", "DEBUG": "false", "TESTING": "false",
           "ALLOWED_HOSTS": "localhost,127.0.0.1", "DATABASE_URL": os.environ["DATABASE_URL"],
           "PYTHONPATH": str(ROOT)}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "observatory.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers",
         str(args.workers), "--worker-class", "sync", "--timeout", "300", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    try:
        wait_ready(port, process)
        print(f"gunicorn: {args.workers} sync workers on 127.0.0.1:{port}; {args.concurrency} concurrent clients; "
              f"database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}\n")
        size = same_bytes(port, "/api/v1/cases/?page_size=50", "/bench/floor-cases/?page_size=50")
        print(f"/api/v1/cases/?page_size=50 and /bench/floor-cases/?page_size=50: the same {size:,} bytes")
        api = load(port, "/api/v1/cases/?page_size=50", args.requests, args.concurrency)
        floor = load(port, "/bench/floor-cases/?page_size=50", args.requests, args.concurrency)
        filtered = load(port, "/api/v1/cases/?page_size=50&mode=participative&region=84", args.requests,
                        args.concurrency)
        geojson = load(port, "/api/v1/cases.geojson", args.export_requests, min(2, args.concurrency))
        csv_ = load(port, "/api/v1/cases.csv", args.export_requests, min(2, args.concurrency))
        tools = load(port, "/api/v1/tools.csv", args.export_requests, min(2, args.concurrency))
        width = max(len(r["path"]) for r in (api, floor, filtered, geojson, csv_, tools))
        print(f"{'endpoint'.ljust(width)}  {'req/s':>8}  {'ms/req':>8}  {'body':>12}")
        for r in (api, floor, filtered, geojson, csv_, tools):
            print(f"{r['path'].ljust(width)}  {r['rps']:8.1f}  {1000 / r['rps']:8.1f}  {r['bytes']:>10,} B")
        ratio = api["rps"] / floor["rps"]
        print(f"\nAPI page of 50 / same-bytes floor: {ratio:.2f} ({api['rps']:.1f} vs {floor['rps']:.1f} req/s; "
              f"goal ≥ 0.5: {'met' if ratio >= 0.5 else 'missed'})")
        print(f"exports of {summary['cases']} cases: GeoJSON {geojson['bytes'] / 1e6:.1f} MB, "
              f"CSV {csv_['bytes'] / 1e6:.1f} MB; tools CSV {tools['bytes'] / 1e6:.1f} MB")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


if __name__ == "__main__":
    main()
