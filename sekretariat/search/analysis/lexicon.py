"""The Danish lexicon: which strings are words, and how common they are.

The base is wordfreq's Danish list, which ships inside the wordfreq package (about 29,000 words
down to Zipf 3.0; nothing is downloaded). Frequencies are on the Zipf scale: log10 of
occurrences per billion words, so 3 is one in a million and 6 one in a thousand.

The list is built from general text and misses words the secretariats write every day ("takst",
"drøftelse", "udpegning"), so `DOMAIN_WORDS` adds them at `DOMAIN_ZIPF`. Add a word there when a
compound of the field fails to split. Give base forms (the stemmer handles inflection) and only
simple words: a compound listed here is kept whole inside longer compounds, so its parts would no
longer be found in them.
"""

import math
from collections.abc import Iterable, Mapping
from functools import cached_property

import wordfreq

from .normalise import normalise_word
from .stemming import stem
from .stopwords import STOPWORDS

DOMAIN_ZIPF = 3.5

DOMAIN_WORDS: tuple[str, ...] = (
    "afregning", "afregne", "antibiotikum", "delegering", "delegere", "drøftelse", "emne",
    "epikrise", "facet", "infusion", "intravenøs", "isoton", "journalisering", "kateter",
    "kommissorium", "medbestemmelse", "medicin", "medindflydelse", "plejerske", "systematik",
    "takst", "taskforce", "udpegning", "udpege", "visitation", "visitere", "klynge", "indstille",
    "forløb", "kreds", "netværk", "forum", "fora", "kommunal", "styre", "sekretariat",
    "aflastning", "aflaste",
)  # fmt: skip

# Minimum frequency for a word to be a part of a compound. Three-letter parts must be commoner:
# the short end of the list is full of names and loans ("ale", "bet") that make false splits.
MIN_PART_ZIPF = 3.0
MIN_SHORT_PART_ZIPF = 4.0
MIN_PART_LENGTH = 3
MIN_KNOWN_STEM_LENGTH = 5
# A linking e follows short words ("hund|e|slæde", "dreng|e|skole"); after longer ones an "e"
# is nearly always the start of the next part or an ending ("dimension|ering").
MAX_LINKING_E_BASE_LENGTH = 5

# Bound prefixes, suffixes and inflectional endings that the list holds as words ("sam" in
# "samarbejde", "ende" in "løbende", "erne" in "eleverne", "sen" in "Jespersen", "skab" in
# "regnskab"): never a part of a compound. Compared by stem, so "ingen" and "skabet" are caught.
NOT_PART_WORDS: tuple[str, ...] = (
    "sam", "gen", "mis", "van", "ver", "ting", "erne", "ende", "ing", "hed", "lig", "ligt", "sen",
    "ske", "isk", "ere", "else", "ning", "get", "ler", "nes", "len", "ren", "tes", "ter", "ser",
    "sker", "ene", "est", "ent", "and", "ænd", "tion", "mest", "skab", "bar", "dom", "ede",
)  # fmt: skip
NOT_PART_STEMS: frozenset[str] = frozenset(stem(word) for word in NOT_PART_WORDS)

# Stop words that also begin compounds ("medformand", "overlæge", "underudvalg",
# "efteruddannelse"): allowed as non-final parts, at a modest frequency so they do not dominate
# the choice between cuts. The analyzer does not emit them as terms (they are stop words).
PREFIX_PARTS: tuple[str, ...] = ("med", "mod", "over", "under", "efter", "til", "ind")
PREFIX_PART_ZIPF = 4.0


class Lexicon:
    """Word frequencies plus the derived tables the compound splitter needs."""

    def __init__(self, zipf_by_word: Mapping[str, float]):
        self._zipf = dict(zipf_by_word)

    @classmethod
    def from_wordfreq(cls, extra_words: Iterable[str] = DOMAIN_WORDS) -> "Lexicon":
        """wordfreq's Danish list plus `extra_words` (at `DOMAIN_ZIPF`)."""
        zipf_by_word: dict[str, float] = {}
        for word, frequency in wordfreq.get_frequency_dict("da", wordlist="best").items():
            if word.isalpha():
                zipf_by_word[normalise_word(word)] = round(math.log10(frequency) + 9, 2)
        for word in extra_words:
            word = normalise_word(word)
            zipf_by_word[word] = max(zipf_by_word.get(word, 0.0), DOMAIN_ZIPF)
        return cls(zipf_by_word)

    def __contains__(self, word: object) -> bool:
        return word in self._zipf

    def __len__(self) -> int:
        return len(self._zipf)

    def zipf(self, word: str) -> float:
        """Zipf frequency of `word`, 0.0 when it is not in the lexicon."""
        return self._zipf.get(word, 0.0)

    def zipf_of_any_form(self, word: str) -> float:
        """Zipf of `word` or of the commonest listed word with its stem ("sekretariater")."""
        return max(self._zipf.get(word, 0.0), self.zipf_by_stem.get(stem(word), 0.0))

    def is_word_form(self, word: str) -> bool:
        """Listed, or an inflection of a listed word ("sekretariaterne").

        Inflections count only with a stem of `MIN_KNOWN_STEM_LENGTH` letters or more: short
        stems make damaged words look inflected ("serligt" stems to "ser", a listed word).
        """
        if word in self._zipf:
            return True
        key = stem(word)
        return len(key) >= MIN_KNOWN_STEM_LENGTH and key in self.zipf_by_stem

    @cached_property
    def part_forms(self) -> dict[str, tuple[str, float]]:
        """Spellings a word takes as a non-final part of a compound -> (the word, its Zipf).

        Danish joins parts directly ("direktør|kreds"), with a linking s ("sundhed|s|aftale"),
        with a linking e ("børn|e|have") or, for words ending in -e, with an s instead of the e
        ("samarbejde" -> "samarbejd|s|udvalg"). Where two words give the same spelling the
        commoner wins ("dags" is both a word and "dag" + s; "dag" wins).
        """
        forms: dict[str, tuple[str, float]] = {}

        def offer(form: str, word: str, zipf: float) -> None:
            if form not in forms or forms[form][1] < zipf:
                forms[form] = (word, zipf)

        for prefix in PREFIX_PARTS:
            forms[prefix] = (prefix, PREFIX_PART_ZIPF)
        for word, zipf in self._zipf.items():
            if not self.can_be_part(word, zipf):
                continue
            offer(word, word, zipf)
            offer(word + "s", word, zipf)
            if len(word) <= MAX_LINKING_E_BASE_LENGTH:
                offer(word + "e", word, zipf)
            if word.endswith("e") and len(word) > MIN_PART_LENGTH:
                offer(word[:-1] + "s", word, zipf)
        return forms

    @cached_property
    def zipf_by_stem(self) -> dict[str, float]:
        """Stem -> Zipf of the commonest lexicon word with that stem.

        Lets the last part of a compound be an inflected form the list does not hold
        ("...kredsens" has the stem of "kreds").
        """
        by_stem: dict[str, float] = {}
        for word, zipf in self._zipf.items():
            if len(word) >= MIN_PART_LENGTH and word not in STOPWORDS:
                key = stem(word)
                if len(key) >= MIN_PART_LENGTH and by_stem.get(key, 0.0) < zipf:
                    by_stem[key] = zipf
        return by_stem

    @staticmethod
    def can_be_part(word: str, zipf: float) -> bool:
        """Whether a listed word may stand as a part of a compound."""
        if len(word) < MIN_PART_LENGTH or word in STOPWORDS or stem(word) in NOT_PART_STEMS:
            return False
        if len(word) == MIN_PART_LENGTH:
            return zipf >= MIN_SHORT_PART_ZIPF
        return zipf >= MIN_PART_ZIPF
