"""`sekretariat iv settle` end to end, as a user runs it (a real process, real exit codes)."""

import subprocess
import sys

HEADER = "course_id,municipality,type,start_date,end_date,setting\n"


def run(tmp_path, rows: str, *args: str) -> subprocess.CompletedProcess:
    courses = tmp_path / "forloeb.csv"
    courses.write_text(HEADER + rows, encoding="utf-8")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sekretariat",
            "iv",
            "settle",
            "--agreement",
            "hovedstaden-2021",
            "--courses",
            str(courses),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settles_and_prints_csv(tmp_path):
    r = run(tmp_path, "K7,Fjordby,antibiotika,2022-03-01,2022-03-08,hjemme\n", "--year", "2022")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("course_id,municipality,type,days,ordinal,step")
    # 8 days: course tariff (days 1-6) + 2 day tariffs at step 1, 2020 price level.
    assert lines[1] == "K7,Fjordby,antibiotika,8,1,1,6915.00,2,1485.00,9885.00"


def test_bad_input_exits_2_with_line_and_column_and_no_output(tmp_path):
    r = run(tmp_path, "K1,Fjordby,antibiotika,2022-03-01,2022-02-01,hjemme\n", "--year", "2022")
    assert r.returncode == 2
    assert r.stdout == ""
    assert "Linje 2" in r.stderr and "end_date" in r.stderr
