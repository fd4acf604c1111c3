"""OCR repair: undo the character confusions of old OCR on Danish text ('hgj' → 'høj').

Rules, not a word list:

- A document is repaired only when it shows the damage: almost no æ, ø, å although it is Danish,
  and several words that a confusion turns into frequent Danish words (or OCR output, ``force``).
- A word is changed only when it is not a frequent Danish word, and one or two substitutions from
  the confusion table (ø read as g/o/a/e, æ as ae/ee/e/a, å as a, I as 1/|) turn it into a word that
  is (by wordfreq's Danish list, or as a compound of two such words), and clearly more frequent.
- 'IV' read as '1V', '|V', '1\\VV': a run of 1, |, l and V becomes the Roman numeral when the
  document itself, or the numeral list, knows it; a lone '|' between words is 'I'; a lone 'e' that
  starts a line is a bullet.

Every change is counted and reported in the output's warnings.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from functools import lru_cache

# substring as OCR read it -> what it may have been
CONFUSIONS: dict[str, tuple[str, ...]] = {
    "ae": ("æ",),
    "ee": ("æ",),
    "oe": ("ø",),
    "aa": ("å",),
    "g": ("ø",),
    "a": ("å", "æ", "ø"),
    "e": ("æ", "ø"),
    "o": ("ø", "å"),
    "0": ("ø",),
}
MAX_SUBSTITUTIONS = 2
# A word is repaired only up to this length: the search grows with the cube of a word's length
# (a 400-letter run took minutes), and no Danish word of a meeting document is longer.
MAX_WORD_LENGTH = 40
# A whole text's repair stops after this many seconds (what is left stays as written).
TIME_BUDGET_SECONDS = 20.0
FREQUENT = 3.0  # Zipf frequency of a word a reader meets often
KNOWN = 2.0  # a word in the list at all
MARGIN = 1.5  # how much more frequent the repaired word must be than a known original
ROMAN = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}

_TOKEN = re.compile(r"\S+")
_CORE = re.compile(r"^([\"'(\[«„“]*)(.*?)([\"')\]»“”.,:;!?]*)$")  # what _split_core gives
_LEAD_MARKS = frozenset("\"'([«„“")
_TAIL_MARKS = frozenset("\"')]»“”.,:;!?")
_ROMAN_DAMAGE = re.compile(r"^[1|lI\\]+\\?[VX]+$")
_DANISH_LETTERS = re.compile(r"[æøåÆØÅ]")
_LETTERS = re.compile(r"[A-Za-zæøåÆØÅ]")


@lru_cache(maxsize=1)
def lexicon() -> dict[str, float]:
    """Danish word → Zipf frequency (wordfreq's list)."""
    from wordfreq import get_frequency_dict

    return {word: math.log10(freq) + 9 for word, freq in get_frequency_dict("da").items()}


def zipf(word: str) -> float:
    return lexicon().get(word.casefold(), 0.0)


_SUFFIXES = ("erne", "ende", "ene", "ers", "er", "en", "et", "es", "ne", "e", "r", "s", "t")


def _compound(word: str, depth: int = 0) -> float:
    """Quality of ``word`` read as two (or three) known words joined, with an optional linking
    s or e; 0 when it cannot be read so. Weaker than a listed word of the same frequency."""
    lex = lexicon()
    word = word.casefold()
    if len(word) < 7 or depth > 1:
        return 0.0
    best = 0.0
    for cut in range(3, len(word) - 3):
        left, right = word[:cut], word[cut:]
        left_q = lex.get(left, 0.0)
        if left_q < KNOWN + 0.5 and left[-1] in "se":
            left_q = lex.get(left[:-1], 0.0)
        if left_q < KNOWN + 0.5:
            continue
        right_q = lex.get(right, 0.0) or _inflected(right) or _compound(right, depth + 1)
        if right_q >= KNOWN + 0.5:
            best = max(best, min(left_q, right_q) - 1.5)
    return best


def _inflected(word: str) -> float:
    """Quality of ``word`` as a listed word with a Danish ending ('indlæggelse' + 'r')."""
    lex = lexicon()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            stem_q = lex.get(word[: -len(suffix)], 0.0)
            if stem_q >= FREQUENT:
                return stem_q - 0.5
    return 0.0


@lru_cache(maxsize=200_000)
def quality(word: str) -> float:
    """How sure we are that ``word`` is Danish: Zipf frequency, else as inflected or compound."""
    word = word.casefold()
    value = zipf(word)
    if value:
        return value
    return max(_inflected(word), _compound(word))


# Confusions that OCR makes with a visibly damaged letter ('g' for 'ø', 'ae' for 'æ'); the
# others ('e' for 'æ', 'a' for 'å') turn one real letter into another and are trusted only when
# they lead to a listed word.
STRONG_CONFUSIONS = frozenset({"ae", "ee", "oe", "aa", "g", "0"})


def _candidates(word: str) -> dict[str, tuple[int, bool]]:
    """Spellings one or two confusions away: (substitutions used, whether a weak one was used)."""
    lower = word.casefold()
    out: dict[str, tuple[int, bool]] = {}

    def walk(text: str, start: int, used: int, weak: bool) -> None:
        if used == MAX_SUBSTITUTIONS:
            return
        for pos in range(start, len(text)):
            for source, targets in CONFUSIONS.items():
                if text.startswith(source, pos):
                    now_weak = weak or source not in STRONG_CONFUSIONS
                    for target in targets:
                        new = text[:pos] + target + text[pos + len(source) :]
                        if new not in out or out[new] > (used + 1, now_weak):
                            out[new] = (used + 1, now_weak)
                        walk(new, pos + len(target), used + 1, now_weak)

    walk(lower, 0, 0, False)
    out.pop(lower, None)
    return out


def _plausible_as_written(word: str) -> bool:
    """Whether ``word`` reads as Danish as it stands, by looser tests than ``quality``: a known
    stem with an ending ('perifer' + 't'), or a known word joined to a short frequent one
    ('befolknings' + 'tal')."""
    lower = word.casefold()
    if zipf(lower):
        return True
    lex = lexicon()
    for suffix in _SUFFIXES:
        if (
            lower.endswith(suffix)
            and len(lower) - len(suffix) >= 4
            and lex.get(lower[: -len(suffix)])
        ):
            return True
    for cut in range(3, len(lower) - 2):
        left, right = lower[:cut], lower[cut:]
        left_known = lex.get(left) or (left[-1] in "se" and lex.get(left[:-1]))
        if left_known and lex.get(right, 0.0) >= 4.0:
            return True
    return False


@lru_cache(maxsize=50_000)
def repair_word(word: str) -> str | None:
    """The repaired spelling of one word (letters only), or None to leave it."""
    if not 2 <= len(word) <= MAX_WORD_LENGTH or not word.isalpha() or _DANISH_LETTERS.search(word):
        return None
    if word.isupper() and len(word) > 1:
        return None  # acronyms
    original = quality(word)
    if original >= 5.0:
        return None
    best, best_rank, best_q = None, -1.0, 0.0
    plausible = _plausible_as_written(word)
    for cand, (used, weak) in _candidates(word).items():
        q = quality(cand)
        if weak and plausible and not zipf(cand):
            continue  # a real letter read as another only beats a plausible word if listed
        # The fewest substitutions win unless a longer repair reads clearly better.
        rank = q - 1.5 * (used - 1) - (0.75 if weak else 0.0)
        if q and rank > best_rank:
            best, best_rank, best_q = cand, rank, q
    if best is None:
        return None
    listed_over_unlisted = zipf(best) >= FREQUENT and not zipf(word)
    margin = MARGIN if original < 3.5 else MARGIN + 1.0
    if not original:
        if best_q < 1.5:
            return None
    elif not listed_over_unlisted and (best_q < KNOWN + 0.5 or best_q - original < margin):
        return None
    if word[0].isupper():
        best = best[0].upper() + best[1:]
    return best


def _repair_part(part: str, vocabulary: Counter[str]) -> str:
    if _ROMAN_DAMAGE.match(part) and not part.isalpha() or part in {"|V", "lV", "1V"}:
        guess = "I" + re.sub(r"V+", "V", re.sub(r"[1|lI\\]+", "", part))
        if guess in ROMAN or vocabulary[guess] >= 2:
            return guess
    fixed = repair_word(part)
    return fixed if fixed else part


def _split_core(token: str) -> tuple[str, str, str]:
    """Leading quotes and brackets, the word, trailing punctuation: what ``_CORE`` matches
    in a token (which holds no line break), without its backtracking. The pattern tried every
    end of its lazy middle against the rest: 63 s for a 200 kB token of brackets with one odd
    character among them (found by bench/fuzz_parsers.py)."""
    start = 0
    while start < len(token) and token[start] in _LEAD_MARKS:
        start += 1
    end = len(token)
    while end > start and token[end - 1] in _TAIL_MARKS:
        end -= 1
    return token[:start], token[start:end], token[end:]


def _repair_token(token: str, vocabulary: Counter[str]) -> str:
    lead, core, tail = _split_core(token)
    if core == "|":
        return f"{lead}I{tail}"
    parts = core.split("-")
    fixed = [_repair_part(p, vocabulary) if p else p for p in parts]
    return lead + "-".join(fixed) + tail


def damage_score(text: str) -> tuple[int, int, float]:
    """(words that a rule would change, words looked at, share of æøå among the letters)."""
    letters = len(_LETTERS.findall(text))
    danish = len(_DANISH_LETTERS.findall(text))
    share = danish / letters if letters else 0.0
    words = re.findall(r"[A-Za-z]{2,}", text[:20_000])
    changed = sum(1 for w in words if repair_word(w))
    return changed, len(words), share


def looks_damaged(text: str) -> bool:
    if len(text) < 200:
        return False
    letters = len(_LETTERS.findall(text[:20_000]))
    if not letters or len(_DANISH_LETTERS.findall(text[:20_000])) / letters >= 0.004:
        return False
    changed, total, share = damage_score(text)
    return total >= 30 and share < 0.004 and changed >= max(3, total // 100)


def repair_text(text: str, budget_seconds: float = TIME_BUDGET_SECONDS) -> tuple[str, int]:
    """The repaired text and how many words were changed (-1 when the time budget ran out: the
    rest of the text is left as written)."""
    deadline = time.monotonic() + budget_seconds
    vocabulary = Counter(text.split())
    vocabulary.update(part for token in text.split() for part in token.strip(".,:;()").split("-"))
    changes = 0
    out_lines = []
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if time.monotonic() > deadline:
            out_lines.extend(lines[number:])
            return "\n".join(out_lines), -1
        pieces = []
        position = 0
        for i, match in enumerate(_TOKEN.finditer(line)):
            token = match.group()
            if i == 0 and token == "e" and line[match.end() :].startswith(" "):
                new = "•"
            else:
                new = _repair_token(token, vocabulary)
            if new != token:
                changes += 1
            pieces.append(line[position : match.start()])
            pieces.append(new)
            position = match.end()
        pieces.append(line[position:])
        out_lines.append("".join(pieces))
    return "\n".join(out_lines), changes


def repair_if_damaged(text: str, force: bool = False) -> tuple[str, list[str]]:
    """Repair ``text`` when it shows OCR damage (or ``force``); returns text and warnings."""
    if not (force or looks_damaged(text)):
        return text, []
    repaired, changes = repair_text(text)
    if changes == -1:
        return repaired, [
            "Teksten bærer præg af OCR-fejl, men er for lang eller for beskadiget til at blive "
            "rettet helt inden for tidsgrænsen; en del af den står, som den blev læst."
        ]
    if not changes:
        return text, []
    return repaired, [
        f"Teksten bærer præg af OCR-fejl (fx 'hgj' for 'høj'); {changes} ord er rettet "
        "automatisk ud fra en dansk ordliste. Kontroller teksten."
    ]
