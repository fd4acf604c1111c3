"""Afregning: settling one region's IV courses for one year under the staircase (trappemodellen).

Rules (DOMAIN.md "Tariffs" and "The staircase", seed 002 section 3; Region Hovedstaden from
4 October 2021; the numbers themselves are the agreement's data):

1. Order. The region's courses of the year, all municipalities and all types together, are numbered
   1, 2, 3, ... in order of start date. Ties are broken by course id: when *every* course id in the
   batch is all ASCII digits they are compared as integers ("9" before "10"), otherwise as strings
   (code point order). Two all-digit ids with the same value ("007" and "7") fall back to string
   order, so the order is always total.
2. Step. Course number n is paid at the step whose range holds n (Hovedstaden: 1–1,500 step 1,
   1,501–3,000 step 2, 3,001 and above step 3).
3. Length. days = end date − start date + 1. A course that starts in the year and runs into the
   next counts all its days in the year it started; a course that starts in another year does not
   belong to this settlement.
4. Amount. course tariff + day tariff × max(0, days − included days of the type), both at the
   course's step (Hovedstaden: antibiotics and pump include 6 days, fluids 3).
5. Price level. Each tariff is multiplied by the year's price factor and rounded to øre, half up,
   before use (:func:`money.price_tariff`, the one rounding). The factor is ``price_factor`` if
   given, else the agreement's price index for the year, else 1.0 with a notice.

Amounts are exact: after the one rounding of the tariffs every sum is in whole øre (``int``); the
``*_dkk`` properties give them back as ``Decimal``.

>>> from datetime import date
>>> from .registry import get_agreement
>>> course = Course("17", "Gladsaxe", "antibiotika", date(2022, 3, 1), date(2022, 3, 8), "hjemme")
>>> line = settle(get_agreement("hovedstaden-2021"), 2022, [course]).lines[0]
>>> line.days, line.step, line.extra_days, line.amount_dkk
(8, 1, 2, Decimal('9885.00'))
>>> line.rule.code
'hovedstaden-2021/antibiotika/trin-1'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import itemgetter, sub
from typing import NamedTuple

from .errors import CourseError
from .model import Agreement, Citation, Setting, Step
from .money import dkk_to_ore, ore_to_dkk, price_tariff

DEFAULT_PRICE_FACTOR = Decimal("1.0")


class Course(NamedTuple):
    """Forløb: one course of IV treatment as the settlement sees it.

    A NamedTuple rather than a dataclass because a year's file can hold a million of them."""

    course_id: str
    municipality: str
    treatment_type: str  # canonical type code of the agreement, e.g. "vaeske"
    start_date: date
    end_date: date
    setting: str  # a Setting value: "hjemme" or "klinik"

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1


@dataclass(frozen=True)
class AppliedRule:
    """The rule that produced a settlement line: type, step and the tariffs' reach."""

    code: str
    text: str
    citations: tuple[Citation, ...]

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class PricedTariff:
    """A type's tariffs at one step, lifted to the settlement year's price level and rounded."""

    type_code: str
    step: Step
    included_days: int
    course_ore: int
    day_ore: int
    rule: AppliedRule

    @property
    def course_dkk(self) -> Decimal:
        return ore_to_dkk(self.course_ore)

    @property
    def day_dkk(self) -> Decimal:
        return ore_to_dkk(self.day_ore)


class SettlementLine(NamedTuple):
    """Afregningslinje: one course, its place in the year's count, its step and its amount."""

    course_id: str
    municipality: str
    treatment_type: str
    setting: str
    start_date: date
    days: int
    ordinal: int
    step: int
    extra_days: int
    course_tariff_ore: int
    day_tariff_ore: int
    amount_ore: int
    rule: AppliedRule

    @property
    def course_tariff_dkk(self) -> Decimal:
        return ore_to_dkk(self.course_tariff_ore)

    @property
    def day_tariff_dkk(self) -> Decimal:
        """The day tariff per day at the course's step (also when no extra day is paid)."""
        return ore_to_dkk(self.day_tariff_ore)

    @property
    def amount_dkk(self) -> Decimal:
        return ore_to_dkk(self.amount_ore)


@dataclass(frozen=True)
class MunicipalityTotal:
    municipality: str
    courses: int
    amount_ore: int

    @property
    def amount_dkk(self) -> Decimal:
        return ore_to_dkk(self.amount_ore)


@dataclass(frozen=True)
class PriceFactor:
    """The factor used and where it came from: 'given' (caller), 'index' (the agreement's price
    index for the year) or 'default' (1.0; the year is missing from the index)."""

    value: Decimal
    source: str


@dataclass(frozen=True)
class StepSpan:
    """The courses at positions ``start`` to ``stop - 1`` (0-based, ordinal order) are at ``step``."""

    step: Step
    start: int
    stop: int


@dataclass(frozen=True, eq=False)
class Settlement:
    """Afregning: one region's courses of one year, in ordinal order, with their amounts.

    Held column-wise (a year can hold a million courses): ``courses`` in ordinal order and, at the
    same positions, ``days``, ``extra_days`` and ``amounts_ore``; ``spans`` says which positions
    are at which step. :attr:`lines` gives the same as :class:`SettlementLine` objects."""

    agreement_id: str
    year: int
    price_factor: PriceFactor
    tariffs: tuple[PricedTariff, ...]
    courses: list[Course]
    days: list[int]
    extra_days: list[int]
    amounts_ore: list[int]
    spans: tuple[StepSpan, ...]
    notices: tuple[str, ...]

    @property
    def lines(self) -> _Lines:
        return _Lines(self)

    def priced(self, type_code: str, step_number: int) -> PricedTariff:
        for tariff in self.tariffs:
            if tariff.type_code == type_code and tariff.step.number == step_number:
                return tariff
        raise KeyError((type_code, step_number))

    @property
    def total_ore(self) -> int:
        return sum(self.amounts_ore)

    @property
    def total_dkk(self) -> Decimal:
        return ore_to_dkk(self.total_ore)

    def by_municipality(self) -> list[MunicipalityTotal]:
        """One total per municipality, sorted by name (plain code point order)."""
        counts: Counter[str] = Counter()
        amounts: Counter[str] = Counter()
        municipalities = list(map(itemgetter(1), self.courses))
        counts.update(municipalities)
        for municipality, amount in zip(municipalities, self.amounts_ore, strict=True):
            amounts[municipality] += amount
        return [MunicipalityTotal(name, counts[name], amounts[name]) for name in sorted(counts)]


class _Lines(Sequence[SettlementLine]):
    """The settlement as lines, built on demand."""

    def __init__(self, settlement: Settlement) -> None:
        self._settlement = settlement
        self._rules = {(t.type_code, t.step.number): t for t in settlement.tariffs}

    def __len__(self) -> int:
        return len(self._settlement.courses)

    def _line(self, index: int, step_number: int) -> SettlementLine:
        settlement = self._settlement
        course = settlement.courses[index]
        tariff = self._rules[(course.treatment_type, step_number)]
        return SettlementLine(
            course.course_id,
            course.municipality,
            course.treatment_type,
            course.setting,
            course.start_date,
            settlement.days[index],
            index + 1,
            step_number,
            settlement.extra_days[index],
            tariff.course_ore,
            tariff.day_ore,
            settlement.amounts_ore[index],
            tariff.rule,
        )

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        for span in self._settlement.spans:
            if span.start <= index < span.stop:
                return self._line(index, span.step.number)
        raise IndexError(index)

    def __iter__(self) -> Iterator[SettlementLine]:
        for span in self._settlement.spans:
            for index in range(span.start, span.stop):
                yield self._line(index, span.step.number)


def resolve_price_factor(
    agreement: Agreement, year: int, given: Decimal | None = None
) -> tuple[PriceFactor, tuple[str, ...]]:
    """The price factor for ``year`` and any notice the user should see (rule 5)."""
    if given is not None:
        if not given.is_finite() or given <= 0:
            raise CourseError(f"Prisfaktoren skal være positiv (fik {given}).")
        return PriceFactor(given, "given"), ()
    from_index = agreement.price_index.factor(year)
    if from_index is not None:
        return PriceFactor(from_index, "index"), ()
    notice = (
        f"Bemærk: aftalen har ingen prisfaktor for {year}; taksterne bruges i "
        f"{agreement.tariffs.price_level_year}-niveau (faktor 1,0) uden fremskrivning. "
        "Angiv en prisfaktor ved afregningen for at fremskrive dem."
    )
    return PriceFactor(DEFAULT_PRICE_FACTOR, "default"), (notice,)


def price_tariffs(agreement: Agreement, factor: Decimal) -> tuple[PricedTariff, ...]:
    """Every (type, step) tariff of the agreement at ``factor``, each rounded once to øre."""
    citations = (
        agreement.citation("steps"),
        agreement.citation("tariffs"),
        agreement.citation("included_days"),
    )
    priced = []
    for treatment_type in agreement.treatment_types:
        included = treatment_type.included_days
        for step in agreement.steps:
            tariff = agreement.tariffs.tariff(treatment_type.code, step.number)
            rule = AppliedRule(
                code=f"{agreement.id}/{treatment_type.code}/trin-{step.number}",
                text=(
                    f"{agreement.id}, {step.label}: forløbstakst for {treatment_type.label} "
                    f"dækker dag 1–{included}, dagstakst pr. dag fra dag {included + 1}; "
                    f"takster i {agreement.tariffs.price_level_year}-niveau × prisfaktor, "
                    "afrundet til øre (halvt op)"
                ),
                citations=citations,
            )
            priced.append(
                PricedTariff(
                    type_code=treatment_type.code,
                    step=step,
                    included_days=included,
                    course_ore=dkk_to_ore(price_tariff(tariff.course_dkk, factor)),
                    day_ore=dkk_to_ore(price_tariff(tariff.day_dkk, factor)),
                    rule=rule,
                )
            )
    return tuple(priced)


def order_courses(courses: Sequence[Course]) -> list[Course]:
    """Rule 1: the courses in ordinal order (start date, then course id).

    Ids compare as integers when every id in the batch is all ASCII digits, otherwise as strings.
    Equal integers from different strings ("007", "7") keep string order. The courses are grouped
    by start date first and each day's group is sorted on its own: a year has at most 366 start
    dates, and small sorts are much faster than one sort of a million courses."""
    by_day: dict[date, list[Course]] = {}
    for course in courses:
        group = by_day.get(course[3])
        if group is None:
            by_day[course[3]] = group = []
        group.append(course)

    ids = list(map(itemgetter(0), courses))
    joined = "".join(ids)
    numeric = all(ids) and joined.isascii() and joined.isdigit()
    # With no id starting with "0", different digit strings are different integers.
    leading_zero = numeric and "0" in set(map(itemgetter(0), ids))
    del ids, joined

    ordered: list[Course] = []
    for day in sorted(by_day):
        group = by_day[day]
        texts = list(map(itemgetter(0), group))
        if numeric:
            numbers = list(map(int, texts))
            if leading_zero:
                order = sorted(range(len(group)), key=texts.__getitem__)
                order.sort(key=numbers.__getitem__)
            else:
                order = sorted(range(len(group)), key=numbers.__getitem__)
        else:
            order = sorted(range(len(group)), key=texts.__getitem__)
        ordered.extend(map(group.__getitem__, order))
    return ordered


def step_spans(steps: Sequence[Step], count: int) -> tuple[StepSpan, ...]:
    """Rule 2: which of ``count`` ordinal positions fall on which step (empty steps left out)."""
    spans = []
    for step in steps:
        start = step.first_course - 1
        stop = count if step.last_course is None else min(step.last_course, count)
        if start < stop:
            spans.append(StepSpan(step, start, stop))
    return tuple(spans)


def charge(tariff: PricedTariff, days: int) -> tuple[int, int]:
    """Rule 4: (extra days, amount in øre) for a course of ``days`` days at ``tariff``'s step.

    >>> from .registry import get_agreement
    >>> antibiotics = price_tariffs(get_agreement("hovedstaden-2021"), Decimal(1))[0]
    >>> charge(antibiotics, 6), charge(antibiotics, 7)
    ((0, 691500), (1, 840000))
    """
    extra = days - tariff.included_days if days > tariff.included_days else 0
    return extra, tariff.course_ore + extra * tariff.day_ore


class _Charges(dict):
    """Days → charge(tariff, days), cached: a type at a step has few distinct lengths."""

    def __init__(self, tariff: PricedTariff) -> None:
        super().__init__()
        self.tariff = tariff

    def __missing__(self, days: int) -> tuple[int, int]:
        result = self[days] = charge(self.tariff, days)
        return result


def settle(
    agreement: Agreement,
    year: int,
    courses: Iterable[Course],
    price_factor: Decimal | None = None,
    *,
    checked: bool = False,
) -> Settlement:
    """Settle ``courses`` (one region, one year) under ``agreement``; see the module's rules.

    Raises CourseError for a course the settlement cannot hold: unknown type or setting, end before
    start, start outside ``year``, or a course id used twice. ``checked=True`` skips these checks
    for courses already validated against the same agreement and year (``csvio.read_courses``)."""
    factor, notices = resolve_price_factor(agreement, year, price_factor)
    if not agreement.covers_year(year):
        until = agreement.effective_until.isoformat() if agreement.effective_until else "—"
        notices += (
            f"Bemærk: {year} ligger uden for aftalens periode "
            f"({agreement.effective_from.isoformat()} til {until}).",
        )
    tariffs = price_tariffs(agreement, factor.value)
    courses = courses if isinstance(courses, list) else list(courses)
    if not checked:
        _check_courses(courses, year, set(agreement.type_codes))

    ordered = order_courses(courses)
    types = list(map(itemgetter(2), ordered))
    days = [
        delta.days + 1
        for delta in map(sub, map(itemgetter(4), ordered), map(itemgetter(3), ordered))
    ]
    spans = step_spans(agreement.steps, len(ordered))

    charged: list[tuple[int, int]] = []
    for span in spans:
        charges = {t.type_code: _Charges(t) for t in tariffs if t.step.number == span.step.number}
        charged += [
            charges[type_code][length]
            for type_code, length in zip(
                types[span.start : span.stop], days[span.start : span.stop], strict=True
            )
        ]
    extra_days = list(map(itemgetter(0), charged))
    amounts = list(map(itemgetter(1), charged))
    del charged

    return Settlement(
        agreement_id=agreement.id,
        year=year,
        price_factor=factor,
        tariffs=tariffs,
        courses=ordered,
        days=days,
        extra_days=extra_days,
        amounts_ore=amounts,
        spans=spans,
        notices=notices,
    )


def _check_courses(courses: list[Course], year: int, type_codes: set[str]) -> None:
    first, last = date(year, 1, 1), date(year, 12, 31)
    settings = {s.value for s in Setting}
    for course in courses:
        if course.treatment_type not in type_codes:
            raise CourseError(
                f"Forløb {course.course_id}: ukendt behandlingstype '{course.treatment_type}'."
            )
        if course.setting not in settings:
            raise CourseError(f"Forløb {course.course_id}: ukendt sted '{course.setting}'.")
        if not first <= course.start_date <= last:
            raise CourseError(
                f"Forløb {course.course_id} begynder {course.start_date.isoformat()}, uden for {year}."
            )
        if course.end_date < course.start_date:
            raise CourseError(f"Forløb {course.course_id} slutter før det begynder.")
    if len({course.course_id for course in courses}) != len(courses):
        seen: set[str] = set()
        for course in courses:
            if course.course_id in seen:
                raise CourseError(f"Forløbs-id {course.course_id} forekommer mere end én gang.")
            seen.add(course.course_id)
