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


def test_a_very_long_run_of_letters_is_left_at_once():
    import time

    from sekretariat.ingest.parsers import ocr_repair

    run = "haegae" * 70  # 420 letters of OCR-like damage in one 'word'
    started = time.monotonic()
    assert ocr_repair.repair_word(run) is None
    assert ocr_repair.repair_word("aeldrepleje" * 4 + "x") is None  # 45 letters: over the bound
    assert time.monotonic() - started < 2


def test_a_text_whose_repair_runs_out_of_time_is_left_as_written_with_a_warning():
    from sekretariat.ingest.parsers import ocr_repair

    text = "Beslutning om hgj kvalitet\nDet sgrges der for"
    repaired, changes = ocr_repair.repair_text(text, budget_seconds=0)
    assert (repaired, changes) == (text, -1)
    assert ocr_repair.repair_text(text)[1] > 0  # with time, it repairs
