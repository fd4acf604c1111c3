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


class Phrase(tuple):
    """An `Alternative` of several words that knows how many terms each word has (`sizes`).

    A word's terms after its first (a compound's parts and pair terms) always follow the first
    in the index, so a phrase is found by each word's first term at its distance from the one
    before (`render.to_tsquery`: 'fael' <-> 'medicinkort' for "fælles medicinkort" instead
    of a chain of five terms, which GIN reads five posting lists for). Anything that builds a
    plain tuple from it (a slice, a filter) loses the sizes: each term is then a word of its
    own, which asks for the whole run, as before."""

    sizes: tuple[int, ...]

    def __new__(cls, terms, sizes) -> "Phrase":
        phrase = super().__new__(cls, terms)
        phrase.sizes = tuple(sizes)
        if sum(phrase.sizes) != len(phrase) or not all(phrase.sizes):
            raise ValueError("the sizes must count every term, none empty")
        return phrase

    def __getnewargs__(self):
        return tuple(self), self.sizes


def word_sizes(alternative: Alternative) -> tuple[int, ...]:
    """How many terms each word of `alternative` has: a `Phrase` knows; otherwise one each."""
    return getattr(alternative, "sizes", None) or (1,) * len(alternative)


def phrase_of(words: Sequence[Word]) -> Alternative:
    """The run of terms `words` leave in the index, as a `Phrase`."""
    content = [word for word in words if word.terms]
    terms = tuple(term for word in content for term in word.terms)
    return Phrase(terms, [len(word.terms) for word in content]) if terms else ()


# Ends a query term that stands for every index term beginning with it ("sygeplej*"): only a
# relaxed search's near form makes one (`Analyzer.query_near`); nothing a user types does.
PREFIX_MARK = "*"


def is_prefix_term(term: str) -> bool:
    return term.endswith(PREFIX_MARK) and term[:-1].isalnum()


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
    return [phrase_of(content)]
