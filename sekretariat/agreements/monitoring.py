"""Monitorering: the agreement's follow-up figures per municipality and quarter, and deviations.

What is followed (seed 002 section 4.1 / DOMAIN.md "Monitoring"; Region Hovedstaden from
4 October 2021, quarterly follow-up): referred, accepted (visiteret) and declined with reasons,
by type; treatments per day; minutes per treatment; course length; home vs. clinic; and, from the
settlement, cost.

Deviations (DOMAIN.md "Money in the seeds": municipalities want large deviations in tariff or
consumption found early): for each measure, a municipality deviates when its value lies outside

    median ± k · MAD,   MAD = median(|value − median|)  (unscaled; k = 3 unless given)

over all municipalities with a value. The rule, k, the median, the MAD and the band are part of the
output. With fewer than :data:`MIN_MUNICIPALITIES` values nothing is flagged. When MAD is 0 the
band is the median itself and every value different from it is flagged.

Referrals are placed in the quarter of their referral date, courses in the quarter of their start
date. Means are rounded to two decimals (half up); cost per course is money and goes through
:func:`money.round_to_ore`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .model import Agreement, Setting
from .money import ore_to_dkk, round_to_ore
from .settlement import SettlementLine

DEFAULT_K = Decimal(3)
MIN_MUNICIPALITIES = 3
_HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class ReferralRecord:
    """Henvisning som registreret: one referral and the municipality's decision on it."""

    referral_id: str
    municipality: str
    referred_on: date
    treatment_type: str
    visits_per_day: int
    minutes_per_administration: int
    accepted: bool
    decline_reason: str | None = None


@dataclass(frozen=True)
class QuarterFigures:
    """One municipality's figures for one quarter."""

    municipality: str
    year: int
    quarter: int
    referred: int
    accepted: int
    declined: int
    decline_reasons: tuple[tuple[str, int], ...]
    referred_by_type: tuple[tuple[str, int], ...]
    treatments_per_day: Decimal | None
    minutes_per_treatment: Decimal | None
    courses: int
    courses_by_type: tuple[tuple[str, int], ...]
    course_days_mean: Decimal | None
    home: int
    clinic: int
    cost_dkk: Decimal

    @property
    def home_share(self) -> Decimal | None:
        """Share of courses given at home, 0–1 with two decimals."""
        return _mean(self.home, self.home + self.clinic)


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def quarterly_figures(
    agreement: Agreement,
    year: int,
    referrals: Iterable[ReferralRecord],
    lines: Iterable[SettlementLine],
) -> list[QuarterFigures]:
    """Figures per (municipality, quarter) of ``year``, sorted by municipality then quarter.

    Treatments per day and minutes per treatment are means over the accepted referrals."""
    spellings = agreement.spellings()
    acc: dict[tuple[str, int], _Accumulator] = {}

    def bucket(municipality: str, day: date) -> _Accumulator:
        key = (municipality, quarter_of(day))
        if key not in acc:
            acc[key] = _Accumulator()
        return acc[key]

    for referral in referrals:
        if referral.referred_on.year != year:
            continue
        entry = bucket(referral.municipality, referral.referred_on)
        type_code = spellings.get(referral.treatment_type.strip().lower(), referral.treatment_type)
        entry.referred_by_type[type_code] += 1
        if referral.accepted:
            entry.accepted += 1
            entry.visits += referral.visits_per_day
            entry.minutes += referral.minutes_per_administration
        else:
            entry.declined += 1
            entry.decline_reasons[referral.decline_reason or "ingen begrundelse angivet"] += 1

    for line in lines:
        if line.start_date.year != year:
            continue
        entry = bucket(line.municipality, line.start_date)
        entry.courses_by_type[line.treatment_type] += 1
        entry.days += line.days
        entry.cost_ore += line.amount_ore
        if line.setting == Setting.HOME:
            entry.home += 1
        else:
            entry.clinic += 1

    result = []
    for (municipality, quarter), entry in sorted(acc.items()):
        referred = entry.accepted + entry.declined
        courses = entry.home + entry.clinic
        result.append(
            QuarterFigures(
                municipality=municipality,
                year=year,
                quarter=quarter,
                referred=referred,
                accepted=entry.accepted,
                declined=entry.declined,
                decline_reasons=_counted(entry.decline_reasons),
                referred_by_type=_counted(entry.referred_by_type),
                treatments_per_day=_mean(entry.visits, entry.accepted),
                minutes_per_treatment=_mean(entry.minutes, entry.accepted),
                courses=courses,
                courses_by_type=_counted(entry.courses_by_type),
                course_days_mean=_mean(entry.days, courses),
                home=entry.home,
                clinic=entry.clinic,
                cost_dkk=ore_to_dkk(entry.cost_ore),
            )
        )
    return result


class _Accumulator:
    def __init__(self) -> None:
        self.accepted = self.declined = self.visits = self.minutes = 0
        self.days = self.cost_ore = self.home = self.clinic = 0
        self.decline_reasons: Counter[str] = Counter()
        self.referred_by_type: Counter[str] = Counter()
        self.courses_by_type: Counter[str] = Counter()


def _counted(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def _mean(total: int | Decimal, count: int) -> Decimal | None:
    if count == 0:
        return None
    return (Decimal(total) / Decimal(count)).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)


# --- deviations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Deviation:
    municipality: str
    value: Decimal
    direction: str  # "over" or "under" the band


@dataclass(frozen=True)
class MetricDeviations:
    """One measure across the municipalities: the robust band and who lies outside it."""

    metric: str
    label: str
    k: Decimal
    median: Decimal | None
    mad: Decimal | None
    lower: Decimal | None
    upper: Decimal | None
    values: tuple[tuple[str, Decimal], ...]
    deviations: tuple[Deviation, ...]

    @property
    def rule(self) -> str:
        text = (
            f"Afvigelse: værdi uden for median ± {self.k}·MAD, hvor MAD er medianen af de "
            "absolutte afvigelser fra medianen (uskaleret)"
        )
        if self.median is None:
            return f"{text}; ikke beregnet, da færre end {MIN_MUNICIPALITIES} kommuner har en værdi"
        return (
            f"{text}; median {self.median}, MAD {self.mad}, interval [{self.lower}; {self.upper}]"
        )


def median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def find_deviations(
    metric: str, label: str, values: Mapping[str, Decimal], k: Decimal = DEFAULT_K
) -> MetricDeviations:
    """Flag the municipalities whose value lies outside median ± k·MAD."""
    if k < 0:
        raise ValueError("k skal være ikke-negativ")
    pairs = tuple(sorted(values.items()))
    if len(pairs) < MIN_MUNICIPALITIES:
        return MetricDeviations(metric, label, k, None, None, None, None, pairs, ())
    centre = median([value for _, value in pairs])
    mad = median([abs(value - centre) for _, value in pairs])
    lower, upper = centre - k * mad, centre + k * mad
    deviations = tuple(
        Deviation(name, value, "over" if value > upper else "under")
        for name, value in pairs
        if value > upper or value < lower
    )
    return MetricDeviations(metric, label, k, centre, mad, lower, upper, pairs, deviations)


def deviation_report(
    lines: Iterable[SettlementLine],
    population: Mapping[str, int],
    k: Decimal = DEFAULT_K,
) -> tuple[MetricDeviations, ...]:
    """Cost per course, mean course length and courses per 1,000 inhabitants, per municipality.

    A municipality missing from ``population`` (or with 0 inhabitants) has no consumption value."""
    courses: Counter[str] = Counter()
    days: Counter[str] = Counter()
    cost: Counter[str] = Counter()
    for line in lines:
        courses[line.municipality] += 1
        days[line.municipality] += line.days
        cost[line.municipality] += line.amount_ore
    cost_per_course = {
        name: round_to_ore(ore_to_dkk(cost[name]) / count) for name, count in courses.items()
    }
    length = {name: _mean(days[name], count) for name, count in courses.items()}
    per_thousand = {
        name: _mean(count * 1000, population[name])
        for name, count in courses.items()
        if population.get(name)
    }
    return (
        find_deviations("cost_per_course_dkk", "Udgift pr. forløb (kr.)", cost_per_course, k),
        find_deviations("course_days_mean", "Gennemsnitlig forløbslængde (dage)", length, k),  # type: ignore[arg-type]
        find_deviations(
            "courses_per_1000_inhabitants",
            "Forløb pr. 1.000 indbyggere",
            per_thousand,
            k,  # type: ignore[arg-type]
        ),
    )
