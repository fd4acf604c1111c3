"""Relaxing a query that found too little: best match instead of every word (pure).

A query's words are all required (`query`), which is what a user wants while there is enough to
read. People type more words than the item has, though, or a compound that the item writes as
words of their own ("referatgodkendelse" for "godkendelse af referatet"), and then every word
required finds nothing. The search then also runs relaxed forms of the query, each still an AND
of clauses the backends know how to run fast:

* a compound word may be matched by its parts as words of their own (`Clause.parts`), which
  counts `SPLIT_WORTH` of the word, or by its near form (`Clause.near`: its beginning as a
  prefix and its last part, "sygeplej*" and "stud" for "sygeplejestuderende"), `NEAR_WORTH`;
* a word may be left out, which counts nothing.

Each word counts by its rarity in the index (`clause_weight`: the inverse document frequency,
as BM25 has it), so leaving out "kommune" costs little and leaving out "storskrald" much. A
relaxed form's `coverage` is the share of the query's weight it keeps; the forms are run best
first, and what each finds ranks after everything found before it (by coverage, then by the
backend's score). Quoted phrases and words written "+word" are never left out (`locked`), and
neither is every word: at least one clause is kept.

    >>> from sekretariat.search.analysis import analyze_query
    >>> parsed = analyze_query("ny legeplads gymnasium")
    >>> forms = relaxations(parsed, [1.0, 4.0, 3.0])
    >>> [(round(f.coverage, 2), f.missing, f.split) for f in forms[:4]]
    [(0.88, ('ny',), ()), (0.85, (), ('legeplads',)), (0.72, ('ny',), ('legeplads',)), (0.62, ('gymnasium',), ())]
"""

import itertools
import math
from dataclasses import dataclass, replace

from .query import Clause, ParsedQuery

# What a compound matched by its parts only is worth, against the word itself.
SPLIT_WORTH = 0.7
# What a compound matched by its near form (`Clause.near`) is worth.
NEAR_WORTH = 0.5
# At most this many relaxed forms are made for one search.
MAX_FORMS = 24
# Beyond this many relaxable clauses, only one clause is left out at a time (3^n forms).
MAX_ENUMERATED_CLAUSES = 7


@dataclass(frozen=True)
class Relaxation:
    """One relaxed form of a query: run `parsed` (still every clause of it required)."""

    parsed: ParsedQuery
    # The share of the query's weight that a document it finds has (at least).
    coverage: float
    # The clauses left out, as the user wrote them.
    missing: tuple[str, ...]
    # The compound words matched by their parts only.
    split: tuple[str, ...] = ()


def clause_weight(documents: int, total: int) -> float:
    """A clause's worth by the number of documents it is in: BM25's inverse document
    frequency, log(1 + (N - n + 0.5) / (n + 0.5))."""
    total = max(total, documents, 1)
    return math.log(1.0 + (total - documents + 0.5) / (documents + 0.5))


def can_relax(parsed: ParsedQuery) -> bool:
    """Whether relaxing can find anything the query does not: a clause that may be left out,
    or a compound that may be matched by its parts."""
    clauses = parsed.required
    if not clauses:
        return False
    droppable = [clause for clause in clauses if not clause.locked]
    return (len(droppable) >= 1 and len(clauses) >= 2) or any(
        clause.parts and not clause.locked for clause in clauses
    )


def title_coverage(parsed: ParsedQuery, weights: list[float], title_terms: list[str]) -> float:
    """The share of the query's weight found in a title's index terms: a clause counts when
    one of its alternatives stands in the title as a run of terms, or (at `SPLIT_WORTH`) when
    all its compound's parts are in the title."""
    total = sum(weights)
    if not total:
        return 0.0
    joined = " " + " ".join(title_terms) + " "
    present = set(title_terms)
    found = 0.0
    for clause, weight in zip(parsed.required, weights, strict=True):
        if any(f" {' '.join(alt)} " in joined for alt in clause.alternatives if alt):
            found += weight
        elif clause.parts and present.issuperset(clause.parts):
            found += weight * SPLIT_WORTH
    return found / total


def near_clauses(clause: Clause) -> tuple[Clause, ...]:
    """The clauses that find `clause`'s compound by its near form: the prefix, the last part."""
    return tuple(Clause(term, ((term,),)) for term in dict.fromkeys(clause.near))


def part_clauses(clause: Clause) -> tuple[Clause, ...]:
    """The clauses that find `clause`'s compound by its parts: one per part."""
    return tuple(Clause(part, ((part,),)) for part in dict.fromkeys(clause.parts))


def relaxations(
    parsed: ParsedQuery,
    weights: list[float],
    *,
    absent: frozenset[int] = frozenset(),
    absent_parts: frozenset[int] = frozenset(),
    absent_near: frozenset[int] = frozenset(),
    max_forms: int = MAX_FORMS,
) -> list[Relaxation]:
    """The relaxed forms of `parsed`, best first (the highest coverage; then the fewest words
    left out). `weights` has one weight per required clause; `absent` are the clauses that no
    document has (they are left out of every form: a form with one finds nothing),
    `absent_parts` the clauses of which some part is in no document (never split), and
    `absent_near` those whose near form finds nothing."""
    clauses = parsed.required
    if len(weights) != len(clauses):
        raise ValueError("one weight per required clause")
    total = sum(weights)
    if not clauses or total <= 0:
        return []
    # Each clause's choices: (worth, state) with state "keep", "split" or "drop".
    choices: list[list[tuple[float, str]]] = []
    for index, clause in enumerate(clauses):
        options = [] if index in absent and not clause.locked else [(weights[index], "keep")]
        if clause.parts and not clause.locked and index not in absent_parts:
            options.append((weights[index] * SPLIT_WORTH, "split"))
        if clause.near and not clause.locked and index not in absent_near:
            options.append((weights[index] * NEAR_WORTH, "near"))
        if not clause.locked:
            options.append((0.0, "drop"))
        choices.append(options)
    relaxable = sum(1 for options in choices if len(options) > 1)
    # (A clause is "kept" in a form only if it has that choice: an absent one never is.)
    if relaxable > MAX_ENUMERATED_CLAUSES:
        combinations = _one_at_a_time(choices)
    else:
        combinations = itertools.product(*choices)
    forms: list[tuple[float, int, tuple]] = []
    for combination in dict.fromkeys(combinations):
        states = tuple(state for _worth, state in combination)
        if all(state == "keep" for state in states) or all(state == "drop" for state in states):
            continue  # the query itself, or nothing
        worth = sum(w for w, _state in combination)
        forms.append((worth, states.count("drop"), states))
    forms.sort(key=lambda form: (-form[0], form[1], form[2]))
    # The best `max_forms`, and every form that leaves out one word and changes nothing else
    # (with many compounds in a query, their split forms would otherwise crowd out the one
    # that leaves out the word an item lacks).
    chosen = forms[:max_forms] + [
        form
        for form in forms[max_forms:]
        if form[1] == 1 and all(state in ("keep", "drop") for state in form[2])
    ]
    out = []
    for worth, _dropped, states in chosen:
        required: list[Clause] = []
        missing, split = [], []
        for clause, state in zip(clauses, states, strict=True):
            if state == "keep":
                required.append(clause)
            elif state == "split":
                required += [p for p in part_clauses(clause) if p not in required]
                split.append(clause.text)
            elif state == "near":
                required += [p for p in near_clauses(clause) if p not in required]
                split.append(clause.text)
            else:
                missing.append(clause.text)
        out.append(
            Relaxation(
                replace(parsed, required=tuple(required)),
                worth / total,
                tuple(missing),
                tuple(split),
            )
        )
    return out


def _one_at_a_time(choices):
    """For many clauses: every clause's choices with all others kept, and with every
    splittable compound split."""
    kept = [options[0] for options in choices]
    split_all = [next((o for o in options if o[1] == "split"), options[0]) for options in choices]
    for base in (kept, split_all):
        yield tuple(base)
        for index, options in enumerate(choices):
            for option in options[1:]:
                yield tuple(option if i == index else base[i] for i in range(len(choices)))
