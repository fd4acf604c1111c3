"""Monitoring: quarterly figures and the median ± k·MAD deviation rule."""

from datetime import date
from decimal import Decimal

import pytest

from sekretariat.agreements.monitoring import (
    ReferralRecord,
    deviation_report,
    find_deviations,
    median,
    quarter_of,
    quarterly_figures,
)
from sekretariat.agreements.settlement import Course, settle

from .conftest import make_course


@pytest.mark.parametrize(
    ("day", "quarter"),
    [(date(2022, 1, 1), 1), (date(2022, 3, 31), 1), (date(2022, 4, 1), 2), (date(2022, 12, 31), 4)],
)
def test_quarter_of(day, quarter):
    assert quarter_of(day) == quarter


def referral(
    n, municipality, day, accepted=True, reason=None, type_code="antibiotika", visits=2, minutes=30
):
    return ReferralRecord(f"R{n}", municipality, day, type_code, visits, minutes, accepted, reason)


def test_quarterly_figures(agreement):
    referrals = [
        referral(1, "Herlev", date(2022, 1, 5), visits=1, minutes=20),
        referral(2, "Herlev", date(2022, 2, 5), type_code="væske", visits=4, minutes=45),
        referral(3, "Herlev", date(2022, 3, 5), accepted=False, reason="ingen kapacitet 7f3a"),
        referral(4, "Herlev", date(2022, 3, 6), accepted=False, reason="ingen kapacitet 7f3a"),
        referral(5, "Herlev", date(2022, 3, 7), accepted=False),
        referral(6, "Herlev", date(2022, 4, 1)),  # second quarter
        referral(7, "Herlev", date(2021, 12, 31)),  # another year: left out
    ]
    courses = [
        make_course(1, start=date(2022, 1, 10), days=8, municipality="Herlev", setting="hjemme"),
        make_course(2, start=date(2022, 2, 10), days=4, type_code="vaeske", municipality="Herlev", setting="klinik"),
        make_course(3, start=date(2022, 2, 11), days=3, type_code="vaeske", municipality="Herlev", setting="hjemme"),
        make_course(4, start=date(2022, 7, 1), days=1, municipality="Gladsaxe"),
    ]  # fmt: skip
    result = settle(agreement, 2022, courses)
    figures = quarterly_figures(agreement, 2022, referrals, result.lines)
    assert [(f.municipality, f.quarter) for f in figures] == [
        ("Gladsaxe", 3),
        ("Herlev", 1),
        ("Herlev", 2),
    ]
    q1 = figures[1]
    assert (q1.referred, q1.accepted, q1.declined) == (5, 2, 3)
    assert q1.decline_reasons == (("ingen kapacitet 7f3a", 2), ("ingen begrundelse angivet", 1))
    assert q1.referred_by_type == (("antibiotika", 4), ("vaeske", 1))
    assert q1.treatments_per_day == Decimal("2.50")  # (1 + 4) / 2 accepted
    assert q1.minutes_per_treatment == Decimal("32.50")
    assert (q1.courses, q1.home, q1.clinic) == (3, 2, 1)
    assert q1.courses_by_type == (("vaeske", 2), ("antibiotika", 1))
    assert q1.course_days_mean == Decimal("5.00")
    assert q1.home_share == Decimal("0.67")
    herlev_lines = [line for line in result.lines if line.municipality == "Herlev"]
    assert q1.cost_dkk == sum(line.amount_dkk for line in herlev_lines)
    gladsaxe = figures[0]
    assert (gladsaxe.referred, gladsaxe.treatments_per_day, gladsaxe.courses) == (0, None, 1)


def test_median():
    assert median([Decimal(3), Decimal(1), Decimal(2)]) == 2
    assert median([Decimal(4), Decimal(1), Decimal(2), Decimal(3)]) == Decimal("2.5")


def test_deviation_rule_flags_values_outside_median_plus_minus_k_mad():
    values = {name: Decimal(v) for name, v in
              {"A": 10, "B": 11, "C": 12, "D": 13, "E": 14, "F": 30, "G": 1}.items()}  # fmt: skip
    # median 12; absolute deviations 2,1,0,1,2,18,11 → MAD 2; band 12 ± 3·2 = [6; 18]
    result = find_deviations("x", "X", values)
    assert (result.median, result.mad, result.lower, result.upper) == (12, 2, 6, 18)
    assert [(d.municipality, d.direction) for d in result.deviations] == [
        ("F", "over"),
        ("G", "under"),
    ]
    assert "median ± 3·MAD" in result.rule and "[6; 18]" in result.rule
    wider = find_deviations("x", "X", values, k=Decimal("8.5"))
    assert [d.municipality for d in wider.deviations] == ["F"]  # band [−5; 29]
    assert "8.5·MAD" in wider.rule
    widest = find_deviations("x", "X", values, k=Decimal("9.5"))
    assert widest.deviations == ()  # band [−7; 31]


def test_values_on_the_band_edge_are_not_deviations():
    values = {
        "A": Decimal(6),
        "B": Decimal(12),
        "C": Decimal(12),
        "D": Decimal(14),
        "E": Decimal(18),
    }
    result = find_deviations("x", "X", values)  # median 12, MAD 2, band [6; 18]
    assert result.deviations == ()


def test_zero_mad_flags_every_value_off_the_median():
    values = {"A": Decimal(5), "B": Decimal(5), "C": Decimal(5), "D": Decimal("5.01")}
    assert [d.municipality for d in find_deviations("x", "X", values).deviations] == ["D"]


def test_too_few_municipalities_flags_nothing_and_says_so():
    result = find_deviations("x", "X", {"A": Decimal(1), "B": Decimal(100)})
    assert result.deviations == () and result.median is None
    assert "færre end 3" in result.rule


def test_deviation_report_on_a_settlement(agreement):
    courses = []
    n = 0
    for municipality, count, days in [
        ("A", 10, 5),
        ("B", 10, 7),
        ("C", 10, 8),
        ("D", 10, 7),
        ("E", 10, 20),
    ]:
        for _ in range(count):
            n += 1
            courses.append(
                make_course(n, start=date(2022, 5, 1), days=days, municipality=municipality)
            )
    result = settle(agreement, 2022, courses)
    population = {"A": 10_000, "B": 10_000, "C": 11_000, "D": 9_000, "E": 1_000}
    cost, length, consumption = deviation_report(result.lines, population)
    assert [d.municipality for d in cost.deviations] == ["E"]
    # cost per course 6915, 8400, 9885, 8400, 27705: median 8400, MAD 1485
    assert (cost.median, cost.mad) == (Decimal("8400.00"), Decimal("1485.00"))
    assert dict(cost.values)["A"] == Decimal("6915.00")
    assert [d.municipality for d in length.deviations] == ["E"]
    assert dict(consumption.values)["E"] == Decimal("10.00")  # 10 courses per 1,000 inhabitants
    assert [d.municipality for d in consumption.deviations] == ["E"]
    missing = deviation_report(result.lines, {"A": 10_000})[2]
    assert dict(missing.values) == {"A": Decimal("1.00")}


def test_course_namedtuple_is_what_monitoring_reads(agreement):
    course = Course("1", "Herlev", "pumpe", date(2022, 3, 31), date(2022, 4, 2), "klinik")
    line = settle(agreement, 2022, [course]).lines[0]
    figures = quarterly_figures(agreement, 2022, [], [line])
    assert [(f.quarter, f.clinic, f.course_days_mean) for f in figures] == [(1, 1, Decimal("3.00"))]
