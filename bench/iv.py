"""Benchmark of ``sekretariat iv settle`` on a realistic year of 1,000,000 courses.

    .venv/bin/python bench/iv.py [--courses 1000000] [--year 2022] [--seed 7] [--keep]

Writes a CSV of fictional courses into a temporary directory (29 fictional municipalities weighted
by size; antibiotics, fluids and pump; log-normal course lengths; starts spread over the year, some
running into the next; numeric course ids in random order so the integer tie-break is exercised;
a share of fluids spelled 'væske'), then times ``cli.main(["settle", ...])`` writing to a file, once
with course lines and once with ``--summary``, each in a fresh child interpreter so that the peak
RSS (``resource.getrusage``) is the settlement's own. Reports wall time, CPU time and peak RSS. Target: ≤ 10 s and ≤ 1 GB for 1,000,000 courses.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sekretariat.agreements import cli

# Fictional municipalities and weights (roughly inhabitants in thousands).
MUNICIPALITIES = {
    "Askeby": 32, "Bøgehøj": 55, "Dalum Strand": 18, "Egelund": 71, "Fjordvang": 24,
    "Granhøj": 40, "Havnsø Nord": 12, "Højmark": 88, "Isefjord": 29, "Kildebro": 47,
    "Lindholt": 36, "Mosevang": 21, "Nørreskov": 64, "Overby": 15, "Pilegård": 52,
    "Ravnsbjerg": 43, "Skovlunde Øst": 27, "Tornved": 33, "Ulvsbæk": 19, "Vestermose": 58,
    "Ådal": 23, "Ørbæk By": 31, "Æblehave": 16, "Bakkely": 49, "Engsø": 26,
    "Fuglebjerg Vest": 22, "Hasselø": 35, "Kongsvang": 120, "Strandhøj": 39,
}  # fmt: skip

TYPES = (
    # code as written, share, median days, spread (log-normal sigma), longest course
    ("antibiotika", 0.55, 7.0, 0.55, 60),
    ("vaeske", 0.27, 3.0, 0.60, 30),
    ("væske", 0.03, 3.0, 0.60, 30),
    ("pumpe", 0.15, 8.0, 0.70, 90),
)  # fmt: skip


def generate(path: Path, count: int, year: int, seed: int) -> None:
    rng = random.Random(seed)
    names = list(MUNICIPALITIES)
    weights = list(MUNICIPALITIES.values())
    type_rows = [(code, median, sigma, longest) for code, _, median, sigma, longest in TYPES]
    type_weights = [share for _, share, *_ in TYPES]
    first = date(year, 1, 1).toordinal()
    days_in_year = date(year, 12, 31).toordinal() - first + 1
    ids = rng.sample(range(100_000, 100_000 + 4 * count), count)
    chosen_names = rng.choices(names, weights, k=count)
    chosen_types = rng.choices(type_rows, type_weights, k=count)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("\ufeffcourse_id,municipality,type,start_date,end_date,setting\n")
        buffer = []
        for index in range(count):
            code, median, sigma, longest = chosen_types[index]
            length = min(longest, max(1, round(rng.lognormvariate(0, sigma) * median)))
            start = date.fromordinal(first + rng.randrange(days_in_year))
            end = start + timedelta(days=length - 1)
            setting = "hjemme" if rng.random() < 0.5 else "klinik"
            buffer.append(
                f"{ids[index]},{chosen_names[index]},{code},{start.isoformat()},"
                f"{end.isoformat()},{setting}\n"
            )
            if len(buffer) == 50_000:
                out.write("".join(buffer))
                buffer.clear()
        out.write("".join(buffer))


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def child(args: list[str]) -> int:
    """Runs in a fresh interpreter: settle once, print wall time, CPU time and peak RSS as JSON."""
    out_path, argv = Path(args[0]), args[1:]
    errors = io.StringIO()
    with out_path.open("w", encoding="utf-8", newline="") as out:
        started, cpu_started = time.perf_counter(), time.process_time()
        code = cli.main(argv, out, errors)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(json.dumps({"code": code, "wall": wall, "cpu": cpu, "rss_mb": peak_rss_mb(),
                      "stderr": errors.getvalue()}))  # fmt: skip
    return 0


def run(args: list[str], out_path: Path) -> dict:
    """Settle in a child process so its peak RSS is the settlement's alone."""
    completed = subprocess.run(
        [sys.executable, __file__, "--child", str(out_path), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        return child(sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="iv-bench-"))
    courses = workdir / "courses.csv"
    started = time.perf_counter()
    generate(courses, options.courses, options.year, options.seed)
    print(
        f"generated {options.courses:,} courses ({courses.stat().st_size / 1e6:.1f} MB) "
        f"in {time.perf_counter() - started:.1f} s"
    )

    base = ["settle", "--agreement", "hovedstaden-2021", "--year", str(options.year)]
    base += ["--courses", str(courses)]
    lines_run = run(base, workdir / "lines.csv")
    with (workdir / "lines.csv").open(encoding="utf-8") as produced:
        lines = sum(1 for _ in produced) - 1
    summary_run = run([*base, "--summary"], workdir / "summary.csv")
    for label, result in (("settle", lines_run), ("settle --summary", summary_run)):
        print(
            f"{label:17} exit {result['code']}, wall {result['wall']:.2f} s, "
            f"CPU {result['cpu']:.2f} s, peak RSS {result['rss_mb']:.0f} MB"
        )
    print(f"lines written: {lines:,}")
    if lines_run["stderr"]:
        print(f"stderr: {lines_run['stderr'].strip()}")

    ok = (
        lines_run["code"] == 0
        and lines == options.courses
        and lines_run["wall"] <= 10
        and lines_run["rss_mb"] <= 1024
    )
    print(
        f"target ≤ 10 s and ≤ 1024 MB for {options.courses:,} courses: {'met' if ok else 'NOT met'}"
    )
    if options.keep:
        print(f"files kept in {workdir}")
    else:
        for path in workdir.iterdir():
            path.unlink()
        workdir.rmdir()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
