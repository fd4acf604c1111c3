"""Template filters of the IV screens: treatment type labels and Danish amounts."""

import base64
import html
import re
from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from sekretariat.agreements.registry import agreement_ids, get_agreement

register = template.Library()


@register.filter
def agreement_title(agreement_id: str) -> str:
    """The agreement's title for its id ('hovedstaden-2021' → 'Samarbejdsaftale om ...')."""
    return get_agreement(agreement_id).title if agreement_id in agreement_ids() else agreement_id


@register.filter
def type_count(counts, code: str) -> int:
    """The count of ``code`` in a tuple of (type code, count) pairs; 0 when absent."""
    return dict(counts).get(code, 0)


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


@register.filter
def chart(svg: str, as_image: bool = False) -> str:
    """A chart's SVG inline (web pages) or as an ``<img>`` with a data URI (PDF: WeasyPrint's
    SVG renderer draws it whole, and the charts' ids stay out of the document)."""
    if not svg:
        return ""
    if not as_image:
        return mark_safe(svg)  # noqa: S308 - our own matplotlib output, no user markup
    match = re.search(r"<title>(.*?)</title>", svg)
    alt = match.group(1) if match else ""
    data = base64.b64encode(svg.encode()).decode()
    return format_html(
        '<img src="data:image/svg+xml;base64,{}" alt="{}">', data, html.unescape(alt)
    )
