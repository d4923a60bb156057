"""Throughput of the public pages against the trivial page, under gunicorn (issue #16).

Serves the application as in production (2 gunicorn workers, DEBUG off, the shipped reference
data) on loopback, then loads each page with wrk in the same run as `/health/`, which touches
no database: requests a second, latency percentiles, and each page's weight as sent to a
browser that accepts gzip. Pages are asked for once first (warm): the goal is each public page
at 50% or more of the trivial page's throughput, and 60 KB or less on the wire.

    python benchmarks/throughput.py [--seconds 10] [--connections 8]

Needs wrk (Debian: apt-get install wrk). SQLite on a throw-away file, or DATABASE_URL's
database when it is set (a scratch database: it is migrated and loaded). Prints figures;
asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import gunicorn, scratch  # noqa: E402

PAGES = ["/health/", "/", "/states/", "/reporting/", "/universalization/", "/fr/states/CMR/"]
PORT = 8790


def wire_bytes(url: str) -> int:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        return len(response.read())


def wrk(url: str, seconds: int, connections: int) -> dict[str, str]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency",
         "-H", "Accept-Encoding: gzip", url],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    found = {"rps": re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)}  # type: ignore[union-attr]
    for pct in ("50", "99"):
        match = re.search(rf"^\s+{pct}%\s+(\S+)", out, re.MULTILINE)
        found[f"p{pct}"] = match.group(1) if match else "?"
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    found["errors"] = errors.group(1) if errors else "0"
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    with scratch(os.environ.get("DATABASE_URL")) as env, gunicorn(env, PORT) as base:
        print(f"gunicorn, 2 workers, on {env['DATABASE_URL'].split(':')[0]}; wrk -t2 "
              f"-c{args.connections} -d{args.seconds}s, Accept-Encoding: gzip")  # fmt: skip
        rows = []
        for page in PAGES:
            for _ in range(4):  # warm: every worker has made the page once
                wire_bytes(base + page)
            rows.append(
                (page, wire_bytes(base + page), wrk(base + page, args.seconds, args.connections))
            )
        trivial = float(rows[0][2]["rps"])
        print(
            f"{'page':<22}{'req/s':>9}{'of /health/':>13}{'p50':>10}{'p99':>10}"
            f"{'sent':>10}{'errors':>8}"
        )
        for page, size, figures in rows:
            share = float(figures["rps"]) / trivial
            print(
                f"{page:<22}{float(figures['rps']):>9.0f}{share:>12.0%} {figures['p50']:>9} "
                f"{figures['p99']:>9} {size / 1000:>7.1f} KB{figures['errors']:>8}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
