"""How the relevance set's expectations pick out a hit (`relevance.evaluate`)."""

from sekretariat.search.relevance.evaluate import _matches

NAMES = {
    ("punkt", 1): ("000_abc.txt", "Orientering om program for et seminar i efteråret"),
    ("bilag", 2): ("002_def.txt", "Notat"),
}


def test_an_expectation_matches_by_document_title_or_title_start_and_kind():
    assert _matches({"doc": "000_", "title": NAMES[("punkt", 1)][1]}, ("punkt", 1), NAMES)
    assert _matches({"doc": "000_", "title_start": "Orientering om program"}, ("punkt", 1), NAMES)
    assert not _matches(
        {"doc": "000_", "title_start": "Orientering om budget"}, ("punkt", 1), NAMES
    )
    assert not _matches({"doc": "001_", "title_start": "Orientering"}, ("punkt", 1), NAMES)
    assert _matches({"doc": "002_", "kind": "bilag"}, ("bilag", 2), NAMES)
    assert not _matches({"doc": "002_", "kind": "punkt"}, ("bilag", 2), NAMES)
    assert not _matches({"doc": "000_"}, ("sag", 9), NAMES)
