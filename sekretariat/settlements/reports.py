"""Kvartalsrapport: the quarterly monitoring report of one region's IV courses.

Reads only. The courses started in the year up to the end of the quarter and completed are
settled provisionally by the engine (the same ``settle`` as a settlement run; nothing is stored),
the referrals go through ``monitoring.quarterly_figures``, and deviations are the engine's
``median ± k·MAD`` (``monitoring.deviation_report`` and ``find_deviations``). This module adds
only sums and the figures for the charts.
"""

import datetime
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate

from django.core.cache import cache

from sekretariat.agreements.model import Agreement
from sekretariat.agreements.money import round_to_ore
from sekretariat.agreements.monitoring import (
    DEFAULT_K,
    MIN_MUNICIPALITIES,
    MetricDeviations,
    QuarterFigures,
    deviation_report,
    find_deviations,
    quarterly_figures,
)
from sekretariat.agreements.settlement import Settlement, settle
from sekretariat.bodies.models import Organisation

from . import charts, engine, selectors


def quarter_end(year: int, quarter: int) -> datetime.date:
    if quarter == 4:
        return datetime.date(year, 12, 31)
    return datetime.date(year, 3 * quarter + 1, 1) - datetime.timedelta(days=1)


def latest_quarter(today: datetime.date, year: int) -> int:
    """The quarter a report for ``year`` shows by default: the current one, or 4 for a past year."""
    if year < today.year:
        return 4
    return (today.month - 1) // 3 + 1


@dataclass
class MunicipalityRow:
    name: str
    courses: int = 0
    by_type: list[int] = field(default_factory=list)
    home: int = 0
    clinic: int = 0
    referred: int = 0
    accepted: int = 0
    declined: int = 0
    cost_dkk: Decimal = Decimal("0.00")
    population: int | None = None
    cost_per_1000_dkk: Decimal | None = None
    courses_per_1000: Decimal | None = None
    days_mean: Decimal | None = None
    flagged: list[str] = field(default_factory=list)

    @property
    def home_share_percent(self) -> int | None:
        total = self.home + self.clinic
        return round(100 * self.home / total) if total else None


@dataclass
class QuarterRow:
    quarter: int
    referred: int = 0
    accepted: int = 0
    declined: int = 0
    courses: int = 0
    home: int = 0
    clinic: int = 0
    cost_dkk: Decimal = Decimal("0.00")


@dataclass
class MonitoringReport:
    region: Organisation
    year: int
    quarter: int
    period_end: datetime.date
    agreement: Agreement
    k: Decimal
    settlement: Settlement | None
    type_labels: dict[str, str]
    municipalities: list[MunicipalityRow]
    quarters: list[QuarterRow]
    decline_reasons: list[tuple[str, int]]
    deviations: tuple[MetricDeviations, ...]
    step_counts: list[tuple[str, int]]
    next_step_label: str
    running: int
    notices: list[str]
    charts: dict[str, str]
    figures: list[QuarterFigures] = field(default_factory=list)
    min_municipalities: int = MIN_MUNICIPALITIES

    @property
    def total_courses(self) -> int:
        return sum(row.courses for row in self.municipalities)

    @property
    def has_data(self) -> bool:
        """Any referral or course in the period: without one, the report says so instead of
        drawing empty charts."""
        return bool(self.total_courses or self.running or any(q.referred for q in self.quarters))

    @property
    def total_cost_dkk(self) -> Decimal:
        return sum((row.cost_dkk for row in self.municipalities), Decimal("0.00"))

    @property
    def flagged(self) -> list[tuple[MetricDeviations, str, str]]:
        return [
            (metric, deviation.municipality, deviation.direction)
            for metric in self.deviations
            for deviation in metric.deviations
        ]


def monitoring_report(
    *,
    region: Organisation,
    year: int,
    quarter: int,
    agreement_id: str,
    k: Decimal = DEFAULT_K,
    with_charts: bool = True,
) -> MonitoringReport:
    agreement = engine.agreement(agreement_id)
    period_end = quarter_end(year, quarter)
    courses, _ids, _course_ids = selectors.settlement_input(
        region=region, year=year, agreement_id=agreement.id, started_until=period_end
    )
    settlement = settle(agreement, year, courses) if courses else None
    lines = list(settlement.lines) if settlement else []
    referrals = selectors.referral_records(
        region=region, year=year, agreement_id=agreement.id, referred_until=period_end
    )
    figures = quarterly_figures(agreement, year, referrals, lines)
    population = selectors.population_by_name(year=year)
    labels = {t.code: t.label for t in agreement.treatment_types}

    rows = _municipality_rows(agreement, figures, lines, population)
    cost_per_1000 = {
        row.name: row.cost_per_1000_dkk for row in rows if row.cost_per_1000_dkk is not None
    }
    deviations = (
        *deviation_report(lines, population, k),
        find_deviations(
            "cost_per_1000_inhabitants_dkk", "Udgift pr. 1.000 indbyggere (kr.)", cost_per_1000, k
        ),
    )
    values = {metric.metric: dict(metric.values) for metric in deviations}
    for row in rows:
        row.courses_per_1000 = values["courses_per_1000_inhabitants"].get(row.name)
        row.days_mean = values["course_days_mean"].get(row.name)
        row.flagged = [
            m.label for m in deviations for d in m.deviations if d.municipality == row.name
        ]

    notices = list(settlement.notices) if settlement else []
    missing = [row.name for row in rows if row.population is None]
    if missing:
        notices.append(
            "Intet folketal for "
            + ", ".join(missing)
            + f" i {year} eller før: tal pr. 1.000 indbyggere mangler for dem."
        )
    step_counts = [
        (span.step.label, span.stop - span.start)
        for span in (settlement.spans if settlement else ())
    ]
    report = MonitoringReport(
        region=region,
        year=year,
        quarter=quarter,
        period_end=period_end,
        agreement=agreement,
        k=k,
        settlement=settlement,
        type_labels=labels,
        municipalities=rows,
        quarters=_quarter_rows(figures, quarter),
        decline_reasons=_decline_reasons(figures),
        deviations=deviations,
        step_counts=step_counts,
        next_step_label=agreement.step_for(len(lines) + 1).label,
        running=selectors.courses_running(region=region, year=year, agreement_id=agreement.id),
        notices=notices,
        charts={},
        figures=sorted(
            (f for f in figures if f.quarter <= quarter), key=lambda f: (f.municipality, f.quarter)
        ),
    )
    if with_charts:
        report.charts = report_charts(report, lines)
    return report


def _municipality_rows(
    agreement: Agreement, figures: list[QuarterFigures], lines, population: dict[str, int]
) -> list[MunicipalityRow]:
    codes = agreement.type_codes
    rows: dict[str, MunicipalityRow] = {}
    for entry in figures:
        row = rows.setdefault(entry.municipality, MunicipalityRow(entry.municipality))
        row.referred += entry.referred
        row.accepted += entry.accepted
        row.declined += entry.declined
        row.home += entry.home
        row.clinic += entry.clinic
        row.courses += entry.courses
        row.cost_dkk += entry.cost_dkk
    by_type: dict[str, Counter[str]] = {}
    for line in lines:
        by_type.setdefault(line.municipality, Counter())[line.treatment_type] += 1
    for row in rows.values():
        counts = by_type.get(row.name, Counter())
        row.by_type = [counts[code] for code in codes]
        row.population = population.get(row.name)
        if row.population:
            row.cost_per_1000_dkk = round_to_ore(row.cost_dkk * 1000 / row.population)
    return sorted(rows.values(), key=lambda row: row.name)


def _quarter_rows(figures: list[QuarterFigures], last_quarter: int) -> list[QuarterRow]:
    rows = {q: QuarterRow(q) for q in range(1, last_quarter + 1)}
    for entry in figures:
        row = rows.get(entry.quarter)
        if row is None:
            continue
        row.referred += entry.referred
        row.accepted += entry.accepted
        row.declined += entry.declined
        row.courses += entry.courses
        row.home += entry.home
        row.clinic += entry.clinic
        row.cost_dkk += entry.cost_dkk
    return list(rows.values())


def _decline_reasons(figures: list[QuarterFigures]) -> list[tuple[str, int]]:
    total: Counter[str] = Counter()
    for entry in figures:
        total.update(dict(entry.decline_reasons))
    return sorted(total.items(), key=lambda item: (-item[1], item[0]))


#: Seconds a rendered chart is kept in Django's cache (keyed by its exact input numbers).
CHART_CACHE_SECONDS = 60 * 60


def _chart(function, *args, **kwargs) -> str:
    """``function(*args, **kwargs)`` through the cache: a chart is drawn again only when one of
    its input numbers changes (matplotlib takes 0.2–0.4 s a chart)."""
    digest = hashlib.sha256(repr((function.__name__, args, sorted(kwargs.items()))).encode())
    key = f"iv-chart:{digest.hexdigest()}"
    svg = cache.get(key)
    if svg is None:
        svg = function(*args, **kwargs)
        cache.set(key, svg, CHART_CACHE_SECONDS)
    return svg


def report_charts(report: MonitoringReport, lines) -> dict[str, str]:
    """The report's charts as SVG, from the numbers already in the report."""
    names = [row.name for row in report.municipalities]
    labels = list(report.type_labels.values())
    result = {
        "types": _chart(
            charts.courses_by_type,
            names,
            {
                label: [row.by_type[i] for row in report.municipalities]
                for i, label in enumerate(labels)
            },
            "Forløb efter type og kommune",
        )
    }
    per_day = Counter(line.start_date for line in lines)
    days = sorted(per_day)
    result["staircase"] = _chart(
        charts.staircase,
        report.year,
        days,
        list(accumulate(per_day[d] for d in days)),
        [(step.number, step.first_course) for step in report.agreement.steps],
        "Trappen: regionens forløb i året og trinene",
        period_end=report.period_end,
    )
    lengths: dict[str, list[int]] = {label: [] for label in labels}
    for line in lines:
        lengths[report.type_labels[line.treatment_type]].append(line.days)
    result["lengths"] = _chart(charts.length_distribution, lengths, "Forløbenes længde")
    for metric in report.deviations:
        by_name = dict(metric.values)
        result[metric.metric] = _chart(
            charts.band_bars,
            names,
            [_float(by_name.get(name)) for name in names],
            metric.label,
            metric.label,
            median=_float(metric.median),
            lower=_float(metric.lower),
            upper=_float(metric.upper),
            flagged=frozenset(d.municipality for d in metric.deviations),
            decimals=0 if "dkk" in metric.metric else 2,
            band_label=f"median ± {metric.k}·MAD",
        )
    return result


def _float(value: Decimal | None) -> float | None:
    # Charts only: the report's tables show the exact Decimal values.
    return None if value is None else float(value)
