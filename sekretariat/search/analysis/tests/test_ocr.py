import pytest

from sekretariat.search.analysis.ocr import candidates


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("hgj", "høj"),
        ("forlgb", "forløb"),
        ("forlab", "forløb"),
        ("starre", "større"),
        ("foregar", "foregår"),
        ("veere", "være"),
        ("serligt", "særligt"),
        ("understgtte", "understøtte"),
        ("ungdvendige", "unødvendige"),
        ("malgruppe", "målgruppe"),
        ("indlaeggelse", "indlæggelse"),  # a plain digraph, no OCR needed
        ("behandlingsforlgb", "behandlingsforløb"),  # compound: the repaired part is a word
        ("arsvaerk", "årsværk"),  # OCR damage and a digraph in one word
        ("forlob", "forløb"),  # typed without a Danish keyboard
    ],
)
def test_repairs_unknown_words(analyzer, damaged, repaired):
    assert analyzer._spelling(damaged) == repaired


@pytest.mark.parametrize(
    "word",
    [
        "pa",  # a listed word (even if often damaged "på"): never changed
        "aldre",
        "overvurderet",  # over|vurderet, not øver|vurderet
        "genforhandle",  # not øen|forhandle
        "perifert",  # not per|iført
        "journaliseret",
        "stillingtagen",  # not stilling|tågen: "tågen" too rare to trust
        "graversen",  # a surname; not graver|søn
        "rossavik",
        "kle",  # an abbreviation (KLE), never repaired to "klø"
    ],
)
def test_leaves_words_alone(analyzer, word):
    assert analyzer._spelling(word) == word


def test_known_words_are_never_changed(analyzer):
    """Every listed word keeps its spelling: the repair only touches unknown words."""
    changed = [w for w in analyzer.lexicon._zipf if w.isalpha() and analyzer._spelling(w) != w]
    assert changed == []


def test_candidates_fewest_substitutions_first():
    counts = [candidate.count for candidate in candidates("forlgbet")]
    assert counts == sorted(counts)
    assert ("forløbet", 1) in {(c.spelling, c.count) for c in candidates("forlgbet")}


def test_short_words_only_get_the_g_repair():
    assert {c.spelling for c in candidates("kle")} == set()
    assert {c.spelling for c in candidates("hgj")} == {"høj"}
