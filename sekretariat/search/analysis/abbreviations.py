"""Abbreviations of the field and their long forms.

Policy: expansion happens at query time, in both directions. A query for "KKR" also searches
for "Kommunekontaktråd", and a query for "Kommunekontaktrådet" also searches for "KKR"; the
index holds only what the text says. Why query time rather than index time:

* an installation can add its own abbreviations (`load_abbreviations`, `Analyzer(...)`), and
  they work at once, without re-indexing every document;
* the index stays the text's own words, so phrase positions are not disturbed by inserted
  expansions, and a snippet never highlights a word the text does not contain;
* a long form of several words ("Praktiserende Lægers Organisation") would have to be
  recognised across word boundaries at index time; at query time it is one phrase.

The one index-time effect: an abbreviation written in capitals whose lower-case form is a stop
word ("MED", the MED committee, versus "med", with) is kept as a term, while the stop word is
not. Adding such an abbreviation therefore needs a re-index to find it in old documents.

`case_sensitive` marks abbreviations whose lower-case spelling is an ordinary word or a stop
word ("kl." is klokken, "med" is with): only the capital spelling is expanded. When not given,
it is worked out: stop words and common words (`AMBIGUOUS_ZIPF`) are case-sensitive.
"""

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from os import PathLike
from typing import Any

from .normalise import normalise_word
from .stopwords import is_stopword
from .words import Alternative, Word, phrase_of, query_alternatives

AMBIGUOUS_ZIPF = 4.5


@dataclass(frozen=True)
class Abbreviation:
    """An abbreviation ("KD-Net") and what it stands for ("kommunaldirektørnetværk")."""

    short: str
    long_forms: tuple[str, ...]
    case_sensitive: bool | None = None


# Sources: the seed agendas, KL's own usage and the DOMAIN glossary. Long forms are written as
# the secretariats write them; inflected forms are matched through the stemmer.
DEFAULT_ABBREVIATIONS: tuple[Abbreviation, ...] = (
    Abbreviation("KKR", ("Kommunekontaktråd",)),
    Abbreviation("KL", ("Kommunernes Landsforening",), case_sensitive=True),
    Abbreviation("SSU", ("Sundhedssamarbejdsudvalg",)),
    Abbreviation("SDK", ("Sundhedsdirektørkredsen",)),
    Abbreviation("FU", ("forretningsudvalg",)),
    Abbreviation("KD-Net", ("kommunaldirektørnetværk",)),
    Abbreviation("PLO", ("Praktiserende Lægers Organisation",)),
    Abbreviation("FMK", ("Fælles Medicinkort",)),
    Abbreviation("KLE", ("Kommunernes Landsforenings Emnesystematik",)),
    Abbreviation("SOSU", ("social- og sundhed",)),
    Abbreviation("SSA", ("social- og sundhedsassistent",)),
    Abbreviation("SSH", ("social- og sundhedshjælper",)),
    Abbreviation("IV", ("intravenøs behandling", "intravenøs")),
    Abbreviation("MED", ("medindflydelse og medbestemmelse",), case_sensitive=True),
    Abbreviation("PVK", ("perifert venekateter",)),
    Abbreviation("CVK", ("centralt venekateter",)),
    Abbreviation("EPJ", ("elektronisk patientjournal",)),
    Abbreviation("RAR", ("Regionalt Arbejdsmarkedsråd",)),
    Abbreviation("SDU", ("Syddansk Universitet",)),
    Abbreviation("DUT", ("Det Udvidede Totalbalanceprincip",)),
    Abbreviation("FSIII", ("Fælles Sprog III",)),
)


class AbbreviationFormatError(ValueError):
    """The extra abbreviations given by the installation are not in a form we understand."""


def abbreviations_from_pairs(data: Mapping[str, Any] | Iterable[Any]) -> tuple[Abbreviation, ...]:
    """Abbreviations from a mapping or a list, as read from JSON.

    Accepted: {"ABBR": "long form"}, {"ABBR": ["long form", "other long form"]},
    [["ABBR", "long form"], ...] and [{"short": "ABBR", "long": "long form"}, ...] (with an
    optional "case_sensitive": true).

    >>> abbreviations_from_pairs({"BUU": "Børne- og Ungdomsudvalget"})
    (Abbreviation(short='BUU', long_forms=('Børne- og Ungdomsudvalget',), case_sensitive=None),)
    """
    items: list[Abbreviation] = []
    entries = data.items() if isinstance(data, Mapping) else data
    for entry in entries:
        case_sensitive = None
        if isinstance(entry, Mapping):
            short, long_forms = entry.get("short"), entry.get("long")
            case_sensitive = entry.get("case_sensitive")
        elif isinstance(entry, list | tuple) and len(entry) == 2:
            short, long_forms = entry
        else:
            raise AbbreviationFormatError(f"Cannot read abbreviation entry {entry!r}.")
        if isinstance(long_forms, str):
            long_forms = [long_forms]
        if (
            not isinstance(short, str)
            or not short.strip()
            or not isinstance(long_forms, list | tuple)
            or not long_forms
            or not all(isinstance(form, str) and form.strip() for form in long_forms)
            or case_sensitive not in (None, True, False)
        ):
            raise AbbreviationFormatError(f"Cannot read abbreviation entry {entry!r}.")
        items.append(
            Abbreviation(short.strip(), tuple(form.strip() for form in long_forms), case_sensitive)
        )
    return tuple(items)


def load_abbreviations(path: str | PathLike[str]) -> tuple[Abbreviation, ...]:
    """Read an installation's extra abbreviations from a JSON file (see `abbreviations_from_pairs`)."""
    with open(path, encoding="utf-8") as handle:
        try:
            data = json.load(handle)
        except json.JSONDecodeError as error:
            raise AbbreviationFormatError(f"{path}: not valid JSON ({error}).") from error
    return abbreviations_from_pairs(data)


def merge_abbreviations(*tables: Iterable[Abbreviation]) -> tuple[Abbreviation, ...]:
    """One entry per abbreviation, long forms of later tables added to earlier ones.

    An explicit `case_sensitive` in a later table overrides the earlier value.
    """
    merged: dict[str, Abbreviation] = {}
    for table in tables:
        for item in table:
            key = item.short.casefold()
            known = merged.get(key)
            if known is None:
                merged[key] = item
                continue
            forms = known.long_forms + tuple(
                f for f in item.long_forms if f not in known.long_forms
            )
            case_sensitive = (
                known.case_sensitive if item.case_sensitive is None else item.case_sensitive
            )
            merged[key] = Abbreviation(known.short, forms, case_sensitive)
    return tuple(merged.values())


@dataclass(frozen=True)
class Expansion:
    """An abbreviation in analysed form: what to search for when either spelling is asked for."""

    abbreviation: Abbreviation
    short_key: tuple[str, ...]
    short_terms: Alternative
    # Per long form: the query alternatives of its words, and the run of terms it leaves in
    # the index (used inside quoted phrases).
    long_alternatives: tuple[Alternative, ...]
    long_streams: tuple[Alternative, ...]
    case_sensitive: bool


class AbbreviationIndex:
    """Finds abbreviations and long forms in a query's words.

    Built from the analyzer's own `analyze_words`, so a long form is recognised by its stems
    ("Kommunekontaktrådet" is the long form of KKR) and searched for as the index holds it.
    """

    def __init__(
        self,
        abbreviations: Iterable[Abbreviation],
        analyze_words: Callable[[str], list[Word]],
        zipf: Callable[[str], float],
    ):
        self.by_short: dict[tuple[str, ...], Expansion] = {}
        self.by_long: dict[tuple[str, ...], list[Expansion]] = {}
        for abbreviation in abbreviations:
            short_words = analyze_words(abbreviation.short)
            short_key = tuple(word.key for word in short_words)
            short_terms = tuple(term for word in short_words for term in word.terms)
            if not short_key or not short_terms:
                continue
            long_keys, long_alternatives, long_streams = [], [], []
            for long_form in abbreviation.long_forms:
                long_words = analyze_words(long_form)
                long_key = tuple(word.main for word in long_words if word.main)
                if long_key:
                    long_keys.append(long_key)
                    long_alternatives.extend(query_alternatives(long_words))
                    long_streams.append(phrase_of(long_words))
            case_sensitive = abbreviation.case_sensitive
            if case_sensitive is None:
                case_sensitive = (
                    any(is_stopword(word.key) for word in short_words)
                    or zipf(normalise_word(abbreviation.short)) >= AMBIGUOUS_ZIPF
                )
            expansion = Expansion(
                abbreviation,
                short_key,
                short_terms,
                tuple(dict.fromkeys(long_alternatives)),
                tuple(dict.fromkeys(long_streams)),
                case_sensitive,
            )
            self.by_short[short_key] = expansion
            for long_key in long_keys:
                self.by_long.setdefault(long_key, []).append(expansion)
        self._longest_short = max((len(key) for key in self.by_short), default=0)
        self._longest_long = max((len(key) for key in self.by_long), default=0)

    def match_short(self, words: list[Word], start: int) -> tuple[Expansion, int] | None:
        """The abbreviation written at words[start:], and the index after it."""
        for length in range(min(self._longest_short, len(words) - start), 0, -1):
            span = words[start : start + length]
            expansion = self.by_short.get(tuple(word.key for word in span))
            if expansion is None:
                continue
            if expansion.case_sensitive and not all(_capitals(word.raw) for word in span):
                continue
            return expansion, start + length
        return None

    def match_long(self, words: list[Word], start: int) -> tuple[list[Expansion], int] | None:
        """The long forms written at words[start:] (stop words skipped), and the index after."""
        if not words[start].main:
            return None
        mains: list[str] = []
        ends: list[int] = []
        for index in range(start, len(words)):
            if len(mains) == self._longest_long:
                break
            if words[index].main:
                mains.append(words[index].main)
                ends.append(index + 1)
        for length in range(len(mains), 0, -1):
            expansions = self.by_long.get(tuple(mains[:length]))
            if expansions:
                return expansions, ends[length - 1]
        return None


def _capitals(raw: str) -> bool:
    letters = [char for char in raw if char.isalpha()]
    return bool(letters) and letters[0].isupper() and (len(letters) == 1 or raw.isupper())
