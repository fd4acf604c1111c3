"""Decisions without a heading: minutes of an older template write the decision under the item
('Godkendt.', 'Udvalget godkendte indstillingen.') with no 'Beslutning' above it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from . import labels as L
from .lines import Line
from .model import ParsedDocument, ParsedItem

_DECISION_SENTENCE = re.compile(
    r"^(?:(?:indstillingen|indstillingerne|forslaget|forslagene|sagen|punktet|orienteringen|"
    r"udvalget|byrådet|direktionen|bestyrelsen|rådet|kommunalbestyrelsen|regionsrådet|mødet|"
    r"dagsordenen|referatet|"
    r"[A-ZÆØÅ][\wæøå\-]*(?:udvalget|rådet))\s+(?:blev\s+|er\s+|var\s+)?)?"
    r"(?:godkend(?:t|te|es|tes)|vedtog|vedtaget|vedtoges|tiltr(?:å|aa)dt|tiltrådte|"
    r"anbefal(?:et|es|ede)|drøft(?:et|ede|edes)|taget til efterretning|tog\s.{0,80}?til efterretning|"
    r"beslutt(?:ede|edes|et)|bevilg(?:et|ede|edes)|afvist|afviste|forkast(?:et|ede)|udsat|udsatte|"
    r"ikke godkendt|imødekommet)\b",
    re.IGNORECASE,
)
# 'Referat', 'Åbent referat', 'Beslutningsprotokol', 'Referat af møde i ...', 'Referat fra
# Økonomiudvalgets møde': the document's own title, not an item about minutes ('Godkendelse af
# referat', 'Referat fra sidste møde').
_CALLS_ITSELF_MINUTES = re.compile(
    r"^(?:åbent?\s+|endeligt?\s+|godkendt\s+)?(?:referat|beslutningsprotokol|mødereferat|protokol|"
    r"beslutningsreferat)(?:\s*:?$|\s+(?:af|fra|for)\s+(?:møde(?:t)?\b|(?-i:[A-ZÆØÅ])\S*\s.*møde\b)"
    r"|\s+(?-i:[A-ZÆØÅ])[\wæøå\-]*(?:udvalg(?:et)?|råd(?:et)?|bestyrelse(?:n)?|direktion(?:en)?)\b)",
    re.IGNORECASE,
)


def calls_itself_minutes(lines: Sequence[Line], limit: int = 12) -> bool:
    """Whether the document's first lines name it a referat or a protokol."""
    filled = [line.text for line in lines if line.text][:limit]
    return any(_CALLS_ITSELF_MINUTES.match(text) for text in filled)


def _trailing_decision(text: str) -> tuple[str, str] | None:
    """(the text before, the decision) when the text ends in a decision: 'Godkendt.',
    'Udvalget godkendte indstillingen.', 'Indstillingen blev tiltrådt, dog således ...'."""
    rows = text.rstrip().split("\n")
    for k in range(max(0, len(rows) - 3), len(rows)):
        if _DECISION_SENTENCE.match(rows[k].strip()):
            decision = "\n".join(rows[k:]).strip()
            if len(decision) > 600:
                return None
            return "\n".join(rows[:k]).strip(), decision
    return None


def unlabelled_decisions(
    doc: ParsedDocument, last_kinds: list[str | None], lines: Sequence[Line]
) -> None:
    """Minutes of an older template write the decision under the item without a heading. When
    no item has a decision heading, a decision sentence that ends most items (or any item of a
    document that calls itself a referat) is the item's decision."""
    items = doc.items
    if not items or any(item.sections.decision for item in items):
        return
    found: list[tuple[ParsedItem, str, str, str]] = []
    for item, kind in zip(items, last_kinds, strict=True):
        if kind not in {L.PRESENTATION, L.RECOMMENDATION, L.RESUME}:
            continue
        split = _trailing_decision(getattr(item.sections, kind) or "")
        if split is not None:
            found.append((item, kind, split[0], split[1]))
    if not found:
        return
    if len(found) < max(2, (len(items) + 1) // 2) and not calls_itself_minutes(lines):
        return
    for item, kind, before, decision in found:
        setattr(item.sections, kind, before or None)
        item.sections.decision = decision
    doc.warn(
        f"Beslutningerne står uden overskrift under punkterne; {len(found)} af {len(items)} "
        "punkter har fået deres sidste afsnit ('Godkendt.', 'Udvalget godkendte ...') som "
        "beslutning. Kontrollér dem."
    )


def lone_decisions(doc: ParsedDocument) -> None:
    """In minutes, an item whose only text is a decision sentence ('Orienteringen blev taget til
    efterretning.'), with no heading over it, holds that decision: a closed item is published
    with its decision alone."""
    if not any(item.sections.decision for item in doc.items):
        return
    moved = 0
    for item in doc.items:
        sections = item.sections
        text = sections.presentation
        if (
            sections.decision
            or not text
            or sections.resume
            or sections.recommendation
            or len(text) > 600
            or not _DECISION_SENTENCE.match(text.strip())
        ):
            continue
        sections.presentation, sections.decision = None, text
        moved += 1
    if moved:
        doc.warn(
            f"{moved} punkter har kun en beslutning uden overskrift ('... blev godkendt'); den "
            "er læst som punktets beslutning."
        )
