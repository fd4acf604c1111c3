"""OCR repair of single words: the rules that decide between repairs."""

import pytest

from sekretariat.ingest.parsers.ocr_repair import repair_word


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        # Correct words that read as Danish by a looser test are left alone.
        ("befolkningstal", None),
        ("infektionstal", None),
        ("visiteret", None),
        # The fewest substitutions win, and a visible damage ('ae') beats a plausible swap.
        ("prgvesvarene", "prøvesvarene"),
        ("hospitalslaegen", "hospitalslægen"),
        ("forlgb", "forløb"),
    ],
)
def test_repair_prefers_the_smallest_visible_repair(word, expected):
    assert repair_word(word) == expected
