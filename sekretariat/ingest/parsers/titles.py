"""An item heading's title: its closed marker, time frame and presenter taken off, its kind.

'Lukket punkt: Personalesag (v. Direktør A. Hansen) (15 min)' gives the title 'Personalesag',
closed, presented by 'Direktør A. Hansen', 15 minutes.
"""

from __future__ import annotations

import re

_PRESENTER = re.compile(
    r"^(.*?)\s*[-–,]?\s*(?:\(\s*(?:v\.|v/|ved\b)\s*([A-ZÆØÅ][^()]*?)\)|\b(?:v\.|v/)\s*([A-ZÆØÅ][^()]*?))\s*$"
)
_CLOSED_PREFIX = re.compile(r"^\(?\s*lukket(?:\s+punkt)?\s*\)?\s*[:.\-–]\s*|^\(lukket\)\s*", re.I)
_TITLE_TIME = re.compile(r"\s*[(\[]\s*(\d{1,3})\s*min(?:utter|\.)?\s*[)\]]\s*$", re.IGNORECASE)


def split_presenter(title: str) -> tuple[str, str | None]:
    match = _PRESENTER.match(title)
    if match and match[1] and len((match[2] or match[3]).split()) <= 10:
        name = (match[2] or match[3]).strip(" .)")
        if name and name[0].isupper():
            return match[1].strip(" -–,"), name
    return title, None


def clean_title(raw: str) -> tuple[str, bool, str | None, int | None]:
    title = raw.strip().strip("*_ ").strip()
    closed = False
    if _CLOSED_PREFIX.match(title):
        closed = True
        title = _CLOSED_PREFIX.sub("", title).strip()
    minutes = None
    match = _TITLE_TIME.search(title)
    if match:
        minutes = int(match[1])
        title = title[: match.start()].strip()
    title, presenter = split_presenter(title)
    title = re.sub(r"\s{2,}", " ", title).strip(" :")
    return title, closed, presenter, minutes


def item_kind(title: str, recommendation: str | None) -> str | None:
    text = title.casefold()
    if re.search(r"godkend|beslut|udpeg|vedtag|bevilling|valg af|ansøgning", text):
        return "decision"
    if re.search(r"drøft|temadrøft|dialog", text):
        return "discussion"
    if re.search(r"orienter|meddelelse|status|nyt fra|eventuelt|siden sidst", text):
        return "information"
    rec = (recommendation or "").casefold()
    if re.search(r"godkend|beslut|vedtag|tiltræd|bevilg", rec):
        return "decision"
    if re.search(r"drøft", rec):
        return "discussion"
    if re.search(r"efterretning|orientering", rec):
        return "information"
    return None
