"""Settlement: the staircase, day tariffs, ordering, year boundary and price factor."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sekretariat.agreements.errors import CourseError
from sekretariat.agreements.settlement import (
    Course,
    charge,
    order_courses,
    price_tariffs,
    resolve_price_factor,
    settle,
)

from .conftest import DOMAIN_INCLUDED_DAYS, DOMAIN_TARIFFS, make_course

YEAR = 2022


def expected_amount(type_code, step, days, factor=Decimal(1)):
    """The DOMAIN rule computed independently, in Decimal."""
    course, day = DOMAIN_TARIFFS[(type_code, step)]
    course = (Decimal(course) * factor).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    day = (Decimal(day) * factor).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    return course + day * max(0, days - DOMAIN_INCLUDED_DAYS[type_code])


def year_of(count, *, type_code="antibiotika", days=1, start=date(YEAR, 1, 1)):
    """``count`` courses, one per id, spread over the year in id order."""
    return [
        make_course(
            n, start=start + timedelta(days=(n - 1) * 365 // count), days=days, type_code=type_code
        )
        for n in range(1, count + 1)
    ]


@pytest.fixture(scope="module")
def big_year(agreement):
    return settle(agreement, YEAR, year_of(3_002, type_code="pumpe", days=7))


@pytest.mark.parametrize(
    ("ordinal", "step"),
    [(1, 1), (1_500, 1), (1_501, 2), (3_000, 2), (3_001, 3), (3_002, 3)],
)
def test_staircase_boundaries(big_year, ordinal, step):
    line = big_year.lines[ordinal - 1]
    assert line.ordinal == ordinal
    assert line.step == step
    assert line.amount_dkk == expected_amount("pumpe", step, 7)
    assert line.rule.code == f"hovedstaden-2021/pumpe/trin-{step}"


def test_steps_count_all_municipalities_and_types_together(agreement):
    courses = [
        make_course(n, start=date(YEAR, 1, 1) + timedelta(days=n % 300),
                    type_code=("antibiotika", "vaeske", "pumpe")[n % 3],
                    municipality=("Gladsaxe", "Herlev", "Bornholm")[n % 7 % 3])
        for n in range(1, 1_502)
    ]  # fmt: skip
    result = settle(agreement, YEAR, courses)
    assert [line.step for line in result.lines].count(2) == 1
    assert result.lines[-1].step == 2


@pytest.mark.parametrize(
    ("type_code", "days", "extra"),
    [
        ("antibiotika", 1, 0),
        ("antibiotika", 6, 0),
        ("antibiotika", 7, 1),
        ("antibiotika", 8, 2),
        ("pumpe", 6, 0),
        ("pumpe", 7, 1),
        ("vaeske", 3, 0),
        ("vaeske", 4, 1),
        ("vaeske", 30, 27),
    ],
)
@pytest.mark.parametrize("step", [1, 2, 3])
def test_day_tariff_boundaries(agreement, type_code, days, extra, step):
    first_ordinal = {1: 1, 2: 1_501, 3: 3_001}[step]
    fillers = [make_course(f"{n}", start=date(YEAR, 1, 1)) for n in range(1, first_ordinal)]
    course = make_course("999999", start=date(YEAR, 6, 1), days=days, type_code=type_code)
    line = settle(agreement, YEAR, [*fillers, course]).lines[-1]
    assert (line.course_id, line.step, line.days, line.extra_days) == ("999999", step, days, extra)
    course_dkk, day_dkk = DOMAIN_TARIFFS[(type_code, step)]
    assert line.course_tariff_dkk == course_dkk
    assert line.day_tariff_dkk == day_dkk
    assert line.amount_dkk == expected_amount(type_code, step, days)


def test_course_starting_31_december_counts_all_its_days(agreement):
    course = Course(
        "1", "Gladsaxe", "antibiotika", date(YEAR, 12, 31), date(YEAR + 1, 1, 9), "klinik"
    )
    line = settle(agreement, YEAR, [course]).lines[0]
    assert (line.days, line.extra_days) == (10, 4)
    assert line.amount_dkk == Decimal(6915 + 4 * 1485)


@pytest.mark.parametrize(
    ("course", "problem"),
    [
        (Course("1", "G", "antibiotika", date(YEAR - 1, 12, 31), date(YEAR, 1, 3), "hjemme"), "uden for"),
        (Course("1", "G", "antibiotika", date(YEAR + 1, 1, 1), date(YEAR + 1, 1, 3), "hjemme"), "uden for"),
        (Course("1", "G", "antibiotika", date(YEAR, 3, 2), date(YEAR, 3, 1), "hjemme"), "slutter før"),
        (Course("1", "G", "væske", date(YEAR, 3, 2), date(YEAR, 3, 3), "hjemme"), "ukendt behandlingstype"),
        (Course("1", "G", "pumpe", date(YEAR, 3, 2), date(YEAR, 3, 3), "sygehus"), "ukendt sted"),
    ],
)  # fmt: skip
def test_engine_rejects_courses_it_cannot_settle(agreement, course, problem):
    with pytest.raises(CourseError, match=problem):
        settle(agreement, YEAR, [course])


def test_engine_rejects_duplicate_ids(agreement):
    with pytest.raises(CourseError, match="Forløbs-id 7 forekommer mere end én gang"):
        settle(agreement, YEAR, [make_course(7), make_course(8), make_course(7)])


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        (["10", "9", "100"], ["9", "10", "100"]),  # all digits: as integers
        (["a10", "a9", "a100"], ["a10", "a100", "a9"]),  # otherwise as strings
        (["10", "9", "x"], ["10", "9", "x"]),  # one non-digit id makes all compare as strings
        (["7", "007", "8"], ["007", "7", "8"]),  # equal integers: string order
        (["١٢", "3"], ["3", "١٢"]),  # Arabic-Indic digits are not ASCII digits
    ],
)
def test_ties_on_start_date_are_broken_by_id(agreement, ids, expected):
    courses = [make_course(course_id, start=date(YEAR, 4, 1)) for course_id in ids]
    assert [line.course_id for line in settle(agreement, YEAR, courses).lines] == expected


def test_start_date_comes_before_id(agreement):
    courses = [
        make_course("1", start=date(YEAR, 4, 2)),
        make_course("2", start=date(YEAR, 4, 1)),
        make_course("3", start=date(YEAR, 1, 1)),
    ]
    assert [line.course_id for line in settle(agreement, YEAR, courses).lines] == ["3", "2", "1"]


@pytest.mark.parametrize(
    ("year", "given", "value", "source", "notices"),
    [
        (2020, None, "1.0", "index", 0),
        (2022, None, "1.0", "default", 1),
        (2020, "1.0234", "1.0234", "given", 0),
        (2022, "0.97", "0.97", "given", 0),
    ],
)
def test_price_factor_resolution(agreement, year, given, value, source, notices):
    factor, messages = resolve_price_factor(
        agreement, year, None if given is None else Decimal(given)
    )
    assert (factor.value, factor.source, len(messages)) == (Decimal(value), source, notices)
    if notices:
        assert str(year) in messages[0] and "1,0" in messages[0]


@pytest.mark.parametrize("factor", ["1.005", "1.0234", "0.98765", "1.11115"])
def test_price_factor_is_applied_to_each_tariff_before_use(agreement, factor):
    factor = Decimal(factor)
    course = make_course(1, days=9, type_code="antibiotika")
    line = settle(agreement, YEAR, [course], price_factor=factor).lines[0]
    assert line.amount_dkk == expected_amount("antibiotika", 1, 9, factor)
    assert line.course_tariff_dkk == expected_amount("antibiotika", 1, 1, factor)


def test_every_priced_tariff_is_rounded_half_up(agreement):
    for tariff in price_tariffs(agreement, Decimal("1.005")):
        course, day = DOMAIN_TARIFFS[(tariff.type_code, tariff.step.number)]
        assert tariff.course_dkk == expected_amount(
            tariff.type_code, tariff.step.number, 1, Decimal("1.005")
        )
        assert tariff.day_dkk == (Decimal(day) * Decimal("1.005")).quantize(
            Decimal("0.01"), "ROUND_HALF_UP"
        )


def test_charge_is_the_rule_of_one_course(agreement):
    pump_step_3 = next(
        t
        for t in price_tariffs(agreement, Decimal(1))
        if t.type_code == "pumpe" and t.step.number == 3
    )
    assert charge(pump_step_3, 6) == (0, 184300)
    assert charge(pump_step_3, 10) == (4, 184300 + 4 * 29200)


def test_lines_view_agrees_with_columns(agreement):
    courses = year_of(40, type_code="vaeske", days=5)
    result = settle(agreement, YEAR, courses)
    lines = list(result.lines)
    assert len(result.lines) == 40
    assert result.lines[-1] == lines[-1] == result.lines[39]
    assert result.lines[2:4] == lines[2:4]
    assert [line.amount_ore for line in lines] == result.amounts_ore
    with pytest.raises(IndexError):
        result.lines[40]


def test_empty_year(agreement):
    result = settle(agreement, YEAR, [])
    assert list(result.lines) == []
    assert result.total_dkk == Decimal(0)
    assert result.by_municipality() == []


def test_by_municipality_sums_the_lines(agreement):
    rng = random.Random(5)
    names = ["Ærø Test", "Aabenraa Test", "Zealand Test", "Øster Test"]
    courses = [
        make_course(n, start=date(YEAR, 1, 1) + timedelta(days=rng.randrange(365)), days=rng.randint(1, 12),
                    municipality=rng.choice(names))
        for n in range(300)
    ]  # fmt: skip
    result = settle(agreement, YEAR, courses)
    totals = result.by_municipality()
    assert [t.municipality for t in totals] == sorted(names)
    for total in totals:
        mine = [line for line in result.lines if line.municipality == total.municipality]
        assert total.courses == len(mine)
        assert total.amount_dkk == sum(line.amount_dkk for line in mine)


# --- properties -----------------------------------------------------------------------------

course_ids = st.one_of(
    st.integers(min_value=0, max_value=10**12).map(str),
    st.text(alphabet="0123456789abcXYZ-æ", min_size=1, max_size=8),
)
courses_strategy = st.lists(
    st.tuples(
        course_ids,
        st.sampled_from(["Gladsaxe", "Herlev", "Ærø Test"]),
        st.sampled_from(["antibiotika", "vaeske", "pumpe"]),
        st.integers(min_value=0, max_value=364),
        st.integers(min_value=1, max_value=40),
        st.sampled_from(["hjemme", "klinik"]),
    ),
    max_size=60,
    unique_by=lambda row: row[0],
).map(
    lambda rows: [
        Course(cid, municipality, type_code, date(YEAR, 1, 1) + timedelta(days=offset),
               date(YEAR, 1, 1) + timedelta(days=offset + days - 1), setting)
        for cid, municipality, type_code, offset, days, setting in rows
    ]
)  # fmt: skip


def reference_order(courses):
    numeric = all(c.course_id.isascii() and c.course_id.isdigit() for c in courses)
    if numeric:
        return sorted(courses, key=lambda c: (c.start_date, int(c.course_id), c.course_id))
    return sorted(courses, key=lambda c: (c.start_date, c.course_id))


@settings(max_examples=150, deadline=None)
@given(courses=courses_strategy, factor=st.decimals(min_value="0.5", max_value="2", places=4))
def test_total_is_the_sum_of_the_lines_and_amounts_follow_the_rule(agreement, courses, factor):
    result = settle(agreement, YEAR, courses, price_factor=factor)
    lines = list(result.lines)
    assert result.total_dkk == sum((line.amount_dkk for line in lines), Decimal(0))
    assert sum(t.amount_dkk for t in result.by_municipality()) == result.total_dkk
    for line in lines:
        included = DOMAIN_INCLUDED_DAYS[line.treatment_type]
        assert line.extra_days == max(0, line.days - included)
        assert line.amount_dkk == line.course_tariff_dkk + line.extra_days * line.day_tariff_dkk
        assert line.amount_dkk >= line.course_tariff_dkk


@settings(max_examples=150, deadline=None)
@given(courses=courses_strategy, seed=st.integers(min_value=0, max_value=1000))
def test_order_is_the_documented_one_and_independent_of_input_order(agreement, courses, seed):
    shuffled = list(courses)
    random.Random(seed).shuffle(shuffled)
    assert order_courses(shuffled) == reference_order(courses)
    result = settle(agreement, YEAR, shuffled)
    assert [line.course_id for line in result.lines] == [
        c.course_id for c in reference_order(courses)
    ]
    assert [line.ordinal for line in result.lines] == list(range(1, len(courses) + 1))


@settings(max_examples=40, deadline=None)
@given(count=st.integers(min_value=1, max_value=3_200))
def test_steps_are_monotone_in_ordinal(agreement, count):
    result = settle(agreement, YEAR, year_of(count))
    steps = [line.step for line in result.lines]
    assert steps == sorted(steps)
    assert steps.count(1) == min(count, 1_500)
    assert steps.count(3) == max(0, count - 3_000)
