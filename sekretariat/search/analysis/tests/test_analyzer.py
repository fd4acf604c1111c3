import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sekretariat.search.analysis import Analyzer, analyze_document, index_text


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        (
            "Sundhedsdirektørkredsen",
            [
                "sundhedsdirektoerkred",
                "sund",
                "direktoer",
                "kred",
                "sund0direktoer",
                "direktoer0kred",
            ],
        ),
        ("forløbstaksten", ["forloebstakst", "forloeb", "takst", "forloeb0takst"]),
        ("IV-behandling", ["iv", "behandling"]),
        (
            "1V-behandling |V-behandling 1\\VV-antibiotika",
            ["iv", "behandling"] * 2 + ["iv", "antibiotika"],
        ),
        ("forlgb hgj", ["forloeb", "hoej"]),
        ("KKR's", ["kkr"]),
        ("og i at med for", []),  # stop words
        ("MED-udvalget", ["med", "udvalg"]),  # the MED committee: an abbreviation, kept
        ("GODKENDELSE MED BEMÆRKNINGER", ["godkend", "bemaerkning"]),  # a heading in capitals
        (
            "journalnummer 00.15.10-P35",
            ["journalnum", "journal", "num", "journal0num", "00", "15", "10", "p35"],
        ),
        ("2.498.901 kr", ["2498901", "kr"]),
        ("snake_case_word", ["snak", "cas", "word"]),
        ("4½ liter", ["41", "2", "lit"]),  # NFKC writes ½ as 1⁄2
    ],
)
def test_analyze_document(text, terms):
    assert analyze_document(text) == terms


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Aarhus", "Århus"),
        ("Koebenhavn", "København"),
        ("KOEBENHAVN", "københavn"),
        ("direktoerkredsen", "direktørkredsen"),
        ("Kaas", "Kås"),  # unknown words meet too: digraphs are written as letters
        ("indlaeggelse", "indlæggelse"),
        ("hgj", "høj"),
        ("forlgbet", "forløbet"),
        ("kredsen", "kreds"),
        ("Resume\u0301", "resumé"),
    ],
)
def test_spellings_that_must_meet(one, other):
    assert analyze_document(one) == analyze_document(other)


def test_terms_are_letters_and_digits_only():
    text = "Ærø's 4½ ﬁ  ＡＢＣ naïve Łódź ½ x² \u200b Ω-værdi 🙂 a_b"
    for term in analyze_document(text):
        assert term.isalnum() and term == term.lower(), term


def test_index_text_is_the_terms_joined_by_spaces():
    assert index_text("Dagstakst for IV-pumpe") == "dagstakst dag takst dag0takst iv pump"


def test_analyze_words_keeps_offsets_and_stop_words(analyzer):
    text = "Godkendelse af dagsorden"
    words = analyzer.analyze_words(text)
    assert [(text[w.start : w.end], w.terms, w.stopword) for w in words] == [
        ("Godkendelse", ("godkend",), False),
        ("af", (), True),
        ("dagsorden", ("dagsord",), False),
    ]


def test_document_terms_equal_the_words_terms_in_order(analyzer):
    text = "Nyt fra KKR: sundhedsaftalen, MED-aftalen og GODKENDELSE MED BILAG"
    from_words = [t for w in analyzer.analyze_words(text) for t in w.terms]
    assert analyzer.analyze_document(text) == from_words


def test_long_tokens_are_cut():
    (term,) = analyze_document("x" * 500)
    assert term == "x" * 64


def test_token_cache_is_bounded():
    analyzer = Analyzer(token_cache_size=10)
    analyzer.analyze_document(" ".join(f"ord{number}" for number in range(50)))
    assert len(analyzer._token_cache) <= 10
    assert analyzer.analyze_document("ord7 ord49") == ["ord7", "ord49"]


# Words, punctuation and white space to build texts from: a capital stop word that is also an
# abbreviation ("MED", whose terms depend on its neighbours), shouting neighbours, compounds,
# OCR'd IVs, grouped numbers and genitives.
_PIECES = ["MED", "med", "GODKENDELSE", "BILAG", "KKR's", "IV-behandling", "1V", "|V",
           "sundhedsaftalen", "forløbstaksten", "2.498.901", "kr.", "og", "i", "(SSU)", "-",
           "Kommunekontaktrådet,", "MED-udvalget", "_", "é", " ", " ", "\n", ",", "."]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
@example("GODKENDELSE MED BILAG MED sundhedsaftalen")
@example("MED-udvalget MED, KKR's (SSU)")
@example("GODKENDELSE - MED sundhedsaftalen")  # the neighbour beyond a piece of no words
@example("sundhedsaftalen MED , BILAG")
def test_index_text_by_pieces_is_index_text_by_words(text):
    """The fast path (each piece between white space looked up whole) gives what the word by
    word analysis with context gives, the same text twice (the second time from the cache)."""
    analyzer = Analyzer(token_cache_size=64)  # small: the caches are also emptied on the way
    expected = analyzer._index_tokens(text)
    assert analyzer.index_text(text) == expected
    assert analyzer.index_text(text) == expected
