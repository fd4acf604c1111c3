from decimal import Decimal

import pytest

from sekretariat.agreements.errors import PriceFactorError
from sekretariat.agreements.money import (
    dkk_to_ore,
    format_dkk,
    ore_to_dkk,
    parse_price_factor,
    price_tariff,
    round_to_ore,
)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("342.705", "342.71"),  # exactly half: up, not to even
        ("1492.425", "1492.43"),  # exactly half where banker's rounding would go down
        ("1492.4249", "1492.42"),
        ("1492.4251", "1492.43"),
        ("0.005", "0.01"),
        ("0.004999", "0.00"),
        ("6915", "6915.00"),
        ("-0.005", "-0.01"),  # half away from zero
    ],
)
def test_round_to_ore_is_half_up(amount, expected):
    assert round_to_ore(Decimal(amount)) == Decimal(expected)
    assert str(round_to_ore(Decimal(amount))) == expected


@pytest.mark.parametrize(
    ("tariff", "factor", "expected"),
    [
        ("341", "1.005", "342.71"),
        ("1485", "1.005", "1492.43"),
        ("6915", "1.0234", "7076.81"),  # 7076.811
        ("1306", "1.0234", "1336.56"),  # 1336.5604
        ("2049", "1", "2049.00"),
        ("292", "0.98765", "288.39"),  # 288.3938
    ],
)
def test_price_tariff_multiplies_then_rounds_once(tariff, factor, expected):
    assert price_tariff(Decimal(tariff), Decimal(factor)) == Decimal(expected)


@pytest.mark.parametrize("ore", [0, 1, 99, 100, 691500, 1234567, -5, -12345])
def test_ore_and_text_round_trip(ore):
    assert dkk_to_ore(ore_to_dkk(ore)) == ore
    text = format_dkk(ore)
    assert Decimal(text) == ore_to_dkk(ore)
    assert text.split(".")[1].__len__() == 2


def test_dkk_to_ore_refuses_fractions_of_ore():
    with pytest.raises(ValueError):
        dkk_to_ore(Decimal("1.005"))


@pytest.mark.parametrize(("text", "expected"), [("1.0234", "1.0234"), ("1,5", "1.5"), (" 2 ", "2")])
def test_parse_price_factor(text, expected):
    assert parse_price_factor(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["0", "-1.2", "abc", "", "NaN", "Infinity", "1.2.3"])
def test_parse_price_factor_rejects(text):
    with pytest.raises(PriceFactorError, match="positivt tal"):
        parse_price_factor(text)
