"""Tokenising and normalising: Unicode NFKC, case folding, diacritics, the Danish letters.

Every word goes through `normalise_word` before anything else looks at it, and every index or
query term leaves the analyzer through `fold_danish`, so the terms the backends store contain
only lower-case letters and digits (æ, ø, å written ae, oe, aa). Both SQLite FTS5 and PostgreSQL's
'simple' parser keep such a term whole, whatever tokenizer options the backend chooses.
"""

import re
import unicodedata
from collections.abc import Iterator
from itertools import compress, count
from operator import not_
from typing import NamedTuple

# A word: letters and digits (and underscores, which the analyzer splits on), with combining
# accents kept inside it, and an optional genitive "'s" that belongs to the word before it
# ("KKR's"). Tried before it, in order: OCR renderings of the Roman numeral IV that the importer
# could not repair ("1V", "1VV", "IVV", "|V", "1\VV"), and numbers written with thousands
# separators ("2.498.901"). Written without look-behinds, which would make the scan three times
# slower: the scan runs left to right and a word is consumed whole, so these alternatives can
# only start where a word could.
OCR_IV_PATTERN = r"(?:[1lI|]\\?VV?|VV)(?!\w)"
GROUPED_NUMBER_PATTERN = r"\d{1,3}(?:\.\d{3})+(?!\w|\.\d)"
WORD_PATTERN = r"\w[\w\u0300-\u036f]*(?:['’]s\b)?"
TOKEN_RE = re.compile(f"{OCR_IV_PATTERN}|{GROUPED_NUMBER_PATTERN}|{WORD_PATTERN}")
OCR_IV_RE = re.compile(f"{OCR_IV_PATTERN}$")
GROUPED_NUMBER_RE = re.compile(r"\d{1,3}(?:\.\d{3})+")
# Punctuation that can stand before or after a word but never starts, ends or continues a token
# (no letter or digit, no quote of a genitive, no "|" or backslash of an OCR'd IV): stripped from
# a piece of text between white space, what is left is often a token as it stands.
EDGE_PUNCTUATION = '.,;:!?()[]{}"«»“”„‘–—-/*§%&+=<>#'

# Terms longer than this are cut; nobody searches for a 65-letter word, and the limit keeps
# garbage (base64 blobs, URLs without separators) from bloating the index.
MAX_TERM_LENGTH = 64

_DANISH_TO_ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})
# Latin letters that Unicode does not decompose, so NFD cannot strip them. The Nordic umlaut
# vowels are the same letters as æ and ø.
_UNDECOMPOSABLE = str.maketrans(
    {
        "ä": "æ",
        "ö": "ø",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "œ": "oe",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
        "ŋ": "n",
    }
)
_DIGRAPHS = (("aa", "å"), ("ae", "æ"), ("oe", "ø"))


class Token(NamedTuple):
    """One word of the original text, with its offsets (for snippets)."""

    start: int
    end: int
    raw: str


def iter_tokens(text: str) -> Iterator[Token]:
    """Yield the words of `text` with their offsets in `text`."""
    for match in TOKEN_RE.finditer(text):
        yield Token(match.start(), match.end(), match.group())


def find_tokens(text: str) -> list[str]:
    """The words of `text`, without offsets (the fast path for indexing): what
    `TOKEN_RE.findall(text)` gives, at well under half its cost (a rebuild spent a third of its
    time in that regular expression).

    No token spans white space, and every look-ahead of `TOKEN_RE` sees white space and the end
    of a string alike, so the text is split at white space first. Most pieces are a word as they
    stand (letters and digits: `str.isalnum` is exactly the characters of `\\w` but the
    underscore), most of the others once their edge punctuation is stripped; only the rest go
    through the expression."""
    pieces = text.split()
    for index in reversed(list(compress(count(), map(not_, map(str.isalnum, pieces))))):
        stripped = pieces[index].strip(EDGE_PUNCTUATION)
        pieces[index : index + 1] = (
            (stripped,) if stripped.isalnum() else TOKEN_RE.findall(stripped)
        )
    return pieces


def find_token_spans(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    """The words of `text` and their (start, end) offsets: what `TOKEN_RE.finditer(text)`
    gives (snippets), from `find_tokens` at a fraction of the expression's cost. Each word is
    looked for after the one before it: what lies between two words is white space and
    characters no word takes, so it never holds the next word (a property test checks it)."""
    raws = find_tokens(text)
    spans = []
    position = 0
    find = text.find
    for raw in raws:
        start = find(raw, position)
        position = start + len(raw)
        spans.append((start, position))
    return spans, raws


def normalise_word(raw: str) -> str:
    """NFKC, case folding and diacritics, keeping æ, ø and å as letters.

    >>> normalise_word("Sundhedsdirektørkredsen")
    'sundhedsdirektørkredsen'
    >>> normalise_word("Resumé"), normalise_word("ÅRHUS"), normalise_word("Göteborg")
    ('resume', 'århus', 'gøteborg')
    >>> normalise_word("KKR's"), normalise_word("2.498.901")
    ('kkr', '2498901')
    """
    if raw[-2:] in ("'s", "’s", "'S", "’S"):
        raw = raw[:-2]
    if GROUPED_NUMBER_RE.fullmatch(raw):
        return raw.replace(".", "")
    word = unicodedata.normalize("NFKC", raw).casefold()
    if word.isascii():
        return word
    word = word.translate(_UNDECOMPOSABLE)
    decomposed = unicodedata.normalize("NFD", word)
    kept = []
    for index, char in enumerate(decomposed):
        if unicodedata.combining(char):
            # The ring of å is a letter of its own in Danish; every other accent goes.
            if char == "\u030a" and index and decomposed[index - 1] == "a":
                kept.append(char)
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def fold_danish(word: str) -> str:
    """Write æ, ø and å as ae, oe and aa: the form every term is stored and queried in.

    >>> fold_danish("forløbstakst"), fold_danish("århus"), fold_danish("kommunekontaktråd")
    ('forloebstakst', 'aarhus', 'kommunekontaktraad')
    """
    return word.translate(_DANISH_TO_ASCII)


def has_digraph(word: str) -> bool:
    """True when `word` contains aa, ae or oe, the ASCII spellings of å, æ and ø."""
    return "aa" in word or "ae" in word or "oe" in word


def digraph_spellings(word: str, limit: int = 4) -> list[str]:
    """Spellings of `word` with some of its aa/ae/oe written as å/æ/ø, all of them first.

    >>> digraph_spellings("koebenhavn")
    ['københavn']
    >>> digraph_spellings("aarhus")
    ['århus']
    """
    spots = [
        (match.start(), letter)
        for digraph, letter in _DIGRAPHS
        for match in re.finditer(f"(?={digraph})", word)
    ]
    spots.sort()
    # Overlapping digraphs ("oee", "aaa") cannot both be letters; keep the leftmost reading.
    chosen: list[tuple[int, str]] = []
    for spot in spots:
        if not chosen or spot[0] >= chosen[-1][0] + 2:
            chosen.append(spot)
    chosen = chosen[:limit]
    spellings = []
    for mask in range((1 << len(chosen)) - 1, 0, -1):
        pieces, position = [], 0
        for bit, (start, letter) in enumerate(chosen):
            if mask & (1 << bit):
                pieces.append(word[position:start])
                pieces.append(letter)
                position = start + 2
        pieces.append(word[position:])
        spellings.append("".join(pieces))
    spellings.sort(key=len)
    return spellings


def is_all_caps(raw: str) -> bool:
    """True for "KKR", "SOSU", "KD"; false for "Kkr", "kkr", "2021"."""
    return raw.isupper() and sum(char.isalpha() for char in raw) >= 2
