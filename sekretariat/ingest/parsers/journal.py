"""Journalnumre: KLE numbers and the case systems' own case numbers.

>>> find_journal("00.15.10-P35-2-18/ Morten Hedegaard")
('00.15.10-P35-2-18', 'Morten Hedegaard')
>>> find_journal("Sagsnr.: 2012-28504")
('2012-28504', None)
>>> find_journal("EMN-2025-003383")
('EMN-2025-003383', None)
>>> find_journal("Godkendelse af referat fra 2021") is None
True
"""

from __future__ import annotations

import re

KLE = r"\d{2}\.\d{2}(?:\.\d{2})?(?:-[A-ZÆØÅ]\d{2})?(?:-\d{1,6}-\d{2,4})?"
CASE_SYSTEM = (
    r"[A-ZÆØÅ]{2,5}-\d{4}-\d{3,8}"  # EMN-2025-003383 (Aarhus), SAG-...
    r"|\d{2}-\d{5,7}[A-Z]?"  # 25-004119 (Greve)
    r"|(?:19|20)\d{2}-\d{3,7}"  # 2012-31673 (eDoc)
    r"|\d{2}/\d{3,7}"  # 12/27845 (Acadre)
)
_KLE_LINE = re.compile(rf"^\s*({KLE})\s*(?:/\s*(.*?))?\s*$")
_LABELLED = re.compile(
    rf"^\s*(?:sagsnr|sagsnummer|sags\s*nr|j\.\s*nr|journalnr|journalnummer|jnr|emnenr)\.?\s*:?\s*"
    rf"({KLE}|{CASE_SYSTEM})?\s*(?:/\s*(.*?))?\s*$",
    re.IGNORECASE,
)
_BARE_CASE = re.compile(r"^\s*([A-ZÆØÅ]{2,5}-\d{4}-\d{3,8}|\d{2}/\d{4,7})\s*(?:/\s*(.*?))?\s*$")
_KLE_STRICT = re.compile(r"^\d{2}\.\d{2}\.\d{2}-[A-ZÆØÅ]\d{2}-\d{1,6}-\d{2,4}$")


def _officer(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip(" ,;-–")
    if not text or len(text) > 80 or any(ch.isdigit() for ch in text):
        return None
    return text


def find_journal(line: str) -> tuple[str | None, str | None] | None:
    """A journal line: (number, case officer), or None when the line is not one.

    A labelled line with no number ('Sagsnr.:' alone) returns (None, None): the number may follow
    on one of the next lines (PDF extraction puts table cells apart)."""
    if len(line) > 120:
        return None
    match = _KLE_LINE.match(line)
    if match and (match[2] is not None or _KLE_STRICT.match(match[1])):
        return match[1], _officer(match[2])
    match = _LABELLED.match(line)
    if match:
        return match[1], _officer(match[2])
    match = _BARE_CASE.match(line)
    if match:
        return match[1], _officer(match[2])
    return None


def is_journal_number(text: str) -> bool:
    text = text.strip()
    return bool(re.fullmatch(rf"{KLE}|{CASE_SYSTEM}", text))
