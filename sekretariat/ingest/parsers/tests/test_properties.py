"""Property tests: the parser never crashes, and never loses the text of an item."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sekretariat.ingest.parsers import ParseError, parse_bytes
from sekretariat.ingest.parsers.labels import classify
from sekretariat.ingest.parsers.lines import split_lines

WORD = st.text(
    alphabet="abcdefghijklmnoprstuvyæøåABDEFGHKLMNOPRSTVÆØÅ0123456789", min_size=1, max_size=12
)
LINE = st.lists(WORD, min_size=0, max_size=9).map(" ".join)
PUNCT_LINE = st.text(alphabet="abcæøå ABCÆØÅ 0123456789.,:;-*#()/\t", max_size=60)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=600),
    st.sampled_from(["a.txt", "b.pdf", "c.json", "d.xml", "e.html", "f.docx", "g"]),
)
def test_never_crashes_on_arbitrary_bytes(data, name):
    try:
        doc = parse_bytes(data, name)
    except ParseError as err:
        assert str(err) and "\n" not in str(err)
    else:
        assert doc.to_dict()["schema"] == "sekretariat.parse/1"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(LINE, PUNCT_LINE), max_size=40))
def test_never_crashes_on_arbitrary_text(lines):
    text = "\n".join(lines)
    try:
        parse_bytes(text.encode(), "x.txt")
    except ParseError as err:
        assert "\n" not in str(err)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [str(value)] if value is not None else []


def _norm_words(text: str) -> list[str]:
    return [w for w in re.split(r"[^0-9a-zæøåA-ZÆØÅ]+", text.casefold()) if len(w) > 1]


@settings(max_examples=120, deadline=None)
@given(
    st.lists(st.one_of(LINE, PUNCT_LINE), min_size=1, max_size=30),
    st.sampled_from(["Beslutning", "Sagsfremstilling", "Indstilling", ""]),
)
@example(body_lines=["0", "1 A0"], label="")  # a bare number before a numbered heading
def test_words_of_an_item_are_never_lost(body_lines, label):
    """Every word after the first heading ends up in the output, unless its line is a label.

    A line that holds nothing but a number is a page number to the parser (furniture of PDF
    text), and is allowed to go.
    """
    head = "Dagsorden\n\n1. Eventuelt\n\n"
    text = head + (label + "\n" if label else "") + "\n".join(body_lines)
    doc = parse_bytes(text.encode(), "x.txt").to_dict()
    output_words = set(_norm_words(" ".join(_strings(doc["items"]))))
    lines, _ = split_lines(text[len("Dagsorden") :])
    for line in lines:
        if not line.text or classify(line.text) is not None or line.text.strip().isdigit():
            continue
        for word in _norm_words(line.text):
            assert word in output_words, (word, line.text)
