"""The analysed word, shared by the analyzer, the abbreviation index, queries and snippets."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from .normalise import MAX_TERM_LENGTH


@dataclass(frozen=True, slots=True)
class WordTerms:
    """What one word contributes to the index."""

    terms: tuple[str, ...]
    main: str | None = None
    parts: tuple[str, ...] = ()
    stopword: bool = False
    # A capital abbreviation that is a stop word in lower case ("MED"): dropped inside a
    # heading written in capitals, kept elsewhere.
    needs_context: bool = False


class Word(NamedTuple):
    """One word of a text: where it is, how it was written, its folded spelling, its terms.

    A tuple, not a frozen dataclass: snippets build one for every word of each hit's text."""

    start: int
    end: int
    raw: str
    key: str
    terms: tuple[str, ...]
    main: str | None
    parts: tuple[str, ...]
    stopword: bool


Alternative = tuple[str, ...]

# Joins two adjacent compound parts into one index term: a digit, so the term stays one token
# for FTS5's unicode61 and PostgreSQL's parser, and no Danish word is spelled like one.
PAIR_MARK = "0"


def pair_terms(parts: Sequence[str]) -> tuple[str, ...]:
    """One term per pair of adjacent compound parts: ("sund", "aftal") gives ("sund0aftal",).

    The index holds them after the parts, so a compound query is a plain term (or, for three
    parts and more, a phrase of pair terms, still adjacent) instead of a phrase of its parts:
    a phrase is what PostgreSQL's GIN index cannot check, and what makes FTS5 read positions.
    """
    return tuple(
        (first + PAIR_MARK + second)[:MAX_TERM_LENGTH]
        for first, second in zip(parts, parts[1:], strict=False)
    )


def query_alternatives(words: Sequence[Word]) -> list[Alternative]:
    """The term sequences, any of which finds what `words` say.

    One word: its whole stem, or, for a compound, the pair terms of its parts, so "direktørkreds"
    finds "sundhedsdirektørkredsen" (whose terms hold "direktoer0kred"). Several words: the run
    of terms their analysis leaves in the index, as one phrase.
    """
    content = [word for word in words if word.terms]
    if not content:
        return []
    if len(content) == 1:
        word = content[0]
        alternatives: list[Alternative] = [(word.main or word.terms[0],)]
        if len(word.parts) > 1:
            alternatives.append(pair_terms(word.parts))
        return alternatives
    return [tuple(term for word in content for term in word.terms)]
