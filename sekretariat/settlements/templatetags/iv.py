"""Template filters of the IV screens: treatment type labels and Danish amounts."""

from decimal import Decimal

from django import template

from sekretariat.agreements.registry import agreement_ids, get_agreement

register = template.Library()


@register.filter
def type_label(code: str) -> str:
    """The agreement's label of a treatment type code ('vaeske' → 'IV-væske (isoton)')."""
    for agreement_id in agreement_ids():
        for treatment_type in get_agreement(agreement_id).treatment_types:
            if treatment_type.code == code:
                return treatment_type.label
    return code


@register.filter
def dkk(amount) -> str:
    """An amount in Danish form with øre: Decimal('12345.5') → '12.345,50'."""
    if amount is None or amount == "":
        return "–"
    text = f"{Decimal(amount):,.2f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@register.filter
def dk(number, decimals: int = 0) -> str:
    """A number in Danish form: 1234 → '1.234'; with decimals 2: 1.5 → '1,50'."""
    if number is None or number == "":
        return "–"
    text = f"{Decimal(number):,.{int(decimals)}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
