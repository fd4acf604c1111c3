import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sekretariat.search.analysis.normalise import (
    EDGE_PUNCTUATION,
    TOKEN_RE,
    digraph_spellings,
    find_token_spans,
    find_tokens,
    fold_danish,
    is_all_caps,
    iter_tokens,
    normalise_word,
)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("IV-behandling i KKR-regi", ["IV", "behandling", "i", "KKR", "regi"]),
        ("KKR's møde", ["KKR's", "møde"]),
        ("1V-behandling og |V-behandling", ["1V", "behandling", "og", "|V", "behandling"]),
        ("1\\VV-antibiotika, IVV-antibiotika", ["1\\VV", "antibiotika", "IVV", "antibiotika"]),
        ("2.498.901 kr. og 1.500.", ["2.498.901", "kr", "og", "1.500"]),
        ("den 20.08.2021 kl. 10.00", ["den", "20", "08", "2021", "kl", "10", "00"]),
        ("00.15.10-P35-2-18", ["00", "15", "10", "P35", "2", "18"]),
        ("Resume\u0301 på A\u030arhus", ["Resume\u0301", "på", "A\u030arhus"]),
        ('"quoted" (NEAR) AND * ;', ["quoted", "NEAR", "AND"]),
        ("", []),
    ],
)
def test_find_tokens(text, tokens):
    assert find_tokens(text) == tokens


# Every character that decides where a token starts or ends: the edge punctuation, the quotes of
# a genitive, an OCR'd IV's pieces, grouped numbers' points, combining accents, an underscore,
# white space of several kinds, and letters and digits of other scripts.
TOKEN_ALPHABET = (
    list(EDGE_PUNCTUATION)
    + list("'’|\\_ \t\n\u00a0\u2003")
    + list("aæøåsSVIl1059Kk\u0301\u030aé²ßΩ٣")
)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from(TOKEN_ALPHABET), max_size=40))
@example("(1V) KKR's. 2.498.901.")
@example("-'s |V. 1\\VV, _x_ e\u0301.")
def test_find_tokens_is_the_expression_s_findall(text):
    """The fast path (split at white space, strip the edge punctuation) finds exactly the
    tokens the expression finds in the whole text."""
    assert find_tokens(text) == TOKEN_RE.findall(text)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from(TOKEN_ALPHABET), max_size=40))
@example("(1V) KKR's. 2.498.901.")
@example("-'s |V. 1\\VV, _x_ e\u0301. s's s")
def test_find_token_spans_are_the_expression_s_matches(text):
    """Each word found after the one before it is where the expression finds it."""
    matches = list(TOKEN_RE.finditer(text))
    assert find_token_spans(text) == ([m.span() for m in matches], [m.group() for m in matches])


def test_edge_punctuation_never_belongs_to_a_token():
    assert not any(char.isalnum() or char in "'’|\\_" for char in EDGE_PUNCTUATION)
    assert TOKEN_RE.findall(EDGE_PUNCTUATION) == []


def test_iter_tokens_gives_offsets_into_the_original_text():
    text = "  Forløbstakst: 6915 kr."
    assert [(t.start, t.end, text[t.start : t.end]) for t in iter_tokens(text)] == [
        (2, 14, "Forløbstakst"),
        (16, 20, "6915"),
        (21, 23, "kr"),
    ]


@pytest.mark.parametrize(
    ("raw", "word"),
    [
        ("Sundhedsdirektørkredsen", "sundhedsdirektørkredsen"),
        ("ÅRHUS", "århus"),
        ("A\u030arhus", "århus"),  # decomposed å stays å
        ("Resumé", "resume"),
        ("Göteborg", "gøteborg"),
        ("Kühnau", "kuhnau"),
        ("ﬁnansiering", "finansiering"),  # ligature, NFKC
        ("ＫＫＲ", "kkr"),  # full width, NFKC
        ("Straße", "strasse"),  # case folding
        ("KKR's", "kkr"),
        ("2.498.901", "2498901"),
        ("Łukasz", "lukasz"),
    ],
)
def test_normalise_word(raw, word):
    assert normalise_word(raw) == word


@pytest.mark.parametrize(
    ("word", "folded"),
    [("forløbstakst", "forloebstakst"), ("århus", "aarhus"), ("sæt", "saet"), ("iv", "iv")],
)
def test_fold_danish(word, folded):
    assert fold_danish(word) == folded


@pytest.mark.parametrize(
    ("word", "first_spelling"),
    [("koebenhavn", "københavn"), ("aarhus", "århus"), ("indlaeggelse", "indlæggelse")],
)
def test_digraph_spellings_try_all_letters_first(word, first_spelling):
    assert digraph_spellings(word)[0] == first_spelling


def test_digraph_spellings_cover_every_subset():
    assert set(digraph_spellings("aaoe")) == {"åø", "åoe", "aaø"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("KKR", True), ("SOSU", True), ("KD", True), ("Kkr", False), ("kkr", False), ("2021", False)],
)
def test_is_all_caps(raw, expected):
    assert is_all_caps(raw) is expected
