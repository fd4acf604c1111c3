"""Rendering a `ParsedQuery` for the two backends, from analysed terms only.

Both backends index the analyzer's terms joined by spaces (`index_text`): SQLite in an FTS5
table whose tokenizer splits on white space (or unicode61; terms are letters and digits, so
either keeps them whole), PostgreSQL with `to_tsvector('simple', ...)`. The renderers add every
operator themselves and quote every term, and a term is used only if it is letters and digits
(`str.isalnum`), so nothing a user types can become FTS5 or tsquery syntax.

Semantics, identical on both: clauses are ANDed; a clause's alternatives are ORed; an
alternative of several terms is a phrase (adjacent positions; PostgreSQL is asked for each
word's first term at its distance, the rest of a word's terms always follow it); excluded
clauses are ORed and negated.
"""

from dataclasses import dataclass

from .query import Clause, ParsedQuery
from .words import PREFIX_MARK, Alternative, is_prefix_term, word_sizes


@dataclass(frozen=True)
class Fts5Match:
    """What to hand SQLite.

    `match` is the MATCH expression, with the exclusions already in it (`... NOT (...)`). FTS5
    cannot express a query that only excludes, so then `match` is None and `exclude` holds the
    expression for the rows to leave out:

        if q.match:     ... WHERE search MATCH :match
        elif q.exclude: ... WHERE rowid NOT IN (SELECT rowid FROM search WHERE search MATCH :exclude)
        else:           no text condition (a query of filters only, or nothing to search for)
    """

    match: str | None
    exclude: str | None = None


def _usable(term: str) -> bool:
    return term.isalnum() or is_prefix_term(term)


def _safe(alternative: Alternative) -> Alternative:
    """The alternative's terms that are letters and digits (and a prefix term alone)."""
    if len(alternative) == 1 and _usable(alternative[0]):
        return alternative
    if all(term.isalnum() for term in alternative):
        return alternative  # (a `Phrase` keeps its words' sizes)
    return tuple(term for term in alternative if term.isalnum())


def safe_alternatives(clause: Clause) -> list[Alternative]:
    """The clause's alternatives with only letter-and-digit terms (empty ones dropped), as the
    index is asked for them: without those of several terms that hold a one-term
    alternative's term, which find only documents that one finds ("intravenøs behandling"
    beside "intravenøs", both long forms of IV; a phrase in a tsquery makes PostgreSQL read
    the matching rows' positions). The clause keeps them for highlighting."""
    safe = [alternative for alternative in map(_safe, clause.alternatives) if alternative]
    single = {alternative[0] for alternative in safe if len(alternative) == 1}
    return [alt for alt in safe if len(alt) == 1 or not single.intersection(alt)]


def _fts5_phrase(alternative: Alternative) -> str:
    if is_prefix_term(alternative[-1]):
        return '"' + " ".join((*alternative[:-1], alternative[-1][:-1])) + '" ' + PREFIX_MARK
    return '"' + " ".join(alternative) + '"'


def _fts5_clause(clause: Clause) -> str | None:
    rendered = [_fts5_phrase(alternative) for alternative in safe_alternatives(clause)]
    if not rendered:
        return None
    return rendered[0] if len(rendered) == 1 else "(" + " OR ".join(rendered) + ")"


def to_fts5_match(parsed: ParsedQuery) -> Fts5Match:
    """The FTS5 MATCH expression for `parsed`.

    >>> from sekretariat.search.analysis import analyze_query
    >>> to_fts5_match(analyze_query('direktørkreds -"status på" takst')).match
    '(("direktoerkred" OR "direktoer0kred") AND "takst") NOT "status"'
    >>> to_fts5_match(analyze_query("-covid"))
    Fts5Match(match=None, exclude='"covid"')
    """
    required = [text for text in map(_fts5_clause, parsed.required) if text]
    excluded = [text for text in map(_fts5_clause, parsed.excluded) if text]
    excluded_expression = " OR ".join(excluded)
    if not required:
        return Fts5Match(None, excluded_expression or None)
    expression = " AND ".join(required)
    if excluded:
        if len(required) > 1:
            expression = f"({expression})"
        if len(excluded) > 1:
            excluded_expression = f"({excluded_expression})"
        expression = f"{expression} NOT {excluded_expression}"
    return Fts5Match(expression)


def _tsquery_phrase(alternative: Alternative) -> str:
    """Each word's first term, at its distance from the one before ("'a' <-> 'b' <4> 'c'");
    the terms after a word's first always follow it in the index (see `words.Phrase`)."""
    rendered, start, gap = [], 0, 0
    for size in word_sizes(alternative):
        if rendered:
            rendered.append("<->" if gap == 1 else f"<{gap}>")
        term = alternative[start]
        rendered.append(f"'{term[:-1]}':*" if is_prefix_term(term) else f"'{term}'")
        start, gap = start + size, size
    return " ".join(rendered)


def _tsquery_clause(clause: Clause) -> str | None:
    rendered = []
    for alternative in safe_alternatives(clause):
        phrase = _tsquery_phrase(alternative)
        rendered.append(f"( {phrase} )" if " " in phrase else phrase)
    if not rendered:
        return None
    return rendered[0] if len(rendered) == 1 else "( " + " | ".join(rendered) + " )"


def to_tsquery(parsed: ParsedQuery) -> str | None:
    """A string for `to_tsquery('simple', %s)`, or None when there is no text to search for.

    Unlike FTS5, a tsquery can consist of exclusions alone.

    >>> from sekretariat.search.analysis import analyze_query
    >>> to_tsquery(analyze_query('direktørkreds -"status på" takst'))
    "( 'direktoerkred' | 'direktoer0kred' ) & 'takst' & !'status'"
    """
    parts = [text for text in map(_tsquery_clause, parsed.required) if text]
    for clause in parsed.excluded:
        text = _tsquery_clause(clause)
        if text:
            parts.append(f"!{text}" if text.startswith(("'", "(")) else f"!( {text} )")
    return " & ".join(parts) or None
