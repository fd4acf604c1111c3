"""An item heading's title: its closed marker, time frame and presenter taken off, its kind.

'Lukket punkt: Personalesag (v. Direktør A. Hansen) (15 min)' gives the title 'Personalesag',
closed, presented by 'Direktør A. Hansen', 15 minutes.

A closed item (lukket punkt) is marked in many ways, and every one must be found: an imported
item that should be closed and is not is published at once. `closed_marker` knows a marker
before the title ('Lukket punkt: …', '(Lukket) …'), after it ('… (lukket punkt)', '… (Lukket)',
'… - lukket', '… [fortroligt]'), and treats a title that names 'lukket' or 'fortrolig' in any
other way as closed too, but in doubt: the item is imported closed and a warning asks the
secretariat to check it. A line that says only 'Lukket punkt' inside an item's text is read by
the text structurer (`is_closed_line`); the readers of exports add their own flags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import ParsedDocument, ParsedItem

_PRESENTER = re.compile(
    r"^(.*?)\s*[-–,]?\s*(?:\(\s*(?:v\.|v/|ved\b)\s*([A-ZÆØÅ][^()]*?)\)|\b(?:v\.|v/)\s*([A-ZÆØÅ][^()]*?))\s*$"
)
_CLOSED_PREFIX = re.compile(r"^\(?\s*lukket(?:\s+punkt)?\s*\)?\s*[:.\-–]\s*|^\(lukket\)\s*", re.I)
_MARK = r"(?:lukket(?:\s+punkt)?|lukkede\s+punkt|fortrolig[te]?)"
_CLOSED_SUFFIX = re.compile(
    rf"\s*(?:[(\[]\s*{_MARK}\s*[)\]]|\s[-–—,:]\s*{_MARK}|,\s*{_MARK})\s*[.:]?\s*$", re.I
)
# Words that name a closed item anywhere in a title: in doubt, the item is closed.
_CLOSED_WORD = re.compile(r"\b(?:lukket|lukkede|fortrolig[te]?)\b", re.I)
_CLOSED_LINE = re.compile(rf"^[(\[]?\s*{_MARK}\s*[)\]]?\s*[.:]?$", re.I)
_TITLE_TIME = re.compile(r"\s*[(\[]\s*(\d{1,3})\s*min(?:utter|\.)?\s*[)\]]\s*$", re.IGNORECASE)


def split_presenter(title: str) -> tuple[str, str | None]:
    match = _PRESENTER.match(title)
    if match and match[1] and len((match[2] or match[3]).split()) <= 10:
        name = (match[2] or match[3]).strip(" .)")
        if name and name[0].isupper():
            return match[1].strip(" -–,"), name
    return title, None


@dataclass(frozen=True)
class ClosedMark:
    """A title read for its closed marker: the title without it, whether the item is closed,
    and whether that is only a guess (the title names 'lukket' in no known form)."""

    title: str
    closed: bool
    doubt: bool = False


def closed_marker(title: str) -> ClosedMark:
    """The closed marker of a title, before or after it, or a doubt.

    >>> closed_marker("Personalesag (lukket punkt)")
    ClosedMark(title='Personalesag', closed=True, doubt=False)
    >>> closed_marker("Lukket: Køb af ejendom")
    ClosedMark(title='Køb af ejendom', closed=True, doubt=False)
    >>> closed_marker("Status på den lukkede afdeling")
    ClosedMark(title='Status på den lukkede afdeling', closed=True, doubt=True)
    >>> closed_marker("Budgetopfølgning")
    ClosedMark(title='Budgetopfølgning', closed=False, doubt=False)
    """
    text = title.strip()
    if _CLOSED_LINE.match(text):  # the whole title is the marker ('Lukket punkt')
        return ClosedMark(text, True)
    closed = False
    if _CLOSED_PREFIX.match(text):
        closed, text = True, _CLOSED_PREFIX.sub("", text).strip()
    if _CLOSED_SUFFIX.search(text):
        closed, text = True, _CLOSED_SUFFIX.sub("", text).strip()
    if not text:  # the whole title was the marker ('Lukket punkt')
        return ClosedMark(title.strip(), True)
    if closed:
        return ClosedMark(text, True)
    return ClosedMark(text, bool(_CLOSED_WORD.search(text)), doubt=bool(_CLOSED_WORD.search(text)))


def is_closed_line(text: str) -> bool:
    """A line that says only that its item is closed ('Lukket punkt', '(Lukket)')."""
    return bool(_CLOSED_LINE.match(text.strip()))


def mark_closed_items(doc: ParsedDocument) -> None:
    """Every item whose title carries a closed marker is closed, with the marker taken off the
    title; an item closed only in doubt gets a warning (whatever reader made the document)."""
    for item in doc.items:
        mark = closed_marker(item.title)
        if not mark.closed:
            continue
        if mark.doubt and not item.closed:
            doc.warn(
                f"Punkt {item.number or item.title}: titlen nævner '{_CLOSED_WORD.search(item.title)[0]}'"
                " uden at være markeret som et lukket punkt; punktet er indlæst som lukket. "
                "Kontrollér det, og gør det åbent, hvis det ikke er lukket."
            )
        item.closed = True
        item.title = mark.title


def clean_title(raw: str) -> tuple[str, bool, str | None, int | None]:
    title = raw.strip().strip("*_ ").strip()
    mark = closed_marker(title)
    closed = mark.closed and not mark.doubt  # a doubt is warned about by `mark_closed_items`
    if closed:
        title = mark.title
    minutes = None
    match = _TITLE_TIME.search(title)
    if match:
        minutes = int(match[1])
        title = title[: match.start()].strip()
    title, presenter = split_presenter(title)
    title = re.sub(r"\s{2,}", " ", title).strip(" :")
    return title, closed, presenter, minutes


def item_kind(title: str, recommendation: str | None) -> str | None:
    return title_kind(title) or recommendation_kind(recommendation)


def title_kind(title: str) -> str | None:
    text = title.casefold()
    if re.search(r"godkend|beslut|udpeg|vedtag|bevilling|valg af|ansøgning", text):
        return "decision"
    if re.search(r"drøft|temadrøft|dialog", text):
        return "discussion"
    if re.search(r"orienter|meddelelse|status|nyt fra|eventuelt|siden sidst", text):
        return "information"
    return None


# The kinds a recommendation can show, weakest first. Its words hold no space, so the kind of two
# texts joined by a blank line is the stronger of their kinds.
RECOMMENDATION_KINDS = (None, "information", "discussion", "decision")


def recommendation_kind(recommendation: str | None) -> str | None:
    rec = (recommendation or "").casefold()
    if re.search(r"godkend|beslut|vedtag|tiltræd|bevilg", rec):
        return "decision"
    if re.search(r"drøft", rec):
        return "discussion"
    if re.search(r"efterretning|orientering", rec):
        return "information"
    return None


def kind_after_adding(item: ParsedItem, previous: str | None) -> str | None:
    """``item_kind`` of an item whose recommendation was ``previous`` before a reader added to it.

    An export with thousands of fields for one item made the readers take the whole
    recommendation from the start after each field: quadratic, 35 s for a megabyte (found by
    bench/fuzz_parsers.py). When the last call left the kind of ``previous`` (the text itself
    marks that: the very string object it saw), only the added part is read."""
    title = title_kind(item.title)
    if title is not None:
        return title
    now = item.sections.recommendation
    known = item.__dict__.get("_recommendation_kind")
    if not previous or known is None or known[0] is not previous:
        kind = recommendation_kind(now)
    elif now is previous:
        kind = known[1]
    else:  # now == f"{previous}\n\n{added}"
        added = recommendation_kind(now[len(previous) + 2 :])
        kind = max(known[1], added, key=RECOMMENDATION_KINDS.index)
    item.__dict__["_recommendation_kind"] = (now, kind)
    return kind
