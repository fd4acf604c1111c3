"""Aftaleregister: the explicit registry of agreements, and the loader that validates their data.

To add another region's agreement: write ``data/<region>_<year>.json`` in the same format as
``hovedstaden_2021.json`` and add one line to :data:`AGREEMENTS`. The engine needs no change.
Loading checks the data thoroughly (steps contiguous from course 1, a tariff for every type at
every step, positive price factors, ...) and raises :class:`AgreementDataError` with a Danish
message naming the problem.

>>> get_agreement("hovedstaden-2021").region
'Region Hovedstaden'
"""

from __future__ import annotations

import json
import re
from datetime import date, time
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import AgreementDataError, UnknownAgreementError
from .model import (
    Agreement,
    Citation,
    EligibilityLimits,
    PriceIndex,
    Step,
    Tariff,
    TariffTable,
    TreatmentType,
)

#: Agreement id → data file in ``sekretariat/agreements/data``. Explicit on purpose: no file
#: discovery, no names built at run time.
AGREEMENTS: dict[str, str] = {
    "hovedstaden-2021": "hovedstaden_2021.json",
}

DATA_FORMAT = 1

#: Citations the engine refers to; every agreement must provide them.
REQUIRED_CITATIONS = (
    "period",
    "coverage",
    "eligibility",
    "first_dose",
    "included_days",
    "steps",
    "tariffs",
    "price_index",
    "monitoring",
)

_CODE = re.compile(r"^[a-z][a-z0-9_-]*$")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def agreement_ids() -> list[str]:
    return sorted(AGREEMENTS)


@cache
def get_agreement(agreement_id: str) -> Agreement:
    """The registered agreement with this id, loaded and validated once per process."""
    try:
        filename = AGREEMENTS[agreement_id]
    except KeyError:
        raise UnknownAgreementError(agreement_id, list(AGREEMENTS)) from None
    text = resources.files(__package__).joinpath("data", filename).read_text(encoding="utf-8")
    agreement = parse_agreement(_load_json(text, filename), filename)
    if agreement.id != agreement_id:
        raise AgreementDataError(
            filename, f"filen har id '{agreement.id}', registret forventer '{agreement_id}'"
        )
    return agreement


def load_agreement_file(path: str | Path) -> Agreement:
    """An agreement from any data file (used to try a new region's data before registering it)."""
    path = Path(path)
    return parse_agreement(_load_json(path.read_text(encoding="utf-8"), path.name), path.name)


def _load_json(text: str, source: str) -> Any:
    try:
        return json.loads(text, parse_float=_reject_float)
    except _FloatInData as exc:
        raise AgreementDataError(
            source, f'kommatal skal skrives som tekst (fx "1.0234"), ikke {exc.args[0]}'
        ) from None
    except json.JSONDecodeError as exc:
        raise AgreementDataError(
            source, f"ikke gyldig JSON (linje {exc.lineno}): {exc.msg}"
        ) from None


class _FloatInData(Exception):
    pass


def _reject_float(text: str) -> Decimal:
    # Binary floats must never carry money or factors; the data file writes them as strings.
    raise _FloatInData(text)


def parse_agreement(data: Any, source: str) -> Agreement:
    """Validate an agreement's raw data (parsed JSON) and build the :class:`Agreement`."""
    check = _Checker(source)
    check.that(isinstance(data, dict), "roden skal være et objekt")
    check.that(data.get("format") == DATA_FORMAT, f"'format' skal være {DATA_FORMAT}")

    agreement_id = check.string(data, "id")
    check.that(bool(_CODE.match(agreement_id)), f"id '{agreement_id}' skal være små bogstaver")
    title = check.string(data, "title")
    region = check.string(data, "region")

    municipalities = check.list_of(data, "municipalities", str)
    check.that(len(municipalities) > 0, "'municipalities' må ikke være tom")
    check.that(all(m.strip() for m in municipalities), "en kommune har tomt navn")
    check.that(
        len(set(municipalities)) == len(municipalities), "en kommune står der mere end én gang"
    )

    effective_from = check.iso_date(data, "effective_from")
    effective_until = None
    if data.get("effective_until") is not None:
        effective_until = check.iso_date(data, "effective_until")
        check.that(
            effective_from <= effective_until, "'effective_until' ligger før 'effective_from'"
        )

    raw_citations = check.mapping(data, "citations")
    for key in REQUIRED_CITATIONS:
        check.that(isinstance(raw_citations.get(key), str), f"'citations' mangler '{key}'")
    citations = MappingProxyType(
        {key: Citation(str(text), effective_from) for key, text in raw_citations.items()}
    )

    treatment_types = tuple(
        _treatment_type(check, raw) for raw in check.list_of(data, "treatment_types", dict)
    )
    check.that(len(treatment_types) > 0, "'treatment_types' må ikke være tom")
    spellings: list[str] = []
    for treatment_type in treatment_types:
        spellings.append(treatment_type.code)
        spellings.extend(alias.lower() for alias in treatment_type.aliases)
    check.that(
        len(set(spellings)) == len(spellings),
        "to behandlingstyper har samme kode eller alias",
    )

    steps = tuple(_step(check, raw) for raw in check.list_of(data, "steps", dict))
    _check_staircase(check, steps)

    tariffs = _tariff_table(check, check.mapping(data, "tariffs"), treatment_types, steps)

    factors: dict[int, Decimal] = {}
    for year_text, value in check.mapping(data, "price_index").items():
        check.that(
            isinstance(year_text, str) and year_text.isdigit() and len(year_text) == 4,
            f"'price_index' har et ugyldigt år '{year_text}'",
        )
        factor = check.decimal(value, f"price_index {year_text}")
        check.that(factor > 0, f"prisfaktoren for {year_text} skal være positiv")
        factors[int(year_text)] = factor

    raw_limits = check.mapping(data, "eligibility")
    limits = EligibilityLimits(
        max_visits_per_day=check.positive_int(raw_limits, "max_visits_per_day"),
        max_minutes_per_administration=check.positive_int(
            raw_limits, "max_minutes_per_administration"
        ),
        night_from=check.clock(raw_limits, "night_from"),
        night_until=check.clock(raw_limits, "night_until"),
    )

    return Agreement(
        id=agreement_id,
        title=title,
        region=region,
        municipalities=tuple(municipalities),
        effective_from=effective_from,
        effective_until=effective_until,
        treatment_types=treatment_types,
        steps=steps,
        tariffs=tariffs,
        price_index=PriceIndex(MappingProxyType(factors)),
        eligibility=limits,
        citations=citations,
    )


def _treatment_type(check: _Checker, raw: dict) -> TreatmentType:
    code = check.string(raw, "code")
    check.that(
        bool(_CODE.match(code)), f"typekoden '{code}' skal være små bogstaver uden mellemrum"
    )
    aliases = tuple(check.list_of(raw, "aliases", str)) if "aliases" in raw else ()
    first_dose = raw.get("first_dose_at_hospital", False)
    check.that(
        isinstance(first_dose, bool), f"'first_dose_at_hospital' for {code} skal være true/false"
    )
    return TreatmentType(
        code=code,
        label=check.string(raw, "label"),
        included_days=check.positive_int(raw, "included_days"),
        first_dose_at_hospital=first_dose,
        aliases=aliases,
    )


def _step(check: _Checker, raw: dict) -> Step:
    last = raw.get("last_course")
    return Step(
        number=check.positive_int(raw, "number"),
        first_course=check.positive_int(raw, "first_course"),
        last_course=None if last is None else check.positive_int(raw, "last_course"),
    )


def _check_staircase(check: _Checker, steps: tuple[Step, ...]) -> None:
    check.that(len(steps) > 0, "'steps' må ikke være tom")
    expected_first = 1
    for index, step in enumerate(steps):
        check.that(
            step.number == index + 1, "trinene skal være nummereret 1, 2, 3, ... i rækkefølge"
        )
        check.that(
            step.first_course == expected_first,
            f"trin {step.number} skal begynde ved forløb nr. {expected_first}",
        )
        is_last = index == len(steps) - 1
        if is_last:
            check.that(
                step.last_course is None, "det sidste trin skal være åbent opad (last_course: null)"
            )
        else:
            check.that(
                step.last_course is not None and step.last_course >= step.first_course,
                f"trin {step.number} skal have et last_course ≥ first_course",
            )
            expected_first = step.last_course + 1  # type: ignore[operator]


def _tariff_table(
    check: _Checker, raw: dict, treatment_types: tuple[TreatmentType, ...], steps: tuple[Step, ...]
) -> TariffTable:
    price_level_year = check.positive_int(raw, "price_level_year")
    raw_rates = check.mapping(raw, "rates")
    codes = {t.code for t in treatment_types}
    check.that(set(raw_rates) == codes, "'rates' skal have netop én tabel pr. behandlingstype")
    rates: dict[tuple[str, int], Tariff] = {}
    for code in sorted(codes):
        per_step = check.mapping(raw_rates, code)
        check.that(
            set(per_step) == {str(s.number) for s in steps},
            f"taksterne for {code} skal dække netop trinene {', '.join(str(s.number) for s in steps)}",
        )
        for step in steps:
            cell = check.mapping(per_step, str(step.number))
            tariff = Tariff(
                course_dkk=check.money(
                    cell.get("course_dkk"), f"{code} trin {step.number} course_dkk"
                ),
                day_dkk=check.money(cell.get("day_dkk"), f"{code} trin {step.number} day_dkk"),
            )
            rates[(code, step.number)] = tariff
    return TariffTable(price_level_year=price_level_year, rates=MappingProxyType(rates))


class _Checker:
    """Small helpers that turn a failed expectation into an AgreementDataError."""

    def __init__(self, source: str) -> None:
        self.source = source

    def that(self, condition: bool, problem: str) -> None:
        if not condition:
            raise AgreementDataError(self.source, problem)

    def string(self, raw: dict, key: str) -> str:
        value = raw.get(key)
        self.that(isinstance(value, str) and bool(value.strip()), f"'{key}' skal være en tekst")
        return value

    def mapping(self, raw: dict, key: str) -> dict:
        value = raw.get(key)
        self.that(isinstance(value, dict), f"'{key}' skal være et objekt")
        return value

    def list_of(self, raw: dict, key: str, kind: type) -> list:
        value = raw.get(key)
        self.that(
            isinstance(value, list) and all(isinstance(v, kind) for v in value),
            f"'{key}' skal være en liste",
        )
        return value

    def positive_int(self, raw: dict, key: str) -> int:
        value = raw.get(key)
        self.that(
            isinstance(value, int) and not isinstance(value, bool) and value >= 1,
            f"'{key}' skal være et helt tal ≥ 1",
        )
        return value

    def iso_date(self, raw: dict, key: str) -> date:
        value = raw.get(key)
        try:
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            raise AgreementDataError(self.source, f"'{key}' skal være en dato ÅÅÅÅ-MM-DD") from None

    def clock(self, raw: dict, key: str) -> time:
        value = raw.get(key)
        match = _TIME.match(value) if isinstance(value, str) else None
        self.that(match is not None, f"'{key}' skal være et klokkeslæt TT:MM")
        return time(int(match.group(1)), int(match.group(2)))  # type: ignore[union-attr]

    def decimal(self, value: Any, what: str) -> Decimal:
        self.that(
            isinstance(value, str | int) and not isinstance(value, bool),
            f"{what} skal være et tal skrevet som tekst",
        )
        try:
            result = Decimal(str(value))
        except InvalidOperation:
            raise AgreementDataError(self.source, f"{what} er ikke et tal: '{value}'") from None
        self.that(result.is_finite(), f"{what} er ikke et endeligt tal")
        return result

    def money(self, value: Any, what: str) -> Decimal:
        amount = self.decimal(value, what)
        self.that(amount >= 0, f"{what} må ikke være negativ")
        self.that(amount == amount.quantize(Decimal("0.01")), f"{what} skal være hele øre")
        return amount
