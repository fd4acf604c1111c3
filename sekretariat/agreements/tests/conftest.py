"""Shared helpers for the agreement engine tests (pure: no database)."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from sekretariat.agreements import cli
from sekretariat.agreements.model import Agreement
from sekretariat.agreements.registry import get_agreement
from sekretariat.agreements.settlement import Course

HEADER = "course_id,municipality,type,start_date,end_date,setting"

# The tariff table of DOMAIN.md (Region Hovedstaden, 2020 price level), typed in here by hand as
# an oracle independent of the data file: (type, step) -> (course tariff, day tariff) in DKK.
DOMAIN_TARIFFS = {
    ("antibiotika", 1): (6915, 1485),
    ("antibiotika", 2): (6411, 1366),
    ("antibiotika", 3): (6159, 1306),
    ("vaeske", 1): (1343, 341),
    ("vaeske", 2): (1274, 309),
    ("vaeske", 3): (1240, 292),
    ("pumpe", 1): (2049, 341),
    ("pumpe", 2): (1912, 309),
    ("pumpe", 3): (1843, 292),
}
DOMAIN_INCLUDED_DAYS = {"antibiotika": 6, "vaeske": 3, "pumpe": 6}


@pytest.fixture(scope="session")
def agreement() -> Agreement:
    return get_agreement("hovedstaden-2021")


def make_course(
    course_id: str | int,
    *,
    start: date = date(2022, 5, 2),
    days: int = 1,
    type_code: str = "antibiotika",
    municipality: str = "Gladsaxe",
    setting: str = "hjemme",
) -> Course:
    return Course(
        str(course_id), municipality, type_code, start, start + timedelta(days=days - 1), setting
    )


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


def write_csv(
    tmp_path: Path, lines: list[str], *, name: str = "forloeb.csv", bom: bool = False
) -> Path:
    path = tmp_path / name
    text = "\n".join(lines) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


@pytest.fixture
def run_settle(tmp_path: Path) -> Callable[..., CliResult]:
    """Write rows (header added unless ``header=`` is given) and run ``iv settle`` on them."""

    def run(
        rows: list[str],
        *args: str,
        year: int = 2022,
        header: str | None = HEADER,
        bom: bool = False,
    ) -> CliResult:
        lines = ([header] if header is not None else []) + rows
        path = write_csv(tmp_path, lines, bom=bom)
        stdout, stderr = io.StringIO(), io.StringIO()
        argv = ["settle", "--agreement", "hovedstaden-2021", "--year", str(year)]
        code = cli.main([*argv, "--courses", str(path), *args], stdout, stderr)
        return CliResult(code, stdout.getvalue(), stderr.getvalue())

    return run
