"""Benchmark of the Danish search analyzer: how fast documents become index terms.

    .venv/bin/python bench/analyzer.py                 # 5,000 synthetic items of ~1,500 chars
    .venv/bin/python bench/analyzer.py --items 20000
    .venv/bin/python bench/analyzer.py --corpus DIR    # the .txt files in DIR, cut into items

Synthetic items are drawn, reproducibly, from wordfreq's Danish list in proportion to word
frequency (so common words repeat as in real text), mixed with the field's compounds (some made
up on the spot, so new words keep arriving), abbreviations, numbers, journal numbers and
OCR-damaged words. The target is 2,000 items/s of 1,500 characters on one core.

Three passes are timed on one process:
- cold: a fresh analyzer meets every word for the first time (lexicon lookups, OCR repair,
  compound splitting);
- warm: the same items again, every word now cached: the steady state of a running indexer;
- fresh: new items on the warm analyzer: new text whose words are mostly known by now.
"""

import argparse
import pathlib
import random
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

import wordfreq  # noqa: E402

from sekretariat.search.analysis import Analyzer, analyze_query  # noqa: E402
from sekretariat.search.analysis.normalise import find_tokens  # noqa: E402

HEADS = ["sundheds", "social", "kommunal", "regions", "økonomi", "praksis", "uddannelses"]
MIDDLES = ["direktør", "samarbejds", "sekretariats", "klynge", "forløbs", "mødes", "arbejds"]
TAILS = ["kredsen", "udvalget", "forum", "takst", "aftalen", "gruppen", "netværket", "planen"]
FIXED = [
    "KKR", "SSU", "KD-Net", "PLO", "FMK", "IV-behandling", "1V-behandling", "MED-udvalget",
    "Kommunekontaktrådet", "forlgb", "hgj", "stgrre", "Koebenhavn", "Aarhus", "00.15.10-P35",
    "2.498.901", "kl.", "Det indstilles, at", "Sundhedsdirektørkredsen", "dagstakst",
]  # fmt: skip


def synthetic_items(count: int, chars: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    frequencies = wordfreq.get_frequency_dict("da")
    words = [word for word in frequencies if word.isalpha()]
    weights = [frequencies[word] for word in words]
    items = []
    for _ in range(count):
        pieces: list[str] = []
        length = 0
        sampled = iter(rng.choices(words, weights=weights, k=chars // 3))
        while length < chars:
            roll = rng.random()
            if roll < 0.03:
                piece = rng.choice(HEADS) + rng.choice(MIDDLES) + rng.choice(TAILS)
            elif roll < 0.06:
                piece = rng.choice(FIXED)
            elif roll < 0.07:
                piece = str(rng.randint(1, 99_999))
            else:
                piece = next(sampled, "og")
            if roll > 0.97:
                piece += "."
            pieces.append(piece)
            length += len(piece) + 1
        items.append(" ".join(pieces)[:chars])
    return items


def corpus_items(directory: pathlib.Path, chars: int) -> list[str]:
    items = []
    for path in sorted(directory.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        items += [text[start : start + chars] for start in range(0, len(text), chars)]
    return items


def timed(analyzer: Analyzer, items: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    terms = sum(len(analyzer.analyze_document(item)) for item in items)
    return time.perf_counter() - start, terms


def report(name: str, items: list[str], seconds: float, terms: int) -> None:
    tokens = sum(len(find_tokens(item)) for item in items)
    print(
        f"{name:6} {len(items):7,} items in {seconds:6.2f} s: {len(items) / seconds:9,.0f} items/s, "
        f"{tokens / seconds:11,.0f} tokens/s, {terms / seconds:11,.0f} terms/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--chars", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--corpus", type=pathlib.Path)
    arguments = parser.parse_args()

    if arguments.corpus:
        items = corpus_items(arguments.corpus, arguments.chars)
        fresh = items[len(items) // 2 :]
        items = items[: len(items) // 2]
    else:
        items = synthetic_items(arguments.items, arguments.chars, arguments.seed)
        fresh = synthetic_items(arguments.items, arguments.chars, arguments.seed + 1)

    start = time.perf_counter()
    analyzer = Analyzer()
    analyzer.analyze_document("start")
    print(f"start-up (lexicon, tables): {time.perf_counter() - start:.2f} s")
    words = {word for item in items for word in find_tokens(item)}
    print(f"{len(items):,} items, {sum(map(len, items)) / len(items):,.0f} chars each, "
          f"{len(words):,} different words")  # fmt: skip

    report("cold", items, *timed(analyzer, items))
    report("warm", items, *timed(analyzer, items))
    report("fresh", fresh, *timed(analyzer, fresh))

    queries = ["direktørkreds", 'KKR "fælles medicinkort" -covid year:2021', "IV-behandling høj"]
    start = time.perf_counter()
    rounds = 2000
    for _ in range(rounds):
        for query in queries:
            analyze_query(query, analyzer)
    seconds = time.perf_counter() - start
    print(f"query  {rounds * len(queries) / seconds:9,.0f} queries/s (parse, analyse, expand)")


if __name__ == "__main__":
    main()
