"""Recall@10 and MRR of a query set over a loaded corpus, for any backend.

A query's expectations are objects identified by document and title (see `queries.json`): a
hit counts when its (kind, id) was loaded from a document whose file name starts with `doc`
and, if given, its title equals `title` (or starts with `title_start`, for a title too long to
repeat) and its kind equals `kind`.

- recall@10: the share of a query's expected objects among its first 10 hits, averaged;
- MRR: 1 / rank of the first expected object among the first 10 hits (0 if none), averaged.
"""

import json
import pathlib
from dataclasses import dataclass, field

from sekretariat.bodies.selectors import PUBLIC

from ..selectors import SearchFilters, search

QUERIES = pathlib.Path(__file__).with_name("queries.json")
K = 10


@dataclass
class QueryResult:
    query: str
    expected: int
    found: int
    first_rank: int | None
    missing: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def reciprocal_rank(self) -> float:
        return 1.0 / self.first_rank if self.first_rank else 0.0


@dataclass
class Report:
    label: str
    results: list[QueryResult]

    @property
    def recall_at_10(self) -> float:
        return sum(r.recall for r in self.results) / len(self.results)

    @property
    def mrr(self) -> float:
        return sum(r.reciprocal_rank for r in self.results) / len(self.results)


def load_queries(path: pathlib.Path = QUERIES) -> list[dict]:
    return json.loads(path.read_text())["queries"]


def _matches(expectation: dict, key, names) -> bool:
    name = names.get(key)
    if name is None:
        return False
    document, title = name
    return (
        document.startswith(expectation["doc"])
        and expectation.get("title", title) == title
        and title.startswith(expectation.get("title_start", ""))
        and expectation.get("kind", key[0]) == key[0]
    )


def evaluate(queries: list[dict], names, *, backend=None, label="", viewer=PUBLIC) -> Report:
    results = []
    for spec in queries:
        hits = search(
            spec["query"],
            viewer,
            SearchFilters(),
            per_page=K,
            with_facets=False,
            backend=backend,
        ).hits
        keys = [(hit.kind, hit.id) for hit in hits[:K]]
        found, first, missing = 0, None, []
        for expectation in spec["expected"]:
            ranks = [i for i, key in enumerate(keys, 1) if _matches(expectation, key, names)]
            if ranks:
                found += 1
                first = min(first or ranks[0], ranks[0])
            else:
                missing.append(
                    expectation.get("title") or expectation.get("title_start") or expectation["doc"]
                )
        results.append(QueryResult(spec["query"], len(spec["expected"]), found, first, missing))
    return Report(label, results)
