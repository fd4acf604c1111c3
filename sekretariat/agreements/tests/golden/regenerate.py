"""Rewrite the golden files of the agreement engine.

    .venv/bin/python -m sekretariat.agreements.tests.golden.regenerate

Each :data:`CASES` entry runs ``sekretariat iv settle`` (through ``cli.main``) on an input under
``inputs/`` and stores stdout as ``<name>.out.csv`` and the exit code plus stderr as
``<name>.err.txt``. ``monitoring-2021.json`` snapshots the monitoring figures of the generated
staircase year. Inputs are hand-written except ``inputs/staircase-2021.csv`` and the monitoring
referrals, which are generated here from fixed seeds. Review the diff before committing.
"""

from __future__ import annotations

import dataclasses
import io
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sekretariat.agreements import cli
from sekretariat.agreements.csvio import read_courses_file
from sekretariat.agreements.monitoring import ReferralRecord, deviation_report, quarterly_figures
from sekretariat.agreements.registry import get_agreement
from sekretariat.agreements.settlement import settle

GOLDEN = Path(__file__).resolve().parent
INPUTS = GOLDEN / "inputs"
AGREEMENT = "hovedstaden-2021"


@dataclass(frozen=True)
class Case:
    name: str
    input: str
    args: tuple[str, ...]

    def argv(self) -> list[str]:
        return [
            "settle",
            "--agreement",
            AGREEMENT,
            "--courses",
            str(INPUTS / self.input),
            *self.args,
        ]


CASES = (
    Case("reference-2022", "reference-2022.csv", ("--year", "2022")),
    Case("reference-2022-summary", "reference-2022.csv", ("--year", "2022", "--summary")),
    Case(
        "reference-2022-factor", "reference-2022.csv", ("--year", "2022", "--price-factor", "1.005")
    ),
    Case("price-level-2020", "price-level-2020.csv", ("--year", "2020")),
    Case("staircase-2021", "staircase-2021.csv", ("--year", "2021")),
    Case("staircase-2021-summary", "staircase-2021.csv", ("--year", "2021", "--summary")),
    Case("error-unknown-type", "error-unknown-type.csv", ("--year", "2022")),
    Case("error-bad-date", "error-bad-date.csv", ("--year", "2022")),
    Case("error-end-before-start", "error-end-before-start.csv", ("--year", "2022")),
    Case("error-duplicate", "error-duplicate.csv", ("--year", "2022")),
    Case("error-outside-year", "error-outside-year.csv", ("--year", "2022")),
    Case("error-missing-column", "error-missing-column.csv", ("--year", "2022")),
    Case("error-several", "error-several.csv", ("--year", "2022")),
)

MONITORING_FILE = "monitoring-2021.json"


def run_case(case: Case) -> tuple[str, str]:
    """(stdout, 'exit: N' + stderr) of one case."""
    stdout, stderr = io.StringIO(), io.StringIO()
    code = cli.main(case.argv(), stdout, stderr)
    return stdout.getvalue(), f"exit: {code}\n{stderr.getvalue()}"


def generate_staircase(path: Path, count: int = 3_005, year: int = 2021, seed: int = 2021) -> None:
    """A year just past the second step boundary: string ids, many courses per start date."""
    rng = random.Random(seed)
    agreement = get_agreement(AGREEMENT)
    municipalities = agreement.municipalities
    spellings = ("antibiotika", "antibiotika", "vaeske", "væske", "pumpe")
    first = date(year, 1, 1)
    numbers = rng.sample(range(1, 100_000), count)
    rows = ["course_id,municipality,type,start_date,end_date,setting"]
    for number in numbers:
        start = first + timedelta(days=rng.randrange(365))
        end = start + timedelta(days=rng.choice((0, 1, 2, 3, 4, 5, 5, 6, 6, 7, 9, 13, 20)))
        rows.append(
            f"S-{number:05d},{rng.choice(municipalities)},{rng.choice(spellings)},"
            f"{start.isoformat()},{end.isoformat()},{rng.choice(('hjemme', 'klinik'))}"
        )
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def monitoring_snapshot() -> dict:
    """Quarterly figures and deviations for the staircase year and generated referrals."""
    agreement = get_agreement(AGREEMENT)
    courses = read_courses_file(INPUTS / "staircase-2021.csv", agreement, 2021)
    settlement = settle(agreement, 2021, courses)
    rng = random.Random(4)
    reasons = ("kommunen kan ikke dække døgnet", "borgeren ønsker ikke", "ingen ledig klinik")
    referrals = []
    for index in range(1_200):
        accepted = rng.random() < 0.8
        referrals.append(
            ReferralRecord(
                referral_id=f"H-{index}",
                municipality=rng.choice(agreement.municipalities[:8]),
                referred_on=date(2021, 1, 1) + timedelta(days=rng.randrange(365)),
                treatment_type=rng.choice(("antibiotika", "væske", "pumpe")),
                visits_per_day=rng.choice((1, 2, 3, 4)),
                minutes_per_administration=rng.choice((15, 20, 30, 45, 60)),
                accepted=accepted,
                decline_reason=None if accepted else rng.choice(reasons),
            )
        )
    # Test populations (not real figures); one municipality is given an odd one on purpose.
    population = {name: 20_000 + 5_000 * i for i, name in enumerate(agreement.municipalities)}
    population[agreement.municipalities[3]] = 2_000
    figures = quarterly_figures(agreement, 2021, referrals, settlement.lines)
    deviations = deviation_report(settlement.lines, population)
    return {
        "agreement": agreement.id,
        "year": 2021,
        "quarters": [
            _plain(dataclasses.asdict(f)) | {"home_share": _plain(f.home_share)} for f in figures
        ],
        "deviations": [_plain(dataclasses.asdict(d)) | {"rule": d.rule} for d in deviations],
    }


#: Fields that hold (name, number) pairs; written as JSON objects for readable diffs.
_PAIRS = {"decline_reasons", "referred_by_type", "courses_by_type", "values"}


def _plain(value):
    if isinstance(value, dict):
        return {
            key: {name: _plain(number) for name, number in item} if key in _PAIRS else _plain(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal | date):
        return str(value)
    return value


def monitoring_json() -> str:
    return json.dumps(monitoring_snapshot(), ensure_ascii=False, indent=1) + "\n"


def main() -> None:
    generate_staircase(INPUTS / "staircase-2021.csv")
    for case in CASES:
        stdout, stderr = run_case(case)
        (GOLDEN / f"{case.name}.out.csv").write_text(stdout, encoding="utf-8", newline="")
        (GOLDEN / f"{case.name}.err.txt").write_text(stderr, encoding="utf-8", newline="")
        print(f"{case.name}: {stderr.splitlines()[0]}, {stdout.count(chr(10))} lines")
    (GOLDEN / MONITORING_FILE).write_text(monitoring_json(), encoding="utf-8", newline="")
    print(f"{MONITORING_FILE} written")


if __name__ == "__main__":
    main()
