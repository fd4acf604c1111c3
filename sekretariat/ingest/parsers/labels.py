"""The names the parts of an agenda item go by, and what each line of an item is.

``classify`` looks at one cleaned line and says whether it opens a section (and which), carries a
fact (journal number, time frame, presenter), lists an attachment, or is plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .danish import find_date_span
from .journal import find_journal

RESUME = "resume"
RECOMMENDATION = "recommendation"
PRESENTATION = "presentation"
DECISION = "decision"
ATTACHMENTS = "attachments"
ASIDE = "aside"  # a sub-part that belongs to the case presentation (Økonomi, Lovgrundlag ...)
STOP = "stop"  # signature pages and the like: nothing after belongs to the item

_SECTION_NAMES: dict[str, tuple[str, ...]] = {
    RESUME: ("resumé", "resume", "sammendrag", "kort resumé", "kort sammendrag"),
    RECOMMENDATION: (
        "indstilling", "indstillinger", "beslutningspunkter", "forvaltningen foreslår",
        "administrationens indstilling", "administrationen indstiller", "forslag til beslutning",
        "direktionens indstilling", "forvaltningens indstilling", "indstilling og beslutning",
        "det indstilles", "det indstilles at", "det indstilles, at",
    ),
    PRESENTATION: (
        "sagsfremstilling", "sagsbeskrivelse", "baggrund", "beskrivelse", "fremstilling",
        "sagsforløb", "supplerende sagsfremstilling", "sagen", "redegørelse", "begrundelse",
        "beslutningstema", "sagens indhold", "uddybning", "problemstilling",
    ),
    DECISION: (
        "beslutning", "beslutninger", "referat", "protokol", "afgørelse", "udvalgets beslutning",
        "beslutning og referat", "referat og beslutning", "protokollat", "konklusion",
    ),
    ATTACHMENTS: ("bilag", "bilagsliste", "vedlagte bilag", "bilag til punktet", "bilagsfortegnelse"),
    ASIDE: (
        "økonomi", "økonomiske konsekvenser", "økonomiske konsekvenser og finansiering",
        "økonomi og organisatoriske konsekvenser", "lovgrundlag", "retsgrundlag", "høring",
        "proces", "tidsplan", "kommunikation", "beslutningen træffes af", "sagen afgøres i",
        "sagsprocedure", "tidligere beslutninger", "tidligere behandling", "videre proces",
        "konsekvenser", "handicappolitik", "borgmesterens afdelings påtegning", "påtegning",
        "vurdering", "risici", "perspektivering", "bemærkninger", "underskriftsside",
    ),
    STOP: (),
}  # fmt: skip
_BY_NAME = {name: kind for kind, names in _SECTION_NAMES.items() for name in names}

_TIMEFRAME = re.compile(
    r"^(?:tidsramme|varighed|tidsforbrug|afsat tid|forventet tid)\s*:?\s*(?:ca\.?\s*)?"
    r"(\d{1,3})(?:[.,](\d))?\s*(min(?:utter|\.)?|timer?|t\.)\s*\.?$",
    re.IGNORECASE,
)
_PRESENTER = re.compile(
    r"^(?:oplægsholder|ansvarlig|præsentation ved|fremlægges af|v\.|ved)\s*:?\s*(.+)$",
    re.IGNORECASE,
)
_ATTACHMENT_LINE = re.compile(
    r"^(?:bilag\s*(?:nr\.?\s*)?\d+[a-z]?\s*(?:\([^)]*\))?\s*[:.\-–]\s*|\./\.\s*)(.+)$",
    re.IGNORECASE,
)
_DECISION_BY = re.compile(
    r"^(?:(?P<body1>[A-ZÆØÅ][^:]{2,90}?)s\s+beslutning(?:\s+den\s+(?P<rest1>.*))?"
    r"|[Bb]eslutning\s+i\s+(?P<body2>.{3,90}?)(?:\s+den\s+(?P<rest2>.*))?"
    r"|(?P<body3>[A-ZÆØÅ][\w .,&/()\-]{2,80}?),?\s+den\s+(?P<rest3>\d{1,2}\.?\s*\S+\s+\d{4}|\d{1,2}[.\-/]\d{1,2}[.\-/]\d{2,4}))\s*:?$"
)
_LEADING_LABEL = re.compile(r"^([A-ZÆØÅa-zæøå][\wæøåÆØÅ /\-]{2,45}?)\s*:\s*(\S.*)$")
_INLINE_RECOMMENDATION = re.compile(
    r"^(?:det\s+indstilles|[A-ZÆØÅ][\w\s,&./\-]{2,90}?\s+indstiller(?:\s+over\s*for\s+[^,]+)?,?\s+at\b)",
    re.IGNORECASE,
)
_DOC_NUMBER = re.compile(r"^(?:dok\.?\s*nr|dokumentnr|dok\.? id)\.?\s*:?.*$", re.IGNORECASE)


@dataclass
class Label:
    kind: str  # one of the section constants, or "journal", "timeframe", "presenter", "attachment", "docnumber"
    rest: str = ""  # text after the label on the same line
    value: object = (
        None  # parsed value (journal tuple, minutes, attachment title, body/date of a decision)
    )


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().rstrip(":.").strip()).casefold()


def section_name(text: str) -> str | None:
    """The section a heading such as 'Sagsfremstilling' or 'ADMINISTRATIONENS INDSTILLING' opens."""
    return _BY_NAME.get(_key(text))


def decision_heading(text: str) -> tuple[str | None, str | None] | None:
    """'<Udvalg>s beslutning den <dato>', 'Beslutning i <Udvalg> den <dato>', '<Forum>, den <dato>'.

    Returns (forum, ISO date) with either possibly None, or None when the line is no such heading."""
    text = text.strip()
    if len(text) > 160:
        return None
    match = _DECISION_BY.match(text)
    if not match:
        return None
    body = match["body1"] or match["body2"] or match["body3"]
    rest = match["rest1"] or match["rest2"] or match["rest3"] or ""
    if match["body3"] and not find_date_span(rest):
        return None
    found = find_date_span(rest) if rest else None
    if match["body3"]:
        words = body.split()
        if len(words) > 6 or body[0].islower():
            return None
    return (body.strip() if body else None), (found[0] if found else None)


def classify(text: str, level: int = 0) -> Label | None:
    """What the line is, if it is more than text."""
    if not text:
        return None
    key = _key(text)
    kind = _BY_NAME.get(key)
    if kind:
        return Label(kind)
    journal = find_journal(text)
    if journal is not None:
        return Label("journal", value=journal)
    if _DOC_NUMBER.match(text):
        return Label("docnumber")
    match = _TIMEFRAME.match(text)
    if match:
        amount = int(match[1]) + (int(match[2]) / 10 if match[2] else 0)
        minutes = amount * 60 if match[3].lower().startswith("t") else amount
        return Label("timeframe", value=int(minutes))
    decision = decision_heading(text)
    if decision is not None:
        return Label(DECISION, value=decision)
    match = _ATTACHMENT_LINE.match(text)
    if match and len(text) < 300:
        return Label("attachment", value=match[1])
    match = _LEADING_LABEL.match(text)
    if match:
        inner = _BY_NAME.get(_key(match[1]))
        if inner and inner != STOP:
            return Label(inner, rest=match[2])
        if _key(match[1]) in {"oplægsholder", "ansvarlig", "præsentation ved", "fremlægges af"}:
            return Label("presenter", value=match[2].strip())
    return None


def is_inline_recommendation(text: str) -> bool:
    return bool(_INLINE_RECOMMENDATION.match(text))


def clean_attachment(text: str) -> str | None:
    """An attachment title without 'Bilag 1:', document numbers, access marks or '(eftersendes)'."""
    text = text.strip().strip("*_ ")
    match = _ATTACHMENT_LINE.match(text)
    if match:
        text = match[1]
    text = re.sub(r"^\d{4}-\d{4,8}\s*[-–]\s*", "", text)  # eDoc: '2012-200782 - Title'
    text = re.sub(r"^\d+\s+(?:Åben|Lukket)\s+", "", text)  # Acadre: '1 Åben Title'
    # a table's last column: the document's number ('Title<TAB>222359/12')
    text = re.sub(r"\t\s*[\w/.\-]*\d[\w/.\-]*\s*$", "", text)
    text = re.sub(r"\s+\d{5,8}/\d{2}$", "", text)  # the same number after a space ('... 222359/12')
    text = text.replace("\t", " ")
    text = re.sub(r"\s*\((?:eftersendes|udsendes senere|vedlagt)\)\s*", " ", text, flags=re.I)
    text = text.strip(" .;:*_")
    if not text or re.fullmatch(r"[\d/\s.\-]+", text):
        return None
    return text
