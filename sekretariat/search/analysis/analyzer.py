"""The analyzer: from text to index terms, one word at a time.

For every word of a text (`normalise.iter_tokens`):

1. normalise it (NFKC, case folding, accents; æ/ø/å kept as letters for now);
2. drop it if it is a stop word, unless it is an abbreviation in capitals ("MED");
3. settle its spelling: a known word stays as it is; otherwise the spelling with aa/ae/oe
   written å/æ/ø ("Koebenhavn"), then an OCR repair ("forlgb"); an unknown word ends with its
   digraphs as letters, so "Kaas" and "Kås" meet;
4. stem it, and split it into parts if it is a compound, stemming each part;
5. write æ, ø, å as ae, oe, aa.

The word's terms are the whole word's stem, its parts' stems and a term for each pair of
adjacent parts: "Sundhedsdirektørkredsen" gives sundhedsdirektoerkred, sund, direktoer, kred,
sund0direktoer, direktoer0kred (see `words.pair_terms`). Every step depends on the word
alone (and, for capitals, on its neighbours), so a phrase analysed the same way gives exactly
the run of terms its words left in the index: phrase queries work on both backends although
the extra terms take positions of their own.

A word's result is cached under its raw spelling, which is what makes indexing fast.
"""

import re
from collections.abc import Iterable, MutableMapping
from contextlib import suppress
from functools import cache, cached_property, lru_cache

from .abbreviations import (
    DEFAULT_ABBREVIATIONS,
    Abbreviation,
    AbbreviationIndex,
    merge_abbreviations,
)
from .compounds import CompoundSplitter, Part
from .lexicon import Lexicon
from .normalise import (
    MAX_TERM_LENGTH,
    OCR_IV_RE,
    digraph_spellings,
    find_token_spans,
    find_tokens,
    fold_danish,
    has_digraph,
    is_all_caps,
    iter_tokens,
    normalise_word,
)
from .ocr import Candidate, repair
from .stemming import stem
from .stopwords import is_stopword
from .words import PREFIX_MARK, Word, WordTerms, pair_terms

TOKEN_CACHE_SIZE = 262_144
# `query_near`: the shortest beginning of a word searched as a prefix.
NEAR_PREFIX_LENGTH = 6
# A compound repaired inside one part: that part must be this long and this common.
MIN_REPAIRED_PART_LENGTH = 4
MIN_REPAIRED_PART_ZIPF = 3.5
# A capital stop-word abbreviation between capital words of this length is a heading in
# capitals ("GODKENDELSE MED BEMÆRKNINGER"), not the abbreviation.
SHOUTING_NEIGHBOUR_LENGTH = 4


_NOT_ALNUM_RE = re.compile(r"[\W_]+")
_STOPWORD = WordTerms((), stopword=True)
_NOTHING = WordTerms(())


@cache
def default_lexicon() -> Lexicon:
    """wordfreq's Danish list plus the domain words, built once per process (about 0.5 s)."""
    return Lexicon.from_wordfreq()


@lru_cache(maxsize=65_536)
def _word_key(raw: str) -> str:
    """A word's folded spelling (what snippets compare), cached: snippets look at every word
    of each hit's text."""
    return "iv" if OCR_IV_RE.match(raw) else fold_danish(normalise_word(raw))


class Analyzer:
    """Turns documents into index terms and words into query terms.

    One default instance serves the module-level functions of the package; build your own to
    add an installation's abbreviations or to keep compound decisions between runs:

        Analyzer(extra_abbreviations=load_abbreviations("abbreviations.json"),
                 split_cache=shelve.open("compound-splits"))
    """

    def __init__(
        self,
        *,
        lexicon: Lexicon | None = None,
        abbreviations: Iterable[Abbreviation] = DEFAULT_ABBREVIATIONS,
        extra_abbreviations: Iterable[Abbreviation] = (),
        split_cache: MutableMapping[str, tuple[Part, ...]] | None = None,
        token_cache_size: int = TOKEN_CACHE_SIZE,
    ):
        self.lexicon = lexicon if lexicon is not None else default_lexicon()
        self.splitter = CompoundSplitter(self.lexicon, cache=split_cache)
        self.abbreviations = merge_abbreviations(abbreviations, extra_abbreviations)
        short_words = [
            normalise_word(raw) for a in self.abbreviations for raw in find_tokens(a.short)
        ]
        # Abbreviations are never OCR-repaired ("KLE" is one letter from "klø").
        self._abbreviation_words = frozenset(short_words)
        self._capital_stopwords = frozenset(w for w in short_words if is_stopword(w))
        self._token_cache: dict[str, WordTerms] = {}
        # raw -> its terms joined by spaces ("" for a stop word), for the words whose terms do
        # not depend on their neighbours: the indexing fast path.
        self._plain_joined: dict[str, str] = {}
        # The same for a piece of text between white space ("kommunen,", "(KKR)"): its
        # tokens' joined terms, for the pieces none of whose tokens depends on its neighbours.
        self._piece_joined: dict[str, str] = {}
        self._token_cache_size = token_cache_size
        self._spelling = lru_cache(maxsize=token_cache_size)(self._settle_spelling)
        self._word = lru_cache(maxsize=token_cache_size)(self._word_terms)

    # -- one word ---------------------------------------------------------------------------

    def word_terms(self, raw: str) -> WordTerms:
        """The terms of one word as written (a token from `normalise.iter_tokens`)."""
        found = self._token_cache.get(raw)
        if found is None:
            found = self._compute(raw)
            if len(self._token_cache) >= self._token_cache_size:
                self._token_cache.clear()
                self._plain_joined.clear()
                self._piece_joined.clear()
            self._token_cache[raw] = found
            if not found.needs_context:
                self._plain_joined[raw] = " ".join(found.terms)
        return found

    def is_known(self, word: str) -> bool:
        """A listed word, an inflection of one, or a compound of listed words."""
        return self.lexicon.is_word_form(word) or bool(self.splitter.split(word))

    def _compute(self, raw: str) -> WordTerms:
        if OCR_IV_RE.match(raw):
            return WordTerms(("iv",), "iv")
        word = normalise_word(raw)
        if word.isalnum():
            return self._word(word, word in self._capital_stopwords and is_all_caps(raw))
        # Underscores, and what NFKC makes of some symbols ("½" is "1⁄2"), separate words.
        capitals = is_all_caps(raw)
        pieces = [self._word(piece, capitals) for piece in _NOT_ALNUM_RE.split(word) if piece]
        if not pieces:
            return _NOTHING
        terms = tuple(term for piece in pieces for term in piece.terms)
        return WordTerms(terms, terms[0] if terms else None, stopword=not terms)

    def _word_terms(self, word: str, capitals: bool) -> WordTerms:
        """The terms of a normalised word made of letters and digits; `capitals`: written in
        capitals, which only matters for a stop word that is also an abbreviation ("MED").
        Cached as `_word`, so "Kommune", "kommune" and "KOMMUNE" are analysed once."""
        if not word.isalpha():
            term = fold_danish(word)[:MAX_TERM_LENGTH]
            return WordTerms((term,), term)
        if is_stopword(word):
            if capitals and word in self._capital_stopwords:
                term = fold_danish(word)
                return WordTerms((term,), term, needs_context=True)
            return _STOPWORD
        if len(word) > MAX_TERM_LENGTH:
            term = fold_danish(word)[:MAX_TERM_LENGTH]
            return WordTerms((term,), term)
        spelling = self._spelling(word)
        main = fold_danish(stem(spelling))
        parts = self.splitter.split(spelling)
        part_terms = tuple(
            fold_danish(stem(part.surface if index == len(parts) - 1 else part.base))
            for index, part in enumerate(parts)
            if index == len(parts) - 1 or not is_stopword(part.base)
        )
        return WordTerms((main, *part_terms, *pair_terms(part_terms)), main, part_terms)

    def query_parts(self, word: Word) -> tuple[str, ...]:
        """The index terms of a query word's parts, to look for as words of their own when a
        search relaxes (`relax`): the parts the index has for it, or, for a word the index
        keeps whole ("byrådsmedlemmer"), those of the splitter's looser cut (`query_split`).
        () for a word that is not a compound."""
        if len(word.parts) > 1:
            return word.parts
        normalised = normalise_word(word.raw)
        if not normalised.isalpha() or is_stopword(normalised):
            return ()
        parts = self.splitter.query_split(self._spelling(normalised))
        terms = tuple(
            fold_danish(stem(part.surface if index == len(parts) - 1 else part.base))
            for index, part in enumerate(parts)
            if index == len(parts) - 1 or not is_stopword(part.base)
        )
        return terms if len(terms) > 1 else ()

    def query_near(self, word: Word) -> tuple[str, ...]:
        """A compound query word's near form, for a relaxed search: the beginning of the word
        up to its last part as a prefix term ("sygeplej*") and the last part's stem, so
        "sygeplejestuderende" also finds "sygeplejerskestuderende" and "sundhedsplejeordning"
        finds "sundhedsplejerskeordningen" (a first part shortened, lengthened or derived).
        () for a word that is not a compound or whose beginning is shorter than
        `NEAR_PREFIX_LENGTH` letters (a short prefix is in too many words)."""
        normalised = normalise_word(word.raw)
        if not normalised.isalpha() or is_stopword(normalised):
            return ()
        spelling = self._spelling(normalised)
        parts = self.splitter.query_split(spelling)
        if len(parts) < 2:
            return ()
        head = "".join(part.surface for part in parts[:-1])
        if head.endswith(("s", "e")) and len(head) > MIN_REPAIRED_PART_LENGTH + 1:
            head = head[:-1]  # a linking s or e, or a first part's own e ("pleje")
        head = fold_danish(head)
        if len(head) < NEAR_PREFIX_LENGTH:
            return ()
        return (head + PREFIX_MARK, fold_danish(stem(parts[-1].surface)))

    def _settle_spelling(self, word: str) -> str:
        if self.is_known(word):
            return word
        spellings = digraph_spellings(word) if has_digraph(word) else []
        for spelling in spellings:
            if self.is_known(spelling):
                return spelling
        if word not in self._abbreviation_words:
            # OCR damage and a digraph can meet in one word ("arsvaerk" for "årsværk").
            for damaged in (word, *spellings[:1]):
                repaired = repair(damaged, self.lexicon.zipf, self._is_compound_repair)
                if repaired is not None:
                    return repaired
        return spellings[0] if spellings else word

    def _is_compound_repair(self, damaged: str, candidate: Candidate) -> bool:
        """See `ocr`: all parts of 4+ letters, the repaired one a common listed word that was
        not a word before the repair."""
        if len(candidate.spelling) < 2 * MIN_REPAIRED_PART_LENGTH:
            return False
        parts = self.splitter.split(candidate.spelling)
        if any(len(part.surface) < MIN_REPAIRED_PART_LENGTH for part in parts):
            return False
        start = 0
        for index, part in enumerate(parts):
            end = start + len(part.surface)
            if start <= candidate.position < end:
                word = part.surface if index == len(parts) - 1 else part.base
                before = damaged[start : end + candidate.length - 1]
                return (
                    self.lexicon.zipf(word) >= MIN_REPAIRED_PART_ZIPF
                    and not self.lexicon.is_word_form(before)
                    and not self.splitter.split(before)
                )
            start = end
        return False

    # -- texts ------------------------------------------------------------------------------

    def analyze_document(self, text: str) -> list[str]:
        """Index terms of `text`, in order."""
        return self.index_text(text).split()

    def index_text(self, text: str) -> str:
        """The index terms of `text` joined by spaces (what a rebuild spends most of its time
        in): each piece of text between white space is looked up whole, and is analysed only
        the first time it is met. A piece with a word whose terms depend on its neighbours is
        analysed word by word with the words next to it (`_piece_in_context`). No token spans
        white space (`normalise.find_tokens`), so this gives what `_index_tokens` gives."""
        pieces = text.split()
        found = list(map(self._piece_joined.get, pieces))
        if None in found:
            index = -1
            with suppress(ValueError):
                while True:
                    index = found.index(None, index + 1)
                    joined = self._piece_terms(pieces[index])
                    if joined is None:
                        joined = self._piece_in_context(pieces, index)
                    found[index] = joined
        return " ".join(filter(None, found))

    def _piece_in_context(self, pieces: list[str], index: int) -> str:
        """The joined terms of `pieces[index]` with its words' context: the word before it is
        the last of the nearest piece before it that has words, the word after it likewise
        (never remembered: the same piece may be read otherwise elsewhere)."""
        raws = find_tokens(pieces[index])
        before = next(filter(None, map(find_tokens, reversed(pieces[:index]))), [])[-1:]
        after = next(filter(None, map(find_tokens, pieces[index + 1 :])), [])[:1]
        context = [*before, *raws, *after]
        out = []
        for position in range(len(before), len(before) + len(raws)):
            word = self.word_terms(context[position])
            if word.terms and not (
                word.needs_context and self._in_capital_heading(context, position)
            ):
                out.append(" ".join(word.terms))
        return " ".join(out)

    def _piece_terms(self, piece: str) -> str | None:
        """The joined terms of a piece of text between white space (None if one of its words
        depends on its neighbours); remembered."""
        words = [self.word_terms(raw) for raw in find_tokens(piece)]
        if any(word.needs_context for word in words):
            return None
        joined = " ".join(" ".join(word.terms) for word in words if word.terms)
        if len(self._piece_joined) >= self._token_cache_size:
            self._piece_joined.clear()
        self._piece_joined[piece] = joined
        return joined

    def _index_tokens(self, text: str) -> str:
        """`index_text` word by word, with the words' context."""
        raws = find_tokens(text)
        found = list(map(self._plain_joined.get, raws))
        if None in found:
            index = -1
            with suppress(ValueError):
                while True:  # the words not seen before, and the context-dependent ones
                    index = found.index(None, index + 1)
                    word = self.word_terms(raws[index])
                    drop = word.needs_context and self._in_capital_heading(raws, index)
                    found[index] = "" if drop else " ".join(word.terms)
        return " ".join(filter(None, found))

    def token_terms(self, text: str) -> tuple[list[tuple[int, int]], list[tuple[str, ...]]]:
        """The words of `text` as (start, end) offsets and, for each, its terms (() for a stop
        word): what `analyze_words` gives, without building a `Word` per word (snippets)."""
        spans, raws = find_token_spans(text)
        cache = self._token_cache
        found = [cache.get(raw) or self.word_terms(raw) for raw in raws]
        terms = [word.terms for word in found]
        for index, word in enumerate(found):
            if word.needs_context and self._in_capital_heading(raws, index):
                terms[index] = ()
        return spans, terms

    def analyze_words(self, text: str) -> list[Word]:
        """Every word of `text` with its offsets and terms (stop words included, with no terms)."""
        tokens = list(iter_tokens(text))
        raws = [token.raw for token in tokens]
        words = []
        for index, token in enumerate(tokens):
            found = self.word_terms(token.raw)
            if found.needs_context and self._in_capital_heading(raws, index):
                found = _STOPWORD
            key = _word_key(token.raw)
            words.append(
                Word(
                    token.start,
                    token.end,
                    token.raw,
                    key,
                    found.terms,
                    found.main,
                    found.parts,
                    found.stopword,
                )
            )
        return words

    def _in_capital_heading(self, raws: list[str], index: int) -> bool:
        for neighbour in raws[max(index - 1, 0) : index] + raws[index + 1 : index + 2]:
            if (
                len(neighbour) >= SHOUTING_NEIGHBOUR_LENGTH
                and neighbour.isalpha()
                and neighbour.isupper()
                and normalise_word(neighbour) not in self._abbreviation_words
            ):
                return True
        return False

    @cached_property
    def abbreviation_index(self) -> AbbreviationIndex:
        """The abbreviations in analysed form, for query expansion (built on first use)."""
        return AbbreviationIndex(self.abbreviations, self.analyze_words, self.lexicon.zipf)
