"""Relevance of search: recall@10 and MRR per backend, our analyzer against plain baselines.

    .venv/bin/python bench/search_relevance.py                      # SQLite and PostgreSQL
    .venv/bin/python bench/search_relevance.py --backend sqlite
    .venv/bin/python bench/search_relevance.py --queries other.json --verbose
    .venv/bin/python bench/search_relevance.py --postgres postgres://postgres@127.0.0.1:5432/x

Each backend runs in its own process on a fresh database: the seeds, the real documents (parsed
by `sekretariat.ingest.parsers.parse_path`) and the demo installation are loaded through the
meeting services, indexed, and the query set (sekretariat/search/relevance/queries.json, or
--queries for a held-out set of the same form) is run as the public. Baselines on the same
documents and the same filters: FTS5's unicode61 tokenizer (no stemming) on SQLite, the
built-in 'danish' configuration on PostgreSQL.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/sekretariat_relevance"


def use_settings() -> None:
    """The project's settings, or the search tests' until the project installs the app."""
    import importlib

    project = importlib.import_module("sekretariat.config.settings")
    if "sekretariat.search" in project.INSTALLED_APPS:
        os.environ["DJANGO_SETTINGS_MODULE"] = "sekretariat.config.settings"
    else:
        os.environ["DJANGO_SETTINGS_MODULE"] = "sekretariat.search.tests.settings"


def _setup(backend: str, postgres_url: str) -> None:
    if backend == "postgres":
        import psycopg

        base, _, name = postgres_url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = postgres_url
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SEKRETARIAT_DATA_DIR"] = tempfile.mkdtemp(prefix="search-relevance-")
    use_settings()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def run_one(backend: str, queries_path: pathlib.Path, postgres_url: str, verbose: bool) -> dict:
    _setup(backend, postgres_url)
    from django.db import connection

    from sekretariat.demo.services import demo_build
    from sekretariat.ingest.parsers import parse_path
    from sekretariat.search import services
    from sekretariat.search.relevance import baselines, corpus, evaluate

    loaded = corpus.load_documents(corpus.corpus_paths(), parse_path)
    demo_build()
    names = {**loaded.names, **corpus.demo_names()}
    services.search_reindex()
    queries = evaluate.load_queries(queries_path)
    _check_expectations(queries, names)
    if backend == "postgres":
        baselines.DanishPostgresBackend.create(connection)
        baseline = baselines.DanishPostgresBackend(connection)
    else:
        baselines.PlainFts5Backend.create(connection)
        baseline = baselines.PlainFts5Backend(connection)
    reports = [
        evaluate.evaluate(queries, names, label="ours"),
        evaluate.evaluate(queries, names, backend=baseline, label="baseline"),
    ]
    out = {"backend": backend, "queries": len(queries), "reports": {}}
    for report in reports:
        out["reports"][report.label] = {
            "recall_at_10": round(report.recall_at_10, 3),
            "mrr": round(report.mrr, 3),
            "per_query": [
                {
                    "query": r.query,
                    "recall": round(r.recall, 3),
                    "rank": r.first_rank,
                    "missing": r.missing,
                }
                for r in report.results
            ],  # fmt: skip
        }
    return out


def _check_expectations(queries, names) -> None:
    for spec in queries:
        for exp in spec["expected"]:
            if not any(
                doc.startswith(exp["doc"])
                and exp.get("title", title) == title
                and exp.get("kind", key[0]) == key[0]
                for key, (doc, title) in names.items()
            ):
                print(f"warning: {spec['query']!r} expects {exp} which is not in the corpus",
                      file=sys.stderr)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "all"], default="all")
    parser.add_argument("--queries", type=pathlib.Path, default=None)
    parser.add_argument("--postgres", default=DEFAULT_PG, help="database URL (recreated)")
    parser.add_argument("--verbose", action="store_true", help="per-query ranks and misses")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    queries = args.queries or ROOT / "sekretariat/search/relevance/queries.json"
    if args.child:
        print(json.dumps(run_one(args.backend, queries, args.postgres, args.verbose)))
        return
    results = []
    for backend in ["sqlite", "postgres"] if args.backend == "all" else [args.backend]:
        command = [sys.executable, __file__, "--child", "--backend", backend,
                   "--queries", str(queries), "--postgres", args.postgres]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            sys.exit(done.returncode)
        if done.stderr.strip():
            print(done.stderr.strip(), file=sys.stderr)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    print(f"{'backend':<10} {'analyzer':<30} {'recall@10':>9} {'MRR':>6}   ({queries.name})")
    for result in results:
        for label, report in result["reports"].items():
            name = (
                "ours (Danish analyzer)"
                if label == "ours"
                else (
                    "unicode61, no stemming" if result["backend"] == "sqlite" else "'danish' config"
                )
            )
            print(f"{result['backend']:<10} {name:<30} {report['recall_at_10']:>9.3f} "
                  f"{report['mrr']:>6.3f}")  # fmt: skip
        if args.verbose:
            ours = result["reports"]["ours"]["per_query"]
            base = result["reports"]["baseline"]["per_query"]
            for a, b in zip(ours, base, strict=True):
                print(f"    {a['query'][:50]:<50} ours rank {a['rank']!s:>4}  "
                      f"baseline rank {b['rank']!s:>4}  {a['missing'] or ''}")  # fmt: skip


if __name__ == "__main__":
    main()
