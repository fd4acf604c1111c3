"""The vocabulary of unknown exports: element names read for the Danish (and English) words in
them, and every element turned into fields (a name and a text) in document order.

A case system names its elements as it likes ('MoedeDato', 'AgendaElement', <table
name="meeting">), but the words in the names say what they hold: ``norm`` makes one word of a
name (an ASCII spelling such as 'moede' read back as 'møde'), the patterns below tell numbers,
titles, case numbers, flags, text and meeting facts apart, and ``fields_of`` reads an element's
fields, with the label beside a text (<Feltnavn>Beslutning</Feltnavn><Indhold>...) as its name
and HTML in a field read as HTML.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from lxml import etree

from ..labels import DECISION, RECOMMENDATION, RESUME
from ..labels import section_name as _section_name
from ._xml import is_html_element, node_text, one_line

MAX_FIELDS = 5_000  # fields read from one element; an item never has this many


@dataclass
class Field:
    """One piece of text in the export: its name (element or attribute, or the label beside it),
    the names of the elements above it (inside the record it was read from), and its text."""

    name: str
    path: tuple[str, ...]
    text: str
    node: etree._Element | None = None
    direct: bool = False  # written on an element that holds the items (the meeting's own)

    @property
    def key(self) -> str:
        return norm(self.name)


def norm(name: str) -> str:
    """An element name as one lower-case word: 'MoedeDato', 'moede_dato', 'Møde-dato' → 'mødedato'.

    The export writers spell ø, å and æ as 'oe', 'aa' and 'ae' when their names must be ASCII;
    that is read back, but only where the Danish word needs it ('AgendaElement' stays as it is)."""
    text = re.sub(r"[\s_\-.:]+", "", name).casefold()
    if "oe" in text or "aa" in text or "ae" in text:
        text = ASCII_DANISH.sub(lambda m: DANISH_OF[m[0]], text)
    return text


# Danish word stems that export writers spell in ASCII, and how they are written.
DANISH_OF = {
    "moede": "møde", "aaben": "åben", "sted": "sted", "oplaeg": "oplæg", "fravaer": "fravær",
    "aendr": "ændr", "raad": "råd", "loebe": "løbe", "raekkefoelge": "rækkefølge",
    "fremlaeg": "fremlæg", "vedhaeft": "vedhæft", "goer": "gør", "doer": "dør",
    "afgoer": "afgør", "groen": "grøn", "oekonomi": "økonomi", "udloeb": "udløb",
    "foedsel": "fødsel", "laan": "lån", "stoerrelse": "størrelse", "fremmoed": "fremmød",
    "gaest": "gæst", "braedt": "brædt", "tilgaeng": "tilgæng", "aarsag": "årsag",
    "aar": "år", "paa": "på", "faelles": "fælles", "naevn": "nævn", "kollegie": "kollegie",
    "redegoer": "redegør", "brødtekst": "brødtekst", "broedtekst": "brødtekst",
}  # fmt: skip
ASCII_DANISH = re.compile("|".join(sorted(DANISH_OF, key=len, reverse=True)))


def spaced_words(name: str) -> str:
    """'CaseNumber' → 'case number', 'sags_fremstilling' → 'sags fremstilling' (for section names)."""
    spaced = re.sub(r"(?<=[a-zæøå])(?=[A-ZÆØÅ])", " ", name)
    return re.sub(r"[\s_\-.:]+", " ", spaced).strip()


# The names fields go by, as patterns over ``norm(name)``.
NUMBER = re.compile(
    r"^(?:punkt|item|agendaitem|dagsordenspunkt|bullet|serial|element|sag|løbe)?"
    r"(?:nummer|number|nr|no|num|serialno|sortering|sortorder|sort|rækkefølge|order|index|"
    r"position|løbenummer|løbenr)$"
)
TITLE = re.compile(
    r"(?:titel|title|overskrift|caption|heading|emne|subject|betegnelse|punkttekst|rubrik|"
    r"numberandtitle)$"
)
NAME = re.compile(r"^(?:navn|name|fuldtnavn|fullname|displayname|visningsnavn)$")
JOURNAL = re.compile(
    r"journal|sagsnr|sagsnummer|sagsid|casenumber|caseno|casenr|caseid|^kle|jnr|emnenr|"
    r"esdhnr|sagnr|^case$|^sag$"
)
OFFICER = re.compile(r"sagsbehandler|caseofficer|caseworker|handler|ansvarligmedarbejder")
PRESENTER = re.compile(r"fremlægger|oplægsholder|presenter|fremlæggesaf")
TIMEFRAME = re.compile(r"tidsramme|varighed|duration|tidsforbrug|minutter|minutes")
ACCESS = re.compile(
    r"lukket|åben|åbent|offentlig|public|access|adgang|fortrolig|confidential|closed|"
    r"aktindsigt|publicer"
)
ATTACHMENT = re.compile(
    r"bilag|attachment|enclosure|vedhæft|appendix|appendiks|annex|documents$|dokumenter$|"
    r"^files$|^filer$"
)
SKIP = re.compile(
    r"(?:^|[^a-zæøå])id$|^id|guid|uuid|url|link|href|path|sti$|filnavn|filename|size|størrelse|"
    r"created|changed|modified|oprettet|ændret|version|email|mail|sysid|mimetype|checksum|hash|"
    r"extension|binary|image|billede|logo|color|farve|font|style"
)
DECISION_NAME = re.compile(r"beslut|referat|protokol|afgørelse|decision|resolution|vedtag|konklu")
RECOMMENDATION_NAME = re.compile(r"indstil|recommend|forslagtil|proposal|anbefal")
RESUME_NAME = re.compile(r"resum|sammendrag|summary|abstract|kortfortalt")
TEXT_NAME = re.compile(
    r"sagsfremstil|fremstilling|beskrivelse|baggrund|description|presentation|redegør|"
    r"tekst|text|content|indhold|body|brødtekst|notat|note|html"
)

ITEM_TAG = re.compile(
    r"punkt|item|dagsordenspunkt|agendaelement|agendaitem|bullet|point|topic|emne|sag$|case$|"
    r"element$|behandling|handling"
)
PERSON_TAG = re.compile(
    r"deltager|medlem|member|participant|attendee|person|fremmødt|tilstede|politiker|"
    r"repræsentant|gæst|guest|afbud|fravær|absent"
)
FIELD_TAG = re.compile(r"felt|field|afsnit|section|tekst|text|casepresentation|fremstilling")

# Meeting facts.
MEETING_TAG = re.compile(r"møde|meeting|session|samling")
DATE_NAME = re.compile(
    r"dato|date|tidspunkt|start|begin|when|mødetid|afholdt|datetime|^tid$|klokken|time$"
)
END_NAME = re.compile(r"slut|end|until|ophør|finish")
NOT_MEETING_DATE = re.compile(
    r"created|oprettet|changed|ændret|modified|publi|udgiv|produce|deadline|frist|indkom|"
    r"reminder|print|export|eksport|genereret|generated|frigiv|release|godkend|approved|"
    r"svarfrist|birth|fødsel|udløb|expir|kopi|copy|loan|lån|checkout|sidst|last|dannet|lavet|"
    r"skrevet|written|journalis|registrer"
)
PLACE_NAME = re.compile(r"sted|lokale|location|place|where|adresse|address|lokation|venue|room")
BODY_NAME = re.compile(
    r"udvalg|committee|forum|organ$|board|bestyrelse|råd$|council|gruppe|^group|^body$|kollegium"
)
ORGANISATION = re.compile(
    r"^(?:[A-ZÆØÅ][\wæøå\-]+(?:\s[A-ZÆØÅ][\wæøå\-]+)?\s+Kommune|Region\s+[A-ZÆØÅ][\wæøå]+)$"
)
ABSENT_VALUE = re.compile(
    r"^(?:afbud|fraværende|fravær|absent|ikke\s+til\s+stede|declined|notparticipating|"
    r"cancel+ed|meldt\s+afbud|forhindret)\b",
    re.IGNORECASE,
)
STATUS_NAME = re.compile(r"status|deltagelse|participation|fremmøde|attendance|rolle|role")
TRUE = {"true", "1", "ja", "yes", "j", "y", "sand"}
FALSE = {"false", "0", "nej", "no", "n", "falsk"}
ISO_TZ = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$")
COPENHAGEN = "Europe/Copenhagen"


# ---------------------------------------------------------------- fields of an element

# Element names that say nothing: the name is in an attribute (<table name="meeting">).
GENERIC_TAGS = frozenset({
    "table", "node", "record", "row", "object", "entry", "element", "el", "obj", "data", "group",
    "struct", "item", "field", "felt", "property", "prop", "attribute", "attr", "value",
})  # fmt: skip


def name_of(node: etree._Element) -> str:
    """What an element is called: its tag, or the name a generic element carries."""
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag.casefold() in GENERIC_TAGS:
        for key in ("name", "navn", "type", "kind", "class"):
            value = node.get(key)
            if value and len(value) < 60 and not value.strip().isdigit():
                return value.strip()
    return tag


def shown(node: etree._Element) -> str:
    """The element as the warning names it: '<Punkt>', '<table name="agendaitem">'."""
    name = name_of(node)
    if name == node.tag:
        return f"<{name}>"
    attribute = next(k for k in ("name", "navn", "type", "kind", "class") if node.get(k) == name)
    return f'<{node.tag} {attribute}="{name}">'


def label_of(node: etree._Element) -> str | None:
    """A field element named by an attribute: <felt navn="Beslutning">, <field name="...">."""
    for key in ("navn", "name", "caption", "titel", "title", "label", "key", "type", "felt"):
        value = node.get(key)
        if value and len(value) < 80 and not value.isdigit():
            return value
    return None


def is_leaf(node: etree._Element) -> bool:
    return all(is_html_element(c) for c in node if isinstance(c.tag, str))


LABEL_TAG = re.compile(r"(?:feltnavn|fieldname|label|caption|navn|name|titel|title|overskrift|"
                        r"heading|felttype|fieldtype|rubrik|key)$|^type$")  # fmt: skip


def _is_labelled_pair(node: etree._Element) -> tuple[str, etree._Element] | None:
    """<Tekstfelt><Feltnavn>Beslutning</Feltnavn><Indhold>...</Indhold></Tekstfelt>: the label
    child names the content child. Anything else beside them is bookkeeping (an id, a sort
    order), never an item's own facts (a number, a case number)."""
    children = [c for c in node if isinstance(c.tag, str)]
    if not 2 <= len(children) <= 6:
        return None
    label = content = None
    for child in children:
        key = norm(name_of(child))
        if not is_leaf(child):
            return None
        if label is None and LABEL_TAG.search(key):
            text = one_line(child.text or "")
            if text and len(text) < 80 and len(child) == 0:
                label = text
                continue
        if content is None and TEXT_NAME.search(key):
            content = child
            continue
        if NUMBER.match(key) and not re.search(r"sort|order|index|position|rækkefølge", key):
            return None
        if JOURNAL.search(key) or TITLE.search(key) or NAME.match(key):
            return None
    if label is None or content is None:
        return None
    return label, content


def fields_of(node: etree._Element, path: tuple[str, ...] = (), budget: list[int] | None = None):
    """Every field below ``node`` in document order (attributes first), as ``Field``s."""
    budget = budget if budget is not None else [MAX_FIELDS]
    out: list[Field] = []
    own = name_of(node)
    for key, value in node.attrib.items():
        if value.strip() and not (value.strip() == own and own != node.tag):
            out.append(Field(key, path, value.strip(), None))
    for child in node:
        if not isinstance(child.tag, str) or budget[0] <= 0:
            continue
        budget[0] -= 1
        tag = name_of(child)
        elements = [c for c in child if isinstance(c.tag, str)]
        if elements and not all(is_html_element(c) for c in elements):
            pair = _is_labelled_pair(child)
            if pair is not None:
                out.append(Field(pair[0], (*path, tag), node_text(pair[1]), pair[1]))
                continue
            out.extend(fields_of(child, (*path, tag), budget))
            continue
        text = node_text(child)
        label = label_of(child)
        for key, value in child.attrib.items():
            if value.strip() and value.strip() != label:
                out.append(Field(key, (*path, tag), value.strip(), None))
        if text:
            out.append(Field(label or tag, path, text, child))
    return out


def section_kind_of(field: Field) -> str | None:
    key = field.key
    words = spaced_words(field.name)
    kind = _section_name(words)
    if kind is not None:
        return kind
    if DECISION_NAME.search(key):
        return DECISION
    if RECOMMENDATION_NAME.search(key):
        return RECOMMENDATION
    if RESUME_NAME.search(key):
        return RESUME
    return None


def truth_of(value: str) -> bool | None:
    text = value.strip().casefold()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    return None


# ---------------------------------------------------------------- repeated elements


@dataclass
class Group:
    parent: etree._Element
    tag: str
    members: list[etree._Element]
    score: float = 0.0


def repeated_groups(root: etree._Element) -> list[Group]:
    out: list[Group] = []
    for parent in root.iter():
        if not isinstance(parent.tag, str) or len(parent) == 0 or is_html_element(parent):
            continue
        by_tag: dict[str, list[etree._Element]] = defaultdict(list)
        for child in parent:
            if isinstance(child.tag, str) and (len(child) or len(child.attrib) >= 2):
                by_tag[name_of(child)].append(child)
        for tag, members in by_tag.items():
            if is_html_element(members[0]):
                continue
            out.append(Group(parent, tag, members))
    return out
