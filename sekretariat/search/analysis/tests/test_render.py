"""Rendering for the backends, and searching a real SQLite FTS5 table with it."""

import pytest

from sekretariat.search.analysis import (
    Clause,
    Fts5Match,
    ParsedQuery,
    analyze_query,
    to_fts5_match,
    to_tsquery,
)

from .conftest import Fts5Index


@pytest.mark.parametrize(
    ("query", "fts5", "tsquery"),
    [
        ("takst", Fts5Match('"takst"'), "'takst'"),
        (
            "dagstakst IV",
            Fts5Match('("dagstakst" OR "dag0takst") AND ("iv" OR "intravenoes")'),
            "( 'dagstakst' | 'dag0takst' ) & ( 'iv' | 'intravenoes' )",
        ),
        (
            # The phrase of IV's long form finds nothing "intravenøs" alone does not: left out.
            "intravenøs behandling",
            Fts5Match('("iv" OR "intravenoes")'),
            "( 'iv' | 'intravenoes' )",
        ),
        (
            '"Fælles Medicinkort"',
            Fts5Match('("fael medicinkort medicin kort medicin0kort" OR "fmk")'),
            "( ( 'fael' <-> 'medicinkort' ) | 'fmk' )",
        ),
        (
            # Each word's first term at its distance: "medicinkort" leaves four terms.
            '"medicinkort fælles"',
            Fts5Match('"medicinkort medicin kort medicin0kort fael"'),
            "( 'medicinkort' <4> 'fael' )",
        ),
        (
            'takst -covid -"status på"',
            Fts5Match('"takst" NOT ("covid" OR "status")'),
            "'takst' & !'covid' & !'status'",
        ),
        (
            "takst pumpe -covid",
            Fts5Match('("takst" AND "pump") NOT "covid"'),
            "'takst' & 'pump' & !'covid'",
        ),
        (
            "-covid -SSU",
            Fts5Match(
                None,
                '"covid" OR ("ssu" OR "sundhedssamarbejdsudvalg" OR "sund0samarbejd samarbejd0udvalg")',
            ),
            "!'covid' & !( 'ssu' | 'sundhedssamarbejdsudvalg' | ( 'sund0samarbejd' <-> 'samarbejd0udvalg' ) )",
        ),
        ("og i at", Fts5Match(None), None),
        ("year:2021", Fts5Match(None), None),
        ("", Fts5Match(None), None),
    ],
)
def test_rendering(query, fts5, tsquery):
    parsed = analyze_query(query)
    assert to_fts5_match(parsed) == fts5
    assert to_tsquery(parsed) == tsquery


def test_terms_that_are_not_letters_and_digits_are_never_rendered():
    """A hand-built query (not from the analyzer) cannot smuggle syntax through."""
    parsed = ParsedQuery(
        raw="x",
        required=(
            Clause("x", (('takst" OR "x',), ("ok7f3a", "a b"), ("';--",))),
            Clause("y", (("",),)),
        ),
    )
    assert to_fts5_match(parsed) == Fts5Match('"ok7f3a"')
    assert to_tsquery(parsed) == "'ok7f3a'"


DOCUMENTS = {
    "sdk": "Sundhedsdirektørkredsen godkendte forløbstaksten for IV-behandling.",
    "kd": "Kommunaldirektørkredsen drøftede dagstaksten og økonomien.",
    "kkr-long": "Kommunekontaktrådet (Syddanmark) mødes i Vejle.",
    "kkr-short": "Nyt fra KKR: udpegninger til styregruppen.",
    "ocr": "Tilsynet 5d1e fandt hgj kvalitet og sammenhæng i forlgb ved 1V-behandling hjemme.",
    "aarhus": "Mødet holdes i Aarhus Kommune; KOEBENHAVN deltager.",
    "plo": "Praktiserende Lægers Organisation og FMK (Fælles Medicinkort).",
    "med": "MED-udvalget behandlede arbejdsmiljøet.",
    "heading": "GODKENDELSE MED BEMÆRKNINGER af referatet.",
    "ssu": "Sundhedssamarbejdsudvalget følger op kvartalsvis.",
}


@pytest.fixture(scope="module", params=["unicode61", "ascii", "unicode61 remove_diacritics 0"])
def index(request) -> Fts5Index:
    built = Fts5Index(request.param)
    for name, text in DOCUMENTS.items():
        built.add(name, text)
    return built


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("direktørkreds", {"sdk", "kd"}),
        ("sundhed", {"sdk", "ssu"}),
        ("sundhedsdirektørkredsen", {"sdk"}),
        ("SDK", {"sdk"}),
        ("kommunaldirektørkredsen", {"kd"}),
        ("forløbstakst", {"sdk"}),
        ("takst", {"sdk", "kd"}),
        ("dagstakst", {"kd"}),
        ("IV-behandling", {"sdk", "ocr"}),
        ("intravenøs", {"sdk", "ocr"}),
        ("høj", {"ocr"}),
        ("forløb", {"sdk", "ocr"}),
        ("KKR", {"kkr-long", "kkr-short"}),
        ("Kommunekontaktråd", {"kkr-long", "kkr-short"}),
        ("Århus", {"aarhus"}),
        ("København", {"aarhus"}),
        ("PLO", {"plo"}),
        ("FMK", {"plo"}),
        ('"fælles medicinkort"', {"plo"}),
        ('"medicinkort fælles"', set()),
        ("MED", {"med"}),
        ("medindflydelse og medbestemmelse", {"med"}),
        ("med", set()),  # a stop word: nothing to search for
        ("SSU", {"ssu"}),
        ("samarbejdsudvalg", {"ssu"}),
        ("kvalitet -hgj", set()),
        ("kvalitet -høj", set()),
        ("-takst", set(DOCUMENTS) - {"sdk", "kd"}),
        ('"NEAR" OR * AND ("', set()),
        ('"sammenhæng i forløb"', {"ocr"}),
    ],
)
def test_search(index, query, found):
    assert index.search(query) == found


def test_a_phrase_keeps_its_word_sizes_through_a_pickle_and_loses_them_in_a_slice():
    import pickle

    from sekretariat.search.analysis.words import Phrase, word_sizes

    phrase = Phrase(("fael", "medicinkort", "medicin", "kort", "medicin0kort"), (1, 4))
    copy = pickle.loads(pickle.dumps(phrase))
    assert copy == phrase and word_sizes(copy) == (1, 4)
    assert word_sizes(phrase[:3]) == (1, 1, 1)  # a plain run of terms: every term asked for
    with pytest.raises(ValueError):
        Phrase(("a", "b"), (1,))
