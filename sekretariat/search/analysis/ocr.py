"""Repairing OCR damage the importer left in scanned agendas.

Scanned PDFs of older agendas come through OCR with the Danish letters misread: "hgj" for
"høj", "forlgb" for "forløb", "starre" for "større", "degn" for "døgn", "foregar" for "foregår",
"veere" for "være", "serligt" for "særligt" (seed 002 of the project's examples). The Roman
numeral IV becomes "1V", "1VV", "IVV" or "|V"; the tokenizer catches those
(`normalise.OCR_IV_PATTERN`).

The rule is conservative, applied per word at index and query time alike:

* a word that is known (listed, or splits into listed parts) is never changed;
* an unknown word is replaced by a known word that `CONFUSIONS` can turn it into with at most
  `MAX_SUBSTITUTIONS` substitutions, the fewest substitutions first and then the commonest
  word; the replacement must be listed with at least `MIN_REPAIR_ZIPF`, or, for a single
  substitution, a compound of parts of four letters or more in which the repaired part is a
  common listed word that was not a word before the repair ("behandlingsforlgb" ->
  "behandlingsforløb", but not "overvurderet" -> "øvervurderet": "over" is a word already);
* three-letter words only get the g-for-ø repair ("hgj"), the commonest misreading, because
  short words have too many near neighbours ("kle" is one e-for-ø away from "klø").

What it cannot tell apart: an unlisted name one misreading away from a listed word ("Meller"
becomes "møller"). Documents and queries go through the same repair, so a search for the name
still finds it; it also finds the other spelling.
"""

from collections.abc import Callable, Iterator
from typing import NamedTuple

# (misread, meant): the OCR misreadings of æ, ø and å seen in the secretariats' scans, plus o
# for ø, which is also how people type without a Danish keyboard ("hoj", "forlob").
CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("g", "ø"),
    ("a", "ø"),
    ("e", "ø"),
    ("o", "ø"),
    ("a", "å"),
    ("ee", "æ"),
    ("e", "æ"),
    ("a", "æ"),
    ("ea", "æ"),
)
SHORT_WORD_CONFUSIONS: tuple[tuple[str, str], ...] = (("g", "ø"),)
MAX_SUBSTITUTIONS = 2
MIN_REPAIR_LENGTH = 3
MIN_REPAIR_ZIPF = 3.0
MAX_REPAIR_LENGTH = 30


class Candidate(NamedTuple):
    """A repaired spelling; `position` and `length` locate its last substitution (position in
    the repaired spelling, length of the misread text it replaced)."""

    spelling: str
    count: int
    position: int
    length: int


def candidates(word: str, max_substitutions: int = MAX_SUBSTITUTIONS) -> Iterator[Candidate]:
    """Every repair of `word`, fewest substitutions first.

    >>> [c.spelling for c in candidates("hgj") if c.count == 1]
    ['høj']
    """
    confusions = SHORT_WORD_CONFUSIONS if len(word) <= MIN_REPAIR_LENGTH else CONFUSIONS
    seen = {word}
    frontier = [(word, 0)]
    for count in range(1, max_substitutions + 1):
        next_frontier = []
        for spelling, start in frontier:
            for position in range(start, len(spelling)):
                for misread, meant in confusions:
                    if spelling.startswith(misread, position):
                        repaired = spelling[:position] + meant + spelling[position + len(misread) :]
                        if repaired not in seen:
                            seen.add(repaired)
                            # Later substitutions only to the right: each set is made once.
                            next_frontier.append((repaired, position + len(meant)))
                            yield Candidate(repaired, count, position, len(misread))
        frontier = next_frontier


def repair(
    word: str,
    zipf: Callable[[str], float],
    is_compound_repair: Callable[[str, Candidate], bool],
) -> str | None:
    """The known word an unknown OCR-damaged `word` stands for, or None.

    `zipf` gives a word's frequency (0 when unlisted); `is_compound_repair(word, candidate)`
    says whether a single-substitution candidate is an acceptable compound repair (see above).
    The caller has already checked that `word` itself is unknown.

    >>> from sekretariat.search.analysis.lexicon import Lexicon
    >>> lexicon = Lexicon.from_wordfreq()
    >>> [repair(word, lexicon.zipf, lambda w, c: False) for word in ("hgj", "forlgb", "starre")]
    ['høj', 'forløb', 'større']
    >>> repair("rossavik", lexicon.zipf, lambda w, c: False) is None
    True
    """
    if not (MIN_REPAIR_LENGTH <= len(word) <= MAX_REPAIR_LENGTH) or not word.isalpha():
        return None
    best: tuple[int, float, str] | None = None
    single_substitutions = []
    for candidate in candidates(word):
        if best is not None and candidate.count > best[0]:
            break
        frequency = zipf(candidate.spelling)
        if frequency >= MIN_REPAIR_ZIPF and (
            best is None or (candidate.count, -frequency) < best[:2]
        ):
            best = (candidate.count, -frequency, candidate.spelling)
        if candidate.count == 1:
            single_substitutions.append(candidate)
    if best is not None:
        return best[2]
    for candidate in single_substitutions:
        if is_compound_repair(word, candidate):
            return candidate.spelling
    return None
