"""Snippets: a short, HTML-safe piece of a text around the best match, matches in <mark>.

Matching goes through the same analysis as searching, so a query for "direktørkreds" marks
"Sundhedsdirektørkredsen", and "KKR" marks "Kommunekontaktrådet". Whole words are marked;
words joined by a hyphen are marked as one ("<mark>IV-behandling</mark>").
"""

import html
import re
from bisect import bisect_left

from .analyzer import Analyzer
from .query import ParsedQuery

DEFAULT_WIDTH = 200
MIN_WIDTH = 20
MAX_WIDTH = 5000
ELLIPSIS = "…"
# Context shown before the first match of the snippet.
LEAD_CHARS = 40
_SPACE_RE = re.compile(r"\s+")


def _matches(
    terms: list[tuple[str, ...]], parsed: ParsedQuery
) -> tuple[set[int], list[tuple[int, int]]]:
    """(indices of words to mark, [(clause number, index of the first word of a match)]).

    The words' terms form one stream, in order (a stop word has none); an alternative of a
    clause matches where its terms follow each other in the stream. Only the words holding a
    term of the query are looked at, and the stream is followed from them."""
    wanted = {term for clause in parsed.required for alt in clause.alternatives for term in alt}
    candidates = [i for i, found in enumerate(terms) if found and not wanted.isdisjoint(found)]
    marked: set[int] = set()
    hits: list[tuple[int, int]] = []
    for number, clause in enumerate(parsed.required):
        for alternative in clause.alternatives:
            if not alternative:
                continue
            first = alternative[0]
            for index in candidates:
                found = terms[index]
                if first not in found:
                    continue
                for offset, term in enumerate(found):
                    if term == first:
                        covered = _follow(terms, index, offset, alternative)
                        if covered:
                            marked.update(covered)
                            hits.append((number, covered[0]))
    return marked, hits


def _follow(
    terms: list[tuple[str, ...]], index: int, offset: int, alternative: tuple[str, ...]
) -> list[int] | None:
    """The words covered by `alternative` when its terms follow each other in the stream from
    term `offset` of word `index` on, or None."""
    covered = []
    for term in alternative:
        while offset >= len(terms[index]):
            index += 1
            offset = 0
            if index == len(terms):
                return None
        if terms[index][offset] != term:
            return None
        if not covered or covered[-1] != index:
            covered.append(index)
        offset += 1
    return covered


def _window(
    spans: list[tuple[int, int]], hits: list[tuple[int, int]], width: int
) -> tuple[int, int]:
    """Character range of `width` starting just before the hit after which most different
    clauses match (ties: the earliest)."""
    lead = min(width // 6, LEAD_CHARS)
    best: tuple[float, int] | None = None
    ordered = sorted((spans[index][0], number) for number, index in hits)
    starts = [start for start, _ in ordered]
    for first_start, _ in ordered:
        start = max(first_start - lead, 0)
        end = start + width
        inside = ordered[bisect_left(starts, start) : bisect_left(starts, end)]
        score = len({number for _, number in inside}) + 0.01 * len(inside)
        if best is None or score > best[0]:
            best = (score, start)
    assert best is not None
    return best[1], best[1] + width


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> list[int]:
    """Indices of the words wholly inside [start, end)."""
    first = bisect_left(spans, (start, -1))
    last = first
    while last < len(spans) and spans[last][1] <= end:
        last += 1
    return list(range(first, last))


def _snap(
    text: str, spans: list[tuple[int, int]], marked: set[int], start: int, end: int
) -> tuple[int, int]:
    """Move the window's ends to white space (never past a marked word), so no word or
    "<b>"-like run of text is cut in two; failing that, to a word's edge."""
    inside = _inside(spans, start, end)
    if not inside:
        return start, end
    marked_inside = [i for i in inside if i in marked] or inside
    if start > 0:
        space = _SPACE_RE.search(text, start, spans[marked_inside[0]][0])
        start = space.end() if space else spans[inside[0]][0]
    if end < len(text):
        last_end = spans[marked_inside[-1]][1]
        spaces = list(_SPACE_RE.finditer(text, last_end, end))
        end = spaces[-1].start() if spaces else spans[inside[-1]][1]
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
    spans, terms = analyzer.token_terms(text)
    marked, hits = _matches(terms, parsed)
    if hits:
        start, end = _window(spans, hits, width)
    else:
        start, end = 0, width
    end = min(end, len(text))
    start, end = _snap(text, spans, marked, start, end)
    inside = _inside(spans, start, end)
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
            and text[spans[last][1] : spans[inside[cursor]][0]] in ("-", "")
        ):
            last = inside[cursor]
            cursor += 1
        pieces.append(_plain(text[position : spans[first][0]]))
        pieces.append(f"<mark>{html.escape(text[spans[first][0] : spans[last][1]])}</mark>")
        position = spans[last][1]
    pieces.append(_plain(text[position:end]))
    if end < len(text):
        pieces.append(ELLIPSIS)
    return "".join(pieces).strip()
