"""Samarbejdsaftale: an agreement on IV treatment in municipal care, held as data.

Nothing in this module knows a particular region. Tariffs, steps, included days, covered types,
eligibility limits and the price index come from a data file (see ``registry.py`` and
``data/*.json``), so another region's agreement is a new data file and one line in the registry,
not new engine code.

Source of the concepts: DOMAIN.md, "Cooperation agreement: IV treatment in municipal care" (seed 002,
Region Hovedstaden, in force from 4 October 2021).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal


class Setting(enum.StrEnum):
    """Where the treatment is given: in the patient's home or in a municipal clinic."""

    HOME = "hjemme"
    CLINIC = "klinik"


@dataclass(frozen=True)
class TreatmentType:
    """Behandlingstype: a covered kind of IV treatment (e.g. IV-antibiotika).

    ``included_days``: how many days of a course the course tariff covers; every later day costs
    one day tariff. ``first_dose_at_hospital``: the first dose must be given at hospital
    (anaphylaxis risk; antibiotics in seed 002). ``aliases``: other spellings accepted on input.
    """

    code: str
    label: str
    included_days: int
    first_dose_at_hospital: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    """Trin: a step of the staircase. Course number ``n`` of the year (all municipalities and all
    types counted together) belongs here when ``first_course <= n <= last_course``;
    ``last_course`` is None for the open top step."""

    number: int
    first_course: int
    last_course: int | None

    def contains(self, ordinal: int) -> bool:
        return self.first_course <= ordinal and (
            self.last_course is None or ordinal <= self.last_course
        )

    @property
    def label(self) -> str:
        if self.last_course is None:
            return f"trin {self.number} (forløb nr. {self.first_course:,} og derover)".replace(
                ",", "."
            )
        return (
            f"trin {self.number} (forløb nr. {self.first_course:,}–{self.last_course:,})".replace(
                ",", "."
            )
        )


@dataclass(frozen=True)
class Tariff:
    """Takst: one type's course tariff (forløbstakst) and day tariff (dagstakst) at one step, in DKK
    at the agreement's price level."""

    course_dkk: Decimal
    day_dkk: Decimal


@dataclass(frozen=True)
class TariffTable:
    """Taksttabel: the tariffs per (type code, step number) at the price level of ``price_level_year``."""

    price_level_year: int
    rates: Mapping[tuple[str, int], Tariff]

    def tariff(self, type_code: str, step_number: int) -> Tariff:
        return self.rates[(type_code, step_number)]


@dataclass(frozen=True)
class PriceIndex:
    """Prisindeks: factor per year by which the tariffs (at the table's price level) are multiplied."""

    factors: Mapping[int, Decimal]

    def factor(self, year: int) -> Decimal | None:
        return self.factors.get(year)


@dataclass(frozen=True)
class EligibilityLimits:
    """The limits beyond which treatment stays at hospital (seed 002, target group and exclusions).

    More than ``max_visits_per_day`` visits a day; any visit in the night window
    ``night_from``–``night_until``; one administration needing staff for more than
    ``max_minutes_per_administration`` minutes."""

    max_visits_per_day: int
    max_minutes_per_administration: int
    night_from: time
    night_until: time


@dataclass(frozen=True)
class Citation:
    """Where a rule comes from and since when it applies."""

    text: str
    effective_from: date

    def __str__(self) -> str:
        return f"{self.text} (gældende fra {self.effective_from.isoformat()})"


@dataclass(frozen=True)
class Agreement:
    """Samarbejdsaftale: one region's IV agreement for one period, as data.

    ``effective_until`` is the last day of the period, or None when the agreement runs until
    further notice."""

    id: str
    title: str
    region: str
    municipalities: tuple[str, ...]
    effective_from: date
    effective_until: date | None
    treatment_types: tuple[TreatmentType, ...]
    steps: tuple[Step, ...]
    tariffs: TariffTable
    price_index: PriceIndex
    eligibility: EligibilityLimits
    citations: Mapping[str, Citation]

    def treatment_type(self, code: str) -> TreatmentType:
        for treatment_type in self.treatment_types:
            if treatment_type.code == code:
                return treatment_type
        raise KeyError(code)

    @property
    def type_codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.treatment_types)

    def spellings(self) -> dict[str, str]:
        """Every accepted spelling of a type (lower case) → its canonical code."""
        result: dict[str, str] = {}
        for treatment_type in self.treatment_types:
            result[treatment_type.code.lower()] = treatment_type.code
            for alias in treatment_type.aliases:
                result[alias.lower()] = treatment_type.code
        return result

    def step_for(self, ordinal: int) -> Step:
        """The step that pays course number ``ordinal`` of the year (counting from 1)."""
        for step in self.steps:
            if step.contains(ordinal):
                return step
        raise ValueError(f"forløb nr. {ordinal} ligger ikke på noget trin")

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until
        )

    def covers_year(self, year: int) -> bool:
        """True when at least one day of ``year`` lies in the agreement's period."""
        return self.effective_from.year <= year and (
            self.effective_until is None or year <= self.effective_until.year
        )

    def citation(self, key: str) -> Citation:
        return self.citations[key]
