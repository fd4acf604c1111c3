"""Snippets: a short, HTML-safe piece of a text around the best match, matches in <mark>.

Matching goes through the same analysis as searching, so a query for "direktørkreds" marks
"Sundhedsdirektørkredsen", and "KKR" marks "Kommunekontaktrådet". Whole words are marked;
words joined by a hyphen are marked as one ("<mark>IV-behandling</mark>").
"""

import html
import re
from collections import defaultdict

from .analyzer import Analyzer
from .query import ParsedQuery
from .words import Word

DEFAULT_WIDTH = 200
MIN_WIDTH = 20
MAX_WIDTH = 5000
ELLIPSIS = "…"
# Context shown before the first match of the snippet.
LEAD_CHARS = 40
_SPACE_RE = re.compile(r"\s+")


def _matches(words: list[Word], parsed: ParsedQuery) -> tuple[set[int], list[tuple[int, int]]]:
    """(indices of words to mark, [(clause number, index of the first word of a match)])."""
    stream: list[tuple[str, int]] = [
        (term, index) for index, word in enumerate(words) for term in word.terms
    ]
    positions: dict[str, list[int]] = defaultdict(list)
    for position, (term, _) in enumerate(stream):
        positions[term].append(position)
    marked: set[int] = set()
    hits: list[tuple[int, int]] = []
    for number, clause in enumerate(parsed.required):
        for alternative in clause.alternatives:
            if not alternative:
                continue
            for position in positions.get(alternative[0], ()):
                end = position + len(alternative)
                if tuple(term for term, _ in stream[position:end]) == alternative:
                    covered = {index for _, index in stream[position:end]}
                    marked |= covered
                    hits.append((number, min(covered)))
    return marked, hits


def _window(words: list[Word], hits: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """Character range of `width` starting just before the hit after which most different
    clauses match (ties: the earliest)."""
    lead = min(width // 6, LEAD_CHARS)
    best: tuple[float, int] | None = None
    for _, first in sorted(hits, key=lambda hit: words[hit[1]].start):
        start = max(words[first].start - lead, 0)
        end = start + width
        inside = [(number, index) for number, index in hits if start <= words[index].start < end]
        score = len({number for number, _ in inside}) + 0.01 * len(inside)
        if best is None or score > best[0]:
            best = (score, start)
    assert best is not None
    return best[1], best[1] + width


def _snap(text: str, words: list[Word], marked: set[int], start: int, end: int) -> tuple[int, int]:
    """Move the window's ends to white space (never past a marked word), so no word or
    "<b>"-like run of text is cut in two; failing that, to a word's edge."""
    inside = [i for i, word in enumerate(words) if word.start >= start and word.end <= end]
    if not inside:
        return start, end
    marked_inside = [i for i in inside if i in marked] or inside
    if start > 0:
        space = _SPACE_RE.search(text, start, words[marked_inside[0]].start)
        start = space.end() if space else words[inside[0]].start
    if end < len(text):
        last_end = words[marked_inside[-1]].end
        spaces = list(_SPACE_RE.finditer(text, last_end, end))
        end = spaces[-1].start() if spaces else words[inside[-1]].end
    return start, end


def _plain(text: str) -> str:
    return html.escape(_SPACE_RE.sub(" ", text))


def snippet(
    text: str,
    parsed: ParsedQuery,
    width: int = DEFAULT_WIDTH,
    *,
    analyzer: Analyzer,
) -> str:
    """HTML: about `width` characters of `text` around the best match, matched words marked."""
    width = min(max(width, MIN_WIDTH), MAX_WIDTH)
    words = analyzer.analyze_words(text)
    marked, hits = _matches(words, parsed)
    if hits:
        start, end = _window(words, hits, width)
    else:
        start, end = 0, width
    end = min(end, len(text))
    start, end = _snap(text, words, marked, start, end)
    inside = [i for i, word in enumerate(words) if word.start >= start and word.end <= end]
    pieces = [ELLIPSIS] if start > 0 else []
    position = start
    cursor = 0
    while cursor < len(inside):
        first = last = inside[cursor]
        cursor += 1
        if first not in marked:
            continue
        # One mark over marked words joined by a hyphen ("IV-behandling").
        while (
            cursor < len(inside)
            and inside[cursor] in marked
            and text[words[last].end : words[inside[cursor]].start] in ("-", "")
        ):
            last = inside[cursor]
            cursor += 1
        pieces.append(_plain(text[position : words[first].start]))
        pieces.append(f"<mark>{html.escape(text[words[first].start : words[last].end])}</mark>")
        position = words[last].end
    pieces.append(_plain(text[position:end]))
    if end < len(text):
        pieces.append(ELLIPSIS)
    return "".join(pieces).strip()
