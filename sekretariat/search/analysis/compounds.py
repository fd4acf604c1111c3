"""Splitting Danish compounds into their parts.

Danish writes compounds as one word ("sundhedsdirektørkredsen", "forløbstakst"), so a search
for "direktørkreds" or "takst" finds nothing unless the index also holds the parts.

The algorithm (a lexicon-driven splitter in the spirit of Koehn and Knight, "Empirical methods
for compound splitting", 2003):

1. A word is left whole if it, or a listed word with its stem, is common (`KEEP_WHOLE_ZIPF`):
   "samarbejde", "godkendelse", "dagsorden" and "indstilling" look like compounds but are words
   in their own right, and splitting them would only add noise ("god", "kendelse").
2. Otherwise every way of cutting it into parts of at least three letters is considered, where
   each part but the last is a lexicon word, optionally followed by a linking morpheme (fuge-s,
   fuge-e, or s instead of a final e: see `Lexicon.part_forms`), and the last part is a lexicon
   word or an inflected form of one (same stem). Bound morphemes never count as parts
   (`lexicon.NOT_PART_WORDS`).
3. The cut with the fewest parts wins, and among those the one whose parts are commonest (the
   highest mean Zipf, i.e. the geometric mean of the frequencies). Fewest parts keeps known
   words together ("dagsordens|punkter", not "dags|ordens|punkter"); the frequency breaks ties.
   A rare listed word (Zipf below `KEEP_WHOLE_ZIPF`) is split only if no part is shorter than
   four letters and the parts are clearly commoner than it is (`LISTED_WORD_MARGIN`):
   "ansvarsområde" splits, "godkender" (god|kender) and "hensynet" (hen|synet) do not.
4. Parts that are themselves compounds are split again, so the parts are the smallest words:
   a part sequence of a shorter compound is then a run inside a longer one, which is what the
   query side relies on ("direktør kreds" inside "sundhed direktør kreds").

Decisions are cached twice: an `lru_cache` per splitter, and an optional mapping given by the
caller (a dict, or `shelve.open(path)`) that survives between runs and can be inspected.
"""

from collections.abc import MutableMapping
from functools import lru_cache
from typing import NamedTuple

from .lexicon import MIN_PART_LENGTH, NOT_PART_STEMS, Lexicon
from .stemming import stem
from .stopwords import STOPWORDS

KEEP_WHOLE_ZIPF = 3.5
LISTED_WORD_MARGIN = 1.0
MIN_MEAN_ZIPF = 3.0
# A last part known only through its stem counts a little less than a listed word.
INFLECTED_LAST_PART_PENALTY = 0.3
MIN_INFERRED_STEM_LENGTH = 4
MAX_WORD_LENGTH = 48
MAX_PARTS = 6
# `query_split`: the shortest part it cuts off.
QUERY_PART_LENGTH = 4


class Part(NamedTuple):
    """One part of a compound: as written inside it, and the lexicon word it stands for.

    In "sundhedsdirektørkredsen" the parts are ("sundheds", "sundhed"), ("direktør", "direktør")
    and ("kredsen", "kredsen"): the linking s stays in `surface`, and the last part keeps its
    inflection (the stemmer deals with it). The surfaces of a word's parts spell the word.
    """

    surface: str
    base: str


class CompoundSplitter:
    """Splits normalised words (lower case, æ/ø/å as letters) using a `Lexicon`."""

    def __init__(
        self,
        lexicon: Lexicon,
        *,
        cache: MutableMapping[str, tuple[Part, ...]] | None = None,
        cache_size: int = 131_072,
    ):
        self.lexicon = lexicon
        self._forms = lexicon.part_forms
        self._by_stem = lexicon.zipf_by_stem
        self._cache = cache
        self._split = lru_cache(maxsize=cache_size)(self._compute)

    def split(self, word: str) -> tuple[Part, ...]:
        """The smallest parts of `word`, or () when it is not a compound.

        >>> from sekretariat.search.analysis.lexicon import Lexicon
        >>> splitter = CompoundSplitter(Lexicon.from_wordfreq())
        >>> [part.base for part in splitter.split("sundhedsdirektørkredsen")]
        ['sundhed', 'direktør', 'kredsen']
        >>> [part.surface for part in splitter.split("dagstakst")]
        ['dags', 'takst']
        >>> splitter.split("samarbejde")
        ()
        """
        if self._cache is not None:
            cached = self._cache.get(word)
            if cached is not None:
                return tuple(Part(*part) for part in cached)
        parts = self._split(word)
        if self._cache is not None:
            self._cache[word] = parts
        return parts

    def query_split(self, word: str) -> tuple[Part, ...]:
        """A looser split for a query's word that `split` keeps whole: the best cut into parts
        whose written form and base both have at least `QUERY_PART_LENGTH` letters, however
        common the whole word is ("byrådsmedlemmer": byråds|medlemmer, where the index of
        "medlemmer af byrådet" holds the parts as words of their own). Used only to relax a
        query that found too little, never for the index.

        >>> from sekretariat.search.analysis.lexicon import Lexicon
        >>> splitter = CompoundSplitter(Lexicon.from_wordfreq())
        >>> [part.base for part in splitter.query_split("byrådsmedlemmer")]
        ['byråd', 'medlemmer']
        >>> splitter.query_split("dagsorden")
        ()
        """
        parts = self.split(word)
        if parts:
            return parts
        if len(word) < 2 * QUERY_PART_LENGTH or len(word) > MAX_WORD_LENGTH or not word.isalpha():
            return ()
        cut = self._best_cut(word)
        if cut is None:
            return ()
        count, total, parts = cut
        if total / count < MIN_MEAN_ZIPF or any(
            min(len(part.surface), len(part.base)) < QUERY_PART_LENGTH for part in parts
        ):
            return ()
        return parts

    def _last_part_zipf(self, piece: str) -> float:
        zipf = self.lexicon.zipf(piece)
        if zipf:
            return zipf if self.lexicon.can_be_part(piece, zipf) else 0.0
        if piece in STOPWORDS or len(piece) <= MIN_INFERRED_STEM_LENGTH:
            return 0.0
        key = stem(piece)
        if len(key) < MIN_INFERRED_STEM_LENGTH or key in NOT_PART_STEMS:
            return 0.0
        inferred = self._by_stem.get(key, 0.0)
        return inferred - INFLECTED_LAST_PART_PENALTY if inferred else 0.0

    def _best_cut(self, word: str) -> tuple[int, float, tuple[Part, ...]] | None:
        """(number of parts, sum of Zipf, parts) of the best cut, or None."""
        length = len(word)
        # best[i][k] = (sum of Zipf, parts) of the commonest cut of word[i:] into k parts.
        best: list[dict[int, tuple[float, tuple[Part, ...]]]] = [{} for _ in range(length + 1)]
        for start in range(length - MIN_PART_LENGTH, -1, -1):
            options = best[start]
            if start:
                piece = word[start:]
                zipf = self._last_part_zipf(piece)
                if zipf:
                    options[1] = (zipf, (Part(piece, piece),))
            for end in range(start + MIN_PART_LENGTH, length - MIN_PART_LENGTH + 1):
                rest = best[end]
                if not rest:
                    continue
                form = self._forms.get(word[start:end])
                if form is None:
                    continue
                base, zipf = form
                head = Part(word[start:end], base)
                for count, (total, parts) in rest.items():
                    if count >= MAX_PARTS:
                        continue
                    known = options.get(count + 1)
                    if known is None or known[0] < total + zipf:
                        options[count + 1] = (total + zipf, (head, *parts))
        if not best[0]:
            return None
        count = min(best[0])
        total, parts = best[0][count]
        return count, total, parts

    def _compute(self, word: str) -> tuple[Part, ...]:
        length = len(word)
        if length < 2 * MIN_PART_LENGTH or length > MAX_WORD_LENGTH or not word.isalpha():
            return ()
        whole_zipf = self.lexicon.zipf_of_any_form(word)
        if whole_zipf >= KEEP_WHOLE_ZIPF:
            return ()
        cut = self._best_cut(word)
        if cut is None:
            return ()
        count, total, parts = cut
        mean = total / count
        if mean < MIN_MEAN_ZIPF:
            return ()
        if whole_zipf and (
            mean < whole_zipf + LISTED_WORD_MARGIN
            or min(len(part.surface) for part in parts) <= MIN_PART_LENGTH
        ):
            return ()
        smallest: list[Part] = []
        for index, part in enumerate(parts):
            inner = self.split(part.surface if index == count - 1 else part.base)
            if not inner:
                smallest.append(part)
                continue
            # The inner parts spell the base; give the last one the linking morpheme back, so
            # the surfaces of all parts always spell the word.
            start = len(part.base) - len(inner[-1].surface)
            smallest.extend(inner[:-1])
            smallest.append(Part(part.surface[start:], inner[-1].base))
        return tuple(smallest)
