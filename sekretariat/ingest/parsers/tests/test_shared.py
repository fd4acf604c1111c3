"""Scores on the shared seeds and real documents, and the OCR repair sample (skip without ../shared)."""

from __future__ import annotations

import importlib.util
import json
import tempfile
from pathlib import Path

import pytest

from sekretariat.ingest.parsers import parse_path

from .conftest import REPO_ROOT, shared_dir


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _score(truth_dir: Path, files: list[Path]) -> dict[str, float]:
    scorer = _load(shared_dir("tools", "score_parse.py"), "score_parse")
    with tempfile.TemporaryDirectory() as out:
        for path in files:
            payload = parse_path(path).to_dict()
            (Path(out) / f"{path.stem}.json").write_text(json.dumps(payload, ensure_ascii=False))
        rows = []
        for truth_file in sorted(truth_dir.glob("*.json")):
            truth = json.loads(truth_file.read_text(encoding="utf-8"))
            pred = json.loads((Path(out) / truth_file.name).read_text(encoding="utf-8"))
            rows.append(scorer.score_doc(pred, truth))
    keys = ("items_f1", "fields", "meeting", "doctype")
    mean = {k: sum(r[k] for r in rows) / len(rows) for k in keys}
    mean["score"] = sum(mean[k] for k in keys) / 4
    return mean


def test_seed_scores():
    seeds = sorted(shared_dir("seeds").glob("*.txt"))
    result = _score(shared_dir("seeds-truth"), seeds)
    assert result["score"] >= 0.95, result
    assert result["items_f1"] >= 0.97, result


@pytest.mark.parametrize("prefer", [".pdf", ".txt"])
def test_real_document_scores(prefer):
    docs = shared_dir("real", "docs")
    chosen: dict[str, Path] = {}
    for path in sorted(docs.iterdir()):
        if path.stem not in chosen or path.suffix == prefer:
            chosen[path.stem] = path
    result = _score(shared_dir("real", "truth"), list(chosen.values()))
    assert result["score"] >= 0.95, result
    assert result["items_f1"] >= 0.97, result


def test_ocr_repair_on_the_hand_corrected_sample():
    damaged = next(shared_dir("seeds").glob("002_*.txt"))
    corrected = shared_dir("seeds-truth", "002_ocr_lines_1-72.txt")
    bench = _load(REPO_ROOT / "bench" / "ocr_repair.py", "bench_ocr_repair")
    result = bench.measure(damaged.read_text(encoding="utf-8"), corrected.read_text("utf-8"))
    assert result["wrong_before"] == 69
    assert result["wrong_after"] <= 10, result["still_wrong"]
    assert result["broken"] == []


def test_damaged_seed_is_repaired_and_says_so():
    doc = parse_path(next(shared_dir("seeds").glob("002_*.txt")))
    assert doc.document_type == "attachment"
    assert any("OCR-fejl" in w for w in doc.warnings)
