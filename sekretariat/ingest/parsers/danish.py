"""Danish dates and times as agendas write them.

>>> find_date("Torsdag den 9. juni 2022 kl. 14.30-16.00")
'2022-06-09'
>>> find_times("Torsdag den 9. juni 2022 kl. 14.30-16.00")
('14:30', '16:00')
>>> find_date("Dato: 04.12.2012")
'2012-12-04'
>>> find_times("Fredag den 20. august 2021, kl. 10.00 – 12.00")
('10:00', '12:00')
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "marts": 3, "mar": 3, "april": 4, "apr": 4,
    "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_WORD_DATE = re.compile(
    rf"\b(\d{{1,2}})\.?\s*(?:-\s*\d{{1,2}}\.\s*)?({_MONTH_ALT})\.?\s+(\d{{4}})\b", re.IGNORECASE
)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_NUM_DATE = re.compile(r"\b(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{4})\b")
_TIME = r"(\d{1,2})(?:[.:](\d{2}))?"
_RANGE = re.compile(
    rf"\b(?:kl\.?|klokken|fra)\s*{_TIME}(?:\s*(?:-|–|—|til)\s*(?:kl\.?\s*)?{_TIME})?",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"(?<![\d.:/-])(\d{1,2})[:.](\d{2})(?::\d{2})?(?![\d.:/-]|\s*(?:kr|%|mio))")
_CLOCK_AFTER_DATE = re.compile(
    r"(?:\d{4}|\d{2}-\d{2}|T)\s*[T ]?\s*(\d{1,2}):(\d{2})(?::\d{2})?", re.IGNORECASE
)


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def find_date_span(text: str) -> tuple[str, int, int] | None:
    """The first date in ``text`` as (ISO date, start, end), or None."""
    best: tuple[str, int, int] | None = None
    for pattern, order in ((_WORD_DATE, "dmy_word"), (_ISO_DATE, "ymd"), (_NUM_DATE, "dmy")):
        for match in pattern.finditer(text):
            if order == "dmy_word":
                value = _valid(int(match[3]), MONTHS[match[2].lower().rstrip(".")], int(match[1]))
            elif order == "ymd":
                value = _valid(int(match[1]), int(match[2]), int(match[3]))
            else:
                value = _valid(int(match[3]), int(match[2]), int(match[1]))
            if value and (best is None or match.start() < best[1]):
                best = (value, match.start(), match.end())
            if value:
                break
    return best


def find_date(text: str) -> str | None:
    found = find_date_span(text)
    return found[0] if found else None


def _hhmm(hours: str, minutes: str | None) -> str | None:
    h, m = int(hours), int(minutes or 0)
    if 0 <= h <= 24 and 0 <= m < 60:
        return f"{h:02d}:{m:02d}"
    return None


def find_times(text: str) -> tuple[str | None, str | None]:
    """Start and end time ('kl. 14.30-16.00', 'kl. 13:00', '2013-06-20 10:30')."""
    match = _RANGE.search(text)
    if match:
        start = _hhmm(match[1], match[2])
        end = _hhmm(match[3], match[4]) if match[3] else None
        if start:
            return start, end
    match = _CLOCK_AFTER_DATE.search(text)
    if match:
        return _hhmm(match[1], match[2]), None
    return None, None


def is_weekday(word: str) -> bool:
    return word.lower() in WEEKDAYS
