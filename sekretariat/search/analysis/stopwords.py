"""Danish stop words: the Snowball stemmer project's list for Danish, as published with it.

Source: snowballstem.org, algorithms/danish/stop.txt (94 words). Written here as a constant so
nothing is read or downloaded at run time. `STOPWORDS_FOLDED` holds the same words in the folded
spelling the analyzer compares against (å as aa, ø as oe, æ as ae).
"""

from .normalise import fold_danish

SNOWBALL_DANISH_STOPWORDS: tuple[str, ...] = (
    "og", "i", "jeg", "det", "at", "en", "den", "til", "er", "som",
    "på", "de", "med", "han", "af", "for", "ikke", "der", "var", "mig",
    "sig", "men", "et", "har", "om", "vi", "min", "havde", "ham", "hun",
    "nu", "over", "da", "fra", "du", "ud", "sin", "dem", "os", "op",
    "man", "hans", "hvor", "eller", "hvad", "skal", "selv", "her", "alle", "vil",
    "blev", "kunne", "ind", "når", "være", "dog", "noget", "ville", "jo", "deres",
    "efter", "ned", "skulle", "denne", "end", "dette", "mit", "også", "under", "have",
    "dig", "anden", "hende", "mine", "alt", "meget", "sit", "sine", "vor", "mod",
    "disse", "hvis", "din", "nogle", "hos", "blive", "mange", "ad", "bliver", "hendes",
    "været", "thi", "jer", "sådan",
)  # fmt: skip

STOPWORDS: frozenset[str] = frozenset(SNOWBALL_DANISH_STOPWORDS)
STOPWORDS_FOLDED: frozenset[str] = frozenset(fold_danish(word) for word in STOPWORDS)


def is_stopword(word: str) -> bool:
    """True for a normalised word on the list, in either spelling ("på", "paa").

    >>> is_stopword("på"), is_stopword("paa"), is_stopword("forløb")
    (True, True, False)
    """
    return word in STOPWORDS or fold_danish(word) in STOPWORDS_FOLDED
