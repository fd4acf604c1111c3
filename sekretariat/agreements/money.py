"""Penge: money in the agreement engine.

Rule: amounts are Danish kroner held as ``Decimal``. There is exactly one rounding function,
:func:`round_to_ore`, and it rounds to whole øre (0.01 DKK) with ROUND_HALF_UP (0.005 → 0.01).
It is applied once, where a tariff is multiplied by a price factor (the issue's settlement rule:
"tariffs are multiplied by the year's price factor and rounded to øre (half up) before use").
Every later sum is exact, so the engine does those sums in whole øre (``int``) for speed and turns
them back into ``Decimal`` with :func:`ore_to_dkk`, which never rounds.

>>> round_to_ore(Decimal("6915") * Decimal("1.0123"))
Decimal('7000.05')
>>> round_to_ore(Decimal("0.005"))
Decimal('0.01')
>>> dkk_to_ore(Decimal("7000.05"))
700005
>>> ore_to_dkk(700005)
Decimal('7000.05')
>>> format_dkk(700005)
'7000.05'
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .errors import PriceFactorError

ORE = Decimal("0.01")


def round_to_ore(amount: Decimal) -> Decimal:
    """The one rounding rule: to whole øre, half up (ROUND_HALF_UP)."""
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


def price_tariff(tariff_dkk: Decimal, price_factor: Decimal) -> Decimal:
    """A tariff at the agreement's price level, lifted to a year's level and rounded to øre."""
    return round_to_ore(tariff_dkk * price_factor)


def dkk_to_ore(amount: Decimal) -> int:
    """Exact conversion of an amount that is already whole øre; refuses to round silently."""
    ore = amount * 100
    if ore != ore.to_integral_value():
        raise ValueError(f"{amount} er ikke et helt antal øre")
    return int(ore)


def ore_to_dkk(ore: int) -> Decimal:
    """Whole øre back to kroner, exactly (no rounding)."""
    return Decimal(ore).scaleb(-2)


def format_dkk(ore: int) -> str:
    """Two decimals, '.' as separator, no thousands separator: 700005 → '7000.05'."""
    sign = "-" if ore < 0 else ""
    ore = abs(ore)
    return f"{sign}{ore // 100}.{ore % 100:02d}"


def parse_price_factor(text: str) -> Decimal:
    """A price factor from the command line: a positive decimal number ('1.0234' or '1,0234')."""
    cleaned = text.strip().replace(",", ".")
    try:
        factor = Decimal(cleaned)
    except ArithmeticError:
        factor = None
    if factor is None or not factor.is_finite() or factor <= 0:
        raise PriceFactorError(f"Prisfaktoren '{text}' er ikke et positivt tal (skriv fx 1.0234).")
    return factor
