"""Load figures of the public site: requests per second and p95 under concurrent clients.

Sets up a demo installation of its own (SQLite in a temporary folder, or --data-dir), serves it
with `sekretariat serve` on loopback, finds its public pages (front page, fora, meeting plans,
agendas, minutes, items, PDFs are left out: they are measured by `bench/pages.py`), and runs
locust headless against it: first one client alone, then the given numbers of concurrent
clients, each for `--seconds`. Loopback only, and bounded in time.

    .venv/bin/python bench/load.py [--clients 1 8 16] [--seconds 30] [--workers N]

Needs the bench extra (`uv sync --extra bench`, or `make bench`).
"""

import argparse
import csv
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
QUERIES = [
    "IV-behandling",
    "takster",
    "sundhedsklynge",
    "budget 2027",
    "godkendelse af referat",
    "kommissorium",
    "udpegning",
    "praksisplan",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pages(base: str, limit: int = 60) -> list[str]:
    """Public pages found by following links from the front page (HTML pages only)."""
    seen, queue, pages = {"/"}, ["/"], []
    while queue and len(pages) < limit:
        path = queue.pop(0)
        with urllib.request.urlopen(base + path, timeout=30) as response:
            if "text/html" not in response.headers.get("Content-Type", ""):
                continue
            html = response.read().decode("utf-8", "replace")
        pages.append(path)
        for link in re.findall(r'href="(/[^"#?]*)"', html):
            if link in seen or link.startswith(("/static/", "/admin", "/log", "/sekretariat")):
                continue
            if link.endswith((".pdf", ".ics", ".xlsx", ".csv")) or "/bilag/" in link:
                continue
            seen.add(link)
            queue.append(link)
    return pages


def _locust(base: str, clients: int, seconds: int, env: dict, out: Path) -> dict:
    prefix = out / f"c{clients}"
    subprocess.run(
        [
            str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
            "-u", str(clients), "-r", str(clients), "-t", f"{seconds}s", "--host", base,
            "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
        ],
        env=env, check=True, capture_output=True, timeout=seconds + 120,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", newline="") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    total = rows["Aggregated"]
    return {
        "clients": clients,
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "by_kind": {
            name: (float(row["Requests/s"]), float(row["95%"]))
            for name, row in rows.items()
            if name != "Aggregated"
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 16])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=None, help="server processes")
    parser.add_argument("--data-dir", help="an installation to reuse (else a new demo)")
    args = parser.parse_args()
    if max(args.clients) > 64 or args.seconds > 600:
        parser.error("bounded: at most 64 clients and 600 seconds")

    data_dir = args.data_dir or tempfile.mkdtemp(prefix="sekretariat-load-")
    env = {**os.environ, "SEKRETARIAT_DATA_DIR": data_dir}
    env.pop("DATABASE_URL", None) if not args.data_dir else None
    sek = str(BIN / "sekretariat")
    subprocess.run([sek, "keys", "--create"], env=env, check=True, capture_output=True)
    subprocess.run([sek, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([sek, "demo_data", "--once"], env=env, check=True, capture_output=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    serve = [sek, "serve", "--port", str(port)]
    if args.workers:
        serve += ["--workers", str(args.workers)]
    server = subprocess.Popen(serve, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=2).read()
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.3)
        pages = _pages(base)
        load_env = {
            **env,
            "SEKRETARIAT_LOAD_PAGES": json.dumps(pages),
            "SEKRETARIAT_LOAD_QUERIES": json.dumps(QUERIES),
        }
        print(f"server: {' '.join(serve[1:])}; {len(pages)} public pages, {len(QUERIES)} queries")
        print(f"cores the process may use: {len(os.sched_getaffinity(0))}")
        print(
            f"{'clients':>8} {'requests':>9} {'failed':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}"
        )
        with tempfile.TemporaryDirectory() as out:
            for clients in args.clients:
                r = _locust(base, clients, args.seconds, load_env, Path(out))
                print(
                    f"{r['clients']:>8} {r['requests']:>9} {r['failures']:>7} {r['rps']:>8.1f} "
                    f"{r['p50_ms']:>8.0f} {r['p95_ms']:>8.0f}"
                )
                for name, (rps, p95) in sorted(r["by_kind"].items()):
                    print(f"{'':>8} {name:<40} {rps:>7.1f}/s p95 {p95:>5.0f} ms")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
