"""Danish Snowball stemming (PyStemmer), with one correction and a cache.

The Snowball algorithm strips one suffix per call, so an inflected form and its base can end up
one "s" apart: "kredsen" stems to "kreds", but "kreds" itself stems to "kred". A compound's last
part is the inflected word ("...direktørkredsen") while a query for the part is usually the base
("direktørkreds"), so the two must meet. `stem` therefore runs the stemmer a second time when the
first pass removed something and left a word ending in "s", and keeps the second result only when
all it did was remove that "s". Running to a fixed point instead would overstem badly
("forsigtigt" ends as "for", "interesse" as "int").
"""

import threading
from functools import lru_cache

import Stemmer

# Before stemming: word endings Snowball leaves apart from their inflections. Latin neuters
# ("kommissorium" / "kommissoriet", "kriterium" / "kriterier", "museum" / "museet") and the
# plural "fora" of "forum" ("dialogfora" / "dialogforum").
WORD_ENDINGS: tuple[tuple[str, str], ...] = (
    ("fora", "forum"),
    ("ium", "i"),
    ("eum", "e"),
)
# After stemming: stems of an inflected form that differ from their base's stem ("budgettet"
# stems to "budget", "budget" to "budg"; "ordenen" to "orden", "orden" to "ord"; "centret" to
# "centr", "center" to "cent"); adjectives in -isk of nouns in -gi and -mi ("strategiske" stems
# to "strategisk", "strategien" to "strategi"; "økonomisk", "epidemisk"). Not -tisk: "politisk"
# would meet "politi".
STEM_ENDINGS: tuple[tuple[str, str], ...] = (
    ("budget", "budg"),
    ("orden", "ord"),
    ("centr", "cent"),
    ("gisk", "gi"),
    ("misk", "mi"),
)


# PyStemmer's stemmer objects keep state between calls and must not be shared between threads.
_local = threading.local()


def _stemmer() -> Stemmer.Stemmer:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("danish")
    return stemmer


@lru_cache(maxsize=262_144)
def stem(word: str) -> str:
    """The stem of a normalised word (lower case, æ/ø/å as letters).

    >>> stem("kredsen"), stem("kreds"), stem("direktørkredsen"), stem("forløbene")
    ('kred', 'kred', 'direktørkred', 'forløb')
    >>> stem("sikkerhed")
    'sikker'
    >>> stem("kommissoriet") == stem("kommissorium"), stem("dialogfora") == stem("dialogforum")
    (True, True)
    >>> stem("budgettet") == stem("budget"), stem("forretningsordenen") == stem("forretningsorden")
    (True, True)
    >>> stem("strategiske"), stem("økonomisk"), stem("politisk")
    ('strategi', 'økonomi', 'politisk')
    """
    for ending, replacement in WORD_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 1 or word == ending == "fora":
            word = word[: -len(ending)] + replacement
            break
    stemmer = _stemmer()
    first = stemmer.stemWord(word)
    if first != word and first.endswith("s"):
        second = stemmer.stemWord(first)
        if second == first[:-1]:
            return second
    for ending, replacement in STEM_ENDINGS:
        if first.endswith(ending):
            return first[: -len(ending)] + replacement
    return first
