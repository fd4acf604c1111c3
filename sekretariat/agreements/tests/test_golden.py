"""The golden files: full outputs of reference cases, rewritten only by ``golden/regenerate.py``."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from sekretariat.agreements.tests.golden import regenerate

CASES = {case.name: case for case in regenerate.CASES}


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_matches_its_golden_files(name):
    stdout, stderr = regenerate.run_case(CASES[name])
    golden = regenerate.GOLDEN
    assert stdout == (golden / f"{name}.out.csv").read_text(encoding="utf-8")
    assert stderr == (golden / f"{name}.err.txt").read_text(encoding="utf-8")


def test_generated_input_is_what_the_script_generates(tmp_path: Path):
    regenerate.generate_staircase(tmp_path / "staircase.csv")
    assert (tmp_path / "staircase.csv").read_bytes() == (
        regenerate.INPUTS / "staircase-2021.csv"
    ).read_bytes()


def test_monitoring_snapshot():
    expected = (regenerate.GOLDEN / regenerate.MONITORING_FILE).read_text(encoding="utf-8")
    assert regenerate.monitoring_json() == expected


def test_no_stray_golden_files():
    expected = {f"{name}.{kind}" for name in CASES for kind in ("out.csv", "err.txt")}
    expected.add(regenerate.MONITORING_FILE)
    present = {p.name for p in regenerate.GOLDEN.iterdir() if p.suffix in {".csv", ".txt", ".json"}}
    assert present == expected


def test_staircase_golden_crosses_both_boundaries_and_sums_up():
    rows = list(
        csv.DictReader(
            io.StringIO(regenerate.GOLDEN.joinpath("staircase-2021.out.csv").read_text("utf-8"))
        )
    )
    assert len(rows) == 3_005
    assert [rows[i]["step"] for i in (1_499, 1_500, 2_999, 3_000)] == ["1", "2", "2", "3"]
    summary = (
        regenerate.GOLDEN.joinpath("staircase-2021-summary.out.csv").read_text("utf-8").splitlines()
    )
    total = summary[-1].split(",")
    assert total[0] == "I alt" and int(total[1]) == len(rows)
    assert Decimal(total[2]) == sum(Decimal(row["amount_dkk"]) for row in rows)
