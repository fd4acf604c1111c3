import pytest

from sekretariat.search.analysis.stemming import stem


@pytest.mark.parametrize(
    ("words", "common_stem"),
    [
        (["kreds", "kredsen", "kredse", "kredsene"], "kred"),
        (["plads", "pladsen", "pladser"], "plad"),
        (["forløb", "forløbet", "forløbene"], "forløb"),
        (["takst", "taksten", "takster", "taksterne"], "takst"),
        (["indstiller", "indstilles"], "indstil"),
    ],
)
def test_inflected_forms_share_a_stem(words, common_stem):
    assert {stem(word) for word in words} == {common_stem}


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        # The second pass only ever removes an "s"; it never runs the stemmer to a fixed point.
        ("sikkerhed", "sikker"),
        ("interesse", "interes"),
        ("forsigtigt", "forsig"),
    ],
)
def test_no_overstemming(word, expected):
    assert stem(word) == expected
