"""A quick run of bench/fuzz_parsers.py in this process: its mutators are reproducible by seed,
and fifty mutated inputs end in a parsed document or a clean error, never in a finding.

The full run (100,000 inputs, a worker process with time and memory limits) is not part of the
suite: `.venv/bin/python bench/fuzz_parsers.py --inputs 100000 --seed N`.
"""

from __future__ import annotations

import importlib.util
import io
import random
import sys
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]


def _load_harness():
    path = REPO_ROOT / "bench" / "fuzz_parsers.py"
    spec = importlib.util.spec_from_file_location("bench_fuzz_parsers", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


fuzz = _load_harness()


@pytest.fixture(scope="module")
def seeds():
    """Our own fixtures and the harness's built PDF and DOCX; never ../shared, so the inputs are
    the same on every machine."""
    return fuzz.load_seeds(include_shared=False)


@pytest.fixture(autouse=True)
def no_ocr():
    """As the harness runs by default: pages without text are not sent to tesseract."""
    from sekretariat.ingest.parsers.readers import ocr

    before = ocr.tesseract_command
    fuzz.set_ocr("off")
    yield
    ocr.tesseract_command = before


def test_seeds_cover_every_format_without_the_shared_folder(seeds):
    assert {seed.fmt for seed in seeds} == set(fuzz.FORMATS)
    assert {"fuzz_dagsorden.pdf", "fuzz_referat.docx"} <= {seed.name for seed in seeds}


def test_built_seeds_parse_into_their_items():
    from sekretariat.ingest.parsers import parse_bytes

    pdf = parse_bytes(fuzz.synthetic_pdf(), "fuzz_dagsorden.pdf")
    word = parse_bytes(fuzz.synthetic_docx(), "fuzz_referat.docx")
    assert [i.title for i in pdf.items] == [
        "Godkendelse af dagsorden",
        "Budget for fuzz 2026",
        "Eventuelt",
    ]
    assert word.body == "Fuzzudvalget 7f3a" and word.meeting.date == "2025-02-04"
    assert "Beløb 7f3a" in word.items[1].sections.recommendation


def test_an_input_is_rebuilt_exactly_from_seed_and_index(seeds):
    first = [fuzz.make_input(seeds, 7, index) for index in range(40)]
    again = [fuzz.make_input(seeds, 7, index) for index in range(40)]
    other = [fuzz.make_input(seeds, 8, index) for index in range(40)]
    assert first == again
    assert [data for _, data, _ in first] != [data for _, data, _ in other]
    # out of order too: input 33 does not depend on the inputs before it
    assert fuzz.make_input(seeds, 7, 33) == first[33]


@pytest.mark.parametrize(
    "mutator",
    [fuzz.mutate_pdf, fuzz.mutate_docx, fuzz.mutate_markup, fuzz.mutate_json, fuzz.mutate_text],
    ids=lambda m: m.__name__,
)
def test_each_structure_mutator_is_deterministic_and_changes_its_seed(seeds, mutator):
    fmt = {"mutate_pdf": "pdf", "mutate_docx": "docx", "mutate_markup": "xml"}.get(
        mutator.__name__, mutator.__name__.removeprefix("mutate_")
    )
    base = next(s for s in seeds if s.fmt == fmt)
    runs = [
        [mutator(random.Random(f"t:{n}"), base.data, seeds) for n in range(12)] for _ in range(2)
    ]
    assert runs[0] == runs[1]
    assert any(data != base.data for data, _ in runs[0])


def test_docx_mutations_keep_a_valid_zip(seeds):
    base = next(s for s in seeds if s.name == "fuzz_referat.docx")
    for n in range(20):
        data, what = fuzz.mutate_docx(random.Random(f"zip:{n}"), base.data, seeds)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.testzip() is None, what


def test_fifty_mutated_inputs_end_in_no_finding(seeds):
    outcomes = []
    for index in range(50):
        name, data, done = fuzz.make_input(seeds, 20251202, index)
        outcome = fuzz.classify(data, name)
        outcomes.append(outcome.kind)
        assert outcome.kind in fuzz.GOOD, (index, done, outcome.detail, outcome.trace)
    assert "ok" in outcomes and "clean" in outcomes


def test_classify_names_each_kind_of_finding(monkeypatch):
    from sekretariat.ingest.parsers import detect

    def broken_reader(data, name):
        raise AttributeError("a reader bug 7f3a")

    monkeypatch.setitem(detect.READERS, "text", broken_reader)
    unexpected = fuzz.classify(b"1. Punkt", "a.txt")
    assert unexpected.kind == "unexpected" and "AttributeError" in unexpected.signature

    def memory_reader(data, name):
        raise MemoryError

    monkeypatch.setitem(detect.READERS, "text", memory_reader)
    assert fuzz.classify(b"1. Punkt", "b.txt").kind == "memory"
    monkeypatch.undo()
    assert fuzz.classify(b"", "tom.txt").kind == "clean"
    assert fuzz.classify(b"1. Eventuelt\n\nBeslutning: Godkendt.", "c.txt").kind == "ok"
