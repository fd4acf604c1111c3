"""Parsing a user's search query into a structure the backends render (pure, never raises).

Syntax, as a user types it:

    sundhedsdirektørkredsen "fælles medicinkort" -covid -"status på" year:2021 body:KKR
    journal:00.15 kind:beslutning type:referat

* words: every word must match (AND), each through its analysis (stem, compound parts,
  abbreviation expansion); when too little matches every word, the search relaxes (`relax`)
  and also finds what matches most of them;
* +word: the word must match even then (a quoted phrase must too);
* "quoted phrases": the words in this order; an unbalanced quote runs to the end;
* a leading minus excludes a word or phrase;
* field filters `body:`, `year:` (2021 or 2019-2023), `kind:`, `type:`, `journal:` (a KLE
  journal-number prefix such as 00.15 or 00.15.10-P35), with a quoted value if it has spaces.
  Their values are not text to match; the backend applies them to its columns.

Everything else is text: `*`, `NEAR`, `AND`, `OR`, quotes inside words, semicolons,
parentheses and colons never reach a backend as operators, because only analysed terms (lower-
case letters and digits) come out of the analyzer and the renderers add every operator themselves.
"""

import enum
import itertools
import re
import unicodedata
from dataclasses import dataclass, field, replace

from .analyzer import Analyzer
from .words import Alternative, Phrase, Word, phrase_of, query_alternatives, word_sizes

MAX_QUERY_CHARS = 1000
MAX_REQUIRED = 24
MAX_EXCLUDED = 12
MAX_ALTERNATIVES = 8
MAX_PHRASE_TERMS = 32
MAX_FILTER_VALUE_CHARS = 100

FIELDS = ("body", "year", "kind", "type", "journal")

_QUOTE_CHARS = str.maketrans({c: '"' for c in "“”„‟«»″〃"})
_ITEM_RE = re.compile(
    r"""
    (?P<minus>[-−](?=["\w]))?
    (?P<plus>\+(?=\w))?
    (?:
        (?P<field>"""
    + "|".join(FIELDS)
    + r"""):(?:"(?P<quoted_value>[^"]*)"?|(?P<value>[^\s"]*))
      | "(?P<phrase>[^"]*)(?P<closing>"?)
      | (?P<word>[^\s"]+)
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)
_YEAR_RE = re.compile(r"(\d{4})(?:(?:-|–|\.\.)(\d{4}))?")
_JOURNAL_RE = re.compile(r"\d{2}(?:\.\d{2}){0,2}(?:-[A-ZÆØÅ]\d{2}(?:-\d+){0,2})?")


class QueryIssue(enum.StrEnum):
    """Something the UI may want to tell the user about their query."""

    EMPTY = "empty"
    ONLY_STOPWORDS = "only_stopwords"
    ONLY_EXCLUSIONS = "only_exclusions"
    TRUNCATED = "truncated"
    UNBALANCED_QUOTE = "unbalanced_quote"
    INVALID_FILTER = "invalid_filter"
    TOO_MANY_TERMS = "too_many_terms"


@dataclass(frozen=True)
class Clause:
    """One required or excluded part of a query: any of `alternatives` satisfies it.

    Each alternative is a run of terms that must stand next to each other in the index (a
    phrase; one term is a phrase of one).
    """

    text: str
    alternatives: tuple[Alternative, ...]
    is_phrase: bool = False
    # Never left out when a search relaxes (`relax`): a phrase, or a word written "+word".
    locked: bool = False
    # A compound word's parts (index terms), which a relaxed search may look for as words of
    # their own ("referatgodkendelse" as referat and godkend).
    parts: tuple[str, ...] = ()
    # A compound word's near form: its beginning as a prefix term and its last part
    # (`Analyzer.query_near`), which a relaxed search may look for instead.
    near: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldFilter:
    """`field:value`; several filters on one field are alternatives (OR), fields combine (AND)."""

    field: str
    value: str
    negated: bool = False

    @property
    def year_range(self) -> tuple[int, int] | None:
        """(first, last) year for a `year:` filter, else None."""
        if self.field != "year":
            return None
        first, _, last = self.value.partition("-")
        return int(first), int(last or first)


@dataclass(frozen=True)
class ParsedQuery:
    """A query as the backends need it; build it with `analyze_query`."""

    raw: str
    required: tuple[Clause, ...] = ()
    excluded: tuple[Clause, ...] = ()
    filters: tuple[FieldFilter, ...] = ()
    stopwords: tuple[str, ...] = ()
    issues: frozenset[QueryIssue] = field(default_factory=frozenset)
    ignored: tuple[str, ...] = ()

    @property
    def terms(self) -> list[str]:
        """Every term the query looks for (not the excluded ones), once each, in order."""
        return list(
            dict.fromkeys(
                term
                for clause in self.required
                for alternative in clause.alternatives
                for term in alternative
            )
        )

    @property
    def has_text(self) -> bool:
        return bool(self.required or self.excluded)

    @property
    def only_stopwords(self) -> bool:
        return QueryIssue.ONLY_STOPWORDS in self.issues

    @property
    def only_exclusions(self) -> bool:
        return QueryIssue.ONLY_EXCLUSIONS in self.issues


def parse_query(text: object, analyzer: Analyzer) -> ParsedQuery:
    """Parse `text` (any object; non-strings count as empty) into a `ParsedQuery`."""
    raw = text if isinstance(text, str) else ""
    issues: set[QueryIssue] = set()
    if len(raw) > MAX_QUERY_CHARS:
        raw = _truncate(raw)
        issues.add(QueryIssue.TRUNCATED)
    normalised = unicodedata.normalize("NFKC", raw).translate(_QUOTE_CHARS)
    if len(normalised) > MAX_QUERY_CHARS:
        normalised = _truncate(normalised)
        issues.add(QueryIssue.TRUNCATED)
    builder = _Builder(analyzer, issues)
    run: list[str] = []
    for match in _ITEM_RE.finditer(normalised):
        negated = bool(match["minus"])
        if match["word"] is not None and not negated and not match["plus"]:
            run.append(match["word"])
            continue
        builder.add_run(" ".join(run))
        run = []
        if match["word"] is not None and match["plus"]:
            builder.add_run(match["word"], locked=True)
        elif match["field"] is not None:
            value = match["quoted_value"] if match["quoted_value"] is not None else match["value"]
            builder.add_filter(match["field"].lower(), value, negated, match.group())
        elif match["phrase"] is not None:
            if not match["closing"]:
                issues.add(QueryIssue.UNBALANCED_QUOTE)
            builder.add_phrase(match["phrase"], negated)
        else:
            builder.add_excluded_words(match["word"])
    builder.add_run(" ".join(run))
    return builder.build(raw)


class _Builder:
    def __init__(self, analyzer: Analyzer, issues: set[QueryIssue]):
        self.analyzer = analyzer
        self.abbreviations = analyzer.abbreviation_index
        self.issues = issues
        self.required: list[Clause] = []
        self.excluded: list[Clause] = []
        self.filters: list[FieldFilter] = []
        self.stopwords: list[str] = []
        self.ignored: list[str] = []

    # -- text -------------------------------------------------------------------------------

    def add_run(self, text: str, locked: bool = False) -> None:
        """Bare words: one required clause per word (or per abbreviation / long form);
        `locked`: written "+word", never left out by a relaxed search."""
        if text:
            for clause in self._word_clauses(text):
                self._add(replace(clause, locked=True) if locked else clause, negated=False)

    def add_excluded_words(self, text: str) -> None:
        for clause in self._word_clauses(text):
            self._add(clause, negated=True)

    def _word_clauses(self, text: str) -> list[Clause]:
        words = self.analyzer.analyze_words(text)
        clauses = []
        index = 0
        while index < len(words):
            found = self.abbreviations.match_short(words, index)
            if found is not None:
                expansion, end = found
                alternatives = [expansion.short_terms, *expansion.long_alternatives]
                clauses.append(self._clause(text, words[index:end], alternatives))
                index = end
                continue
            found_long = self.abbreviations.match_long(words, index)
            if found_long is not None:
                expansions, end = found_long
                alternatives = query_alternatives(words[index:end])
                for expansion in expansions:
                    alternatives += [expansion.short_terms, *expansion.long_alternatives]
                clauses.append(self._clause(text, words[index:end], alternatives))
                index = end
                continue
            numbered = _numbered_run(text, words, index)
            if numbered > index + 1:
                # "2024-2027", "3-4", "§17 stk. 4-udvalget"'s "4-udvalget": the words as
                # written, next to each other; relaxed, each on its own (`parts`).
                run = words[index:numbered]
                terms = tuple(term for word in run for term in word.terms[:1])
                clause = self._clause(text, run, [phrase_of(run)])
                clauses.append(replace(clause, parts=terms if len(set(terms)) > 1 else ()))
                index = numbered
                continue
            word = words[index]
            index += 1
            if word.terms:
                clause = self._clause(text, [word], query_alternatives([word]))
                clauses.append(
                    replace(
                        clause,
                        parts=self.analyzer.query_parts(word),
                        near=self.analyzer.query_near(word),
                    )
                )
            elif word.stopword:
                self.stopwords.append(word.raw)
        return clauses

    def add_phrase(self, text: str, negated: bool) -> None:
        """A quoted phrase: the words' index terms in a row; abbreviations give variants."""
        words = self.analyzer.analyze_words(text)
        segments: list[list[Alternative]] = []
        index = 0
        while index < len(words):
            found = self.abbreviations.match_short(words, index)
            if found is not None:
                expansion, end = found
                segments.append([expansion.short_terms, *expansion.long_streams])
                index = end
                continue
            found_long = self.abbreviations.match_long(words, index)
            if found_long is not None:
                expansions, end = found_long
                own = phrase_of(words[index:end])
                variants = [own]
                for expansion in expansions:
                    variants += [expansion.short_terms, *expansion.long_streams]
                segments.append(variants)
                index = end
                continue
            word = words[index]
            index += 1
            if word.terms:
                segments.append([phrase_of([word])])
            elif word.stopword:
                self.stopwords.append(word.raw)
        if not segments:
            return
        alternatives: list[Alternative] = []
        for combination in itertools.islice(itertools.product(*segments), MAX_ALTERNATIVES):
            terms = tuple(term for segment in combination for term in segment)
            if len(terms) > MAX_PHRASE_TERMS:
                terms = terms[:MAX_PHRASE_TERMS]  # (a plain run of terms: no word sizes)
                self.issues.add(QueryIssue.TOO_MANY_TERMS)
            else:
                terms = Phrase(terms, [size for s in combination for size in word_sizes(s)])
            alternatives.append(terms)
        clause = Clause(text.strip(), tuple(dict.fromkeys(alternatives)), True, locked=True)
        self._add(clause, negated)

    def _clause(self, text: str, words: list[Word], alternatives: list[Alternative]) -> Clause:
        unique = tuple(dict.fromkeys(alt for alt in alternatives if alt))[:MAX_ALTERNATIVES]
        return Clause(text[words[0].start : words[-1].end], unique)

    def _add(self, clause: Clause, negated: bool) -> None:
        target, limit = (self.excluded, MAX_EXCLUDED) if negated else (self.required, MAX_REQUIRED)
        if not clause.alternatives:
            return
        if clause in target:
            return
        if len(target) >= limit:
            self.issues.add(QueryIssue.TOO_MANY_TERMS)
            self.ignored.append(("-" if negated else "") + clause.text)
            return
        target.append(clause)

    # -- filters ----------------------------------------------------------------------------

    def add_filter(self, name: str, value: str, negated: bool, written: str) -> None:
        value = " ".join(value.split())
        normalised = _normalise_filter(name, value)
        if normalised is None:
            self.issues.add(QueryIssue.INVALID_FILTER)
            self.ignored.append(written)
            return
        item = FieldFilter(name, normalised, negated)
        if item not in self.filters:
            self.filters.append(item)

    def build(self, raw: str) -> ParsedQuery:
        if not self.required and not self.excluded:
            if self.stopwords:
                self.issues.add(QueryIssue.ONLY_STOPWORDS)
            elif not self.filters:
                self.issues.add(QueryIssue.EMPTY)
        elif not self.required:
            self.issues.add(QueryIssue.ONLY_EXCLUSIONS)
        return ParsedQuery(
            raw=raw,
            required=tuple(self.required),
            excluded=tuple(self.excluded),
            filters=tuple(self.filters),
            stopwords=tuple(self.stopwords),
            issues=frozenset(self.issues),
            ignored=tuple(self.ignored),
        )


_JOINERS = frozenset("-–‐/.")


def _numbered_run(text: str, words: list, index: int) -> int:
    """The end of a run of words from `index` joined by a hyphen, a slash or a point alone
    (no space), one of them with a digit: "2024-2027", "3-4", "1.2"; `index` + 1 if none."""
    end = index + 1
    while (
        end < len(words)
        and words[end - 1].terms
        and words[end].terms
        and words[end].start - words[end - 1].end == 1
        and text[words[end - 1].end] in _JOINERS
    ):
        end += 1
    run = words[index:end]
    if end - index > 1 and any(char.isdigit() for word in run for char in word.raw):
        return end
    return index + 1


def _truncate(text: str) -> str:
    """The first `MAX_QUERY_CHARS` characters, ending at a space if one is near the end."""
    text = text[:MAX_QUERY_CHARS]
    space = max(text.rfind(" "), text.rfind("\t"), text.rfind("\n"))
    return text[:space] if space > MAX_QUERY_CHARS - 100 else text


def _normalise_filter(name: str, value: str) -> str | None:
    """The filter value in canonical form, or None when it cannot be used."""
    if not value or len(value) > MAX_FILTER_VALUE_CHARS:
        return None
    if name == "year":
        match = _YEAR_RE.fullmatch(value)
        if match is None:
            return None
        first, last = match[1], match[2] or match[1]
        if first > last:
            first, last = last, first
        return first if first == last else f"{first}-{last}"
    if name == "journal":
        value = value.upper()
        return value if _JOURNAL_RE.fullmatch(value) else None
    if not any(char.isalnum() for char in value):
        return None
    return value.casefold() if name in ("kind", "type") else value
