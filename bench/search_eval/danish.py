"""Small Danish word tools for the query generator: words, stop words, inflections, compounds.

Written for this benchmark only and independent of `sekretariat.search`: rule-based endings,
checked against wordfreq's Danish lexicon (a word is taken as real when wordfreq knows it or
when the corpus itself uses it). Good enough to write plausible queries, not a grammar.
"""

import re
from functools import lru_cache

from wordfreq import zipf_frequency

WORD_RE = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿ§](?:[0-9A-Za-zÀ-ÖØ-öø-ÿ§\-./]|['’](?=[A-Za-zæøå]))*")
ALPHA_RE = re.compile(r"^[a-zæøåéüöä]+$")

STOPWORDS = frozenset(
    [
        "af",
        "alle",
        "alt",
        "andre",
        "at",
        "bl",
        "da",
        "de",
        "dem",
        "den",
        "denne",
        "der",
        "deres",
        "det",
        "dette",
        "dig",
        "din",
        "dog",
        "du",
        "efter",
        "eller",
        "en",
        "end",
        "er",
        "et",
        "for",
        "fra",
        "ham",
        "han",
        "hans",
        "har",
        "havde",
        "have",
        "hende",
        "hendes",
        "her",
        "hos",
        "hun",
        "hvad",
        "hvem",
        "hver",
        "hvilke",
        "hvis",
        "hvor",
        "hvordan",
        "hvorfor",
        "i",
        "ikke",
        "ind",
        "jeg",
        "jer",
        "jo",
        "kan",
        "kun",
        "kunne",
        "man",
        "mange",
        "med",
        "meget",
        "men",
        "mig",
        "min",
        "mod",
        "mon",
        "mv",
        "ned",
        "noget",
        "nogle",
        "nu",
        "når",
        "og",
        "også",
        "om",
        "op",
        "os",
        "over",
        "på",
        "sammen",
        "samt",
        "selv",
        "sig",
        "sin",
        "sine",
        "sit",
        "skal",
        "skulle",
        "som",
        "sådan",
        "thi",
        "til",
        "ud",
        "under",
        "var",
        "vi",
        "vil",
        "ville",
        "vor",
        "vores",
        "være",
        "været",
        "ved",
        "vedr",
        "vedrørende",
        "jf",
        "pkt",
        "nr",
        "kl",
        "stk",
        "mio",
        "kr",
        "pct",
        "fx",
        "ift",
        "bla",
        "mht",
        "evt",
        "inkl",
        "herunder",
        "samt",
        "via",
        "pr",
        "the",
        "and",
        "of",
    ]
)

# Endings of a noun's forms after its base: common gender consonant stem, stems in -e, neuter.
_FORMS_CONSONANT = ("", "en", "er", "erne", "s", "ens", "ers")
_FORMS_NEUTER = ("", "et", "ets", "s")
_FORMS_E = ("", "n", "r", "rne", "s", "ns", "rs")
_LINKING = ("ing", "hed", "tion", "sion", "else", "skab", "dom", "tet", "ning")
# Heads after which a compound modifier takes a linking s ('byråd' -> 'byrådsmedlemmer').
_S_HEADS = ("råd", "udvalg", "arbejde", "styrelse", "forhold", "tilbud", "område", "ministerium")
# Suffixes that are endings, not words, although the lexicon lists them.
_NOT_HEADS = frozenset(
    [
        "else",
        "ning",
        "ende",
        "hed",
        "heden",
        "skab",
        "lig",
        "lige",
        "isk",
        "ings",
        "ion",
        "tion",
        "get",
    ]
)


def words(text: str) -> list[str]:
    """Tokens as a person would see them: letters and digits with inner hyphens, dots, slashes."""
    return [w.strip("-./") for w in WORD_RE.findall(text) if w.strip("-./")]  # KL's stays one


def is_content(word: str) -> bool:
    """A word that carries meaning: alphabetic, at least 3 letters, not a stop word."""
    low = word.lower()
    return len(low) >= 3 and bool(ALPHA_RE.match(low)) and low not in STOPWORDS


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    return zipf_frequency(word, "da")


class Lexicon:
    """Which words exist: wordfreq's Danish list plus the words the corpus itself uses."""

    def __init__(self, corpus_words: set[str]):
        self.corpus_words = corpus_words

    def known(self, word: str, min_zipf: float = 1.0) -> bool:
        return word in self.corpus_words or zipf(word) >= min_zipf

    def head(self, word: str) -> tuple[str, str]:
        """Split a compound into (modifier, head) where the head is the longest known suffix."""
        for i in range(0, len(word) - 3):
            suffix = word[i:]
            if zipf(suffix) >= 2.5:
                return word[:i], suffix
        return "", word

    def bases(self, word: str) -> list[str]:
        """Possible base forms of a (possibly inflected) noun, known ones first."""
        candidates = [word]
        for ending in (
            "erne",
            "rne",
            "ens",
            "ers",
            "ets",
            "en",
            "er",
            "et",
            "ns",
            "rs",
            "n",
            "r",
            "s",
        ):
            stem = word[: -len(ending)]
            if not word.endswith(ending) or len(stem) < 3:
                continue
            if ending in ("s", "ns", "rs", "ens", "ers", "ets") and stem.endswith("s"):
                continue  # no genitive after s
            candidates.append(stem)
            if ending in ("erne", "er", "en") and stem[-1] == stem[-2]:
                candidates.append(stem[:-1])  # budgetter -> budget
            if ending in ("erne", "er", "en") and len(stem) >= 4 and stem[-1] in "lr":
                candidates.append(stem[:-1] + "e" + stem[-1])  # rundkørsler -> rundkørsel
        return list(dict.fromkeys(candidates))

    def forms(self, base: str) -> list[str]:
        if base.endswith("e"):
            return list(dict.fromkeys(base + e for e in _FORMS_E))
        forms = [base + e for e in _FORMS_CONSONANT + _FORMS_NEUTER]
        forms += [base + base[-1] + e for e in ("en", "et", "er", "erne")]  # budget -> budgettet
        if base.endswith(("el", "er")):  # rundkørsel -> rundkørsler, -len
            forms += [base[:-2] + base[-1] + e for e in ("en", "er", "erne")]
        return list(dict.fromkeys(f for f in forms if not f.endswith("ss")))

    def inflections(self, word: str) -> list[str]:
        """Other real forms of `word` (definite, plural, genitive), judged on its head word."""
        low = word.lower()
        modifier, head = self.head(low)
        found: list[str] = []
        for base in self.bases(head):
            if zipf(base) < 2.0:
                continue
            for form in self.forms(base):
                if form != head and zipf(form) >= 1.5:
                    found.append(modifier + form)
        return [f for f in dict.fromkeys(found) if f != low and len(f) >= 4]

    def split(self, word: str) -> tuple[str, str] | None:
        """A compound of 12+ letters as two words, dropping a linking s/e: the best-known split."""
        low = word.lower()
        if len(low) < 12 or not ALPHA_RE.match(low):
            return None
        best: tuple[float, str, str] | None = None
        for i in range(4, len(low) - 3):
            left, right = low[:i], low[i:]
            if zipf(right) < 2.5 or right in _NOT_HEADS:
                continue
            for first in (left, left[:-1] if left[-1] in "se" else None):
                if first and len(first) >= 4 and (zipf(first) >= 2.5 or first in self.corpus_words):
                    score = min(zipf(first), zipf(right)) + 0.01 * len(right)
                    if best is None or score > best[0]:
                        best = (score, first, right)
        return (best[1], best[2]) if best else None

    def join(self, modifier: str, head: str) -> str | None:
        """`modifier` before `head` as one compound ('medlemmer af byrådet' -> 'byrådsmedlemmer').

        The modifier must be a base form or a definite singular of one (a plural such as
        'kurser' takes an irregular stem in a compound, so it is left out: None)."""
        first = modifier.lower()
        if first.endswith(("s", "er", "re", "erne", "rne", "ene")):
            return None  # a genitive, a cut-off first half ('behandlings-') or a plural
        if first.endswith("en") and self.known(first[:-1], 2.5) and first[-3] == "e":
            first = first[:-1]  # 'bestyrelsen' -> 'bestyrelse'
        elif first.endswith(("en", "et")):
            base = first[:-2]
            if len(base) >= 3 and self.known(base, 2.5):
                first = base  # 'byrådet' -> 'byråd'
            elif first.endswith("et"):
                return None  # a participle used as an adjective ('langfristet')
        if first.endswith(_LINKING) or (len(first) > 5 and first.endswith(_S_HEADS)):
            first += "s"
        return first + head.lower()
