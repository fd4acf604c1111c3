"""The hand-written queries (hand.jsonl), resolved to the installation's item ids.

Each wanted item is named by its document file, its item number and its title. The file is
parsed with `sekretariat parse` (no database) for its body and meeting date; the meeting is the
installation's meeting of that date and body (so an item of a file the importer refused as a
second copy of an approved meeting resolves to the copy that was imported); the item is that
meeting's item of that number, checked against the title (else found by its title).
"""

import json
import pathlib
import subprocess
import tempfile

from search_eval.generate import normalise_title

HAND = pathlib.Path(__file__).with_name("hand.jsonl")


def load(path: pathlib.Path = HAND) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def _parse(files: list[pathlib.Path], sekretariat: pathlib.Path, env: dict) -> dict[str, dict]:
    with tempfile.TemporaryDirectory(prefix="seval-parse-") as out:
        subprocess.run(
            [str(sekretariat), "parse", *map(str, files), "--out", out],
            env=env,
            check=True,
            capture_output=True,
        )
        parsed = {}
        for path in files:
            result = pathlib.Path(out) / (path.stem + ".json")
            if result.exists():
                parsed[path.name] = json.loads(result.read_text(encoding="utf-8"))
        return parsed


def _similar(a: str, b: str) -> bool:
    x, y = normalise_title(a), normalise_title(b)
    if x == y:
        return True
    wx, wy = set(x.split()), set(y.split())
    return len(wx & wy) >= 0.6 * max(len(wx), len(wy), 1)


def resolve(
    rows: list[dict],
    items: list[dict],
    corpus_dirs: list[pathlib.Path],
    sekretariat: pathlib.Path,
    env: dict,
) -> tuple[list[dict], list[str]]:
    """Queries in the benchmark's form, and a note for every wanted item left unresolved."""
    names = {w["file"] for row in rows for w in row["wanted"]}
    paths = []
    for name in sorted(names):
        found = [d / name for d in corpus_dirs if (d / name).exists()]
        if found:
            paths.append(found[0])
    parsed = _parse(paths, sekretariat, env) if paths else {}
    meetings: dict[tuple[str, str], list[dict]] = {}
    for item in items:
        meetings.setdefault((item["date"], item["body"]), []).append(item)

    def meeting_items(doc: dict) -> list[dict]:
        date = (doc.get("meeting") or {}).get("date")
        body = (doc.get("body") or "").strip().lower()
        candidates = [(k, v) for k, v in meetings.items() if k[0] == date]
        exact = [v for k, v in candidates if k[1].strip().lower() == body]
        if exact:
            return exact[0]
        close = [
            v for k, v in candidates if body and (body in k[1].lower() or k[1].lower() in body)
        ]
        if close:
            return close[0]
        return candidates[0][1] if len(candidates) == 1 else []

    queries, problems = [], []
    for row in rows:
        groups, titles = [], []
        for want in row["wanted"]:
            doc = parsed.get(want["file"])
            if doc is None:
                problems.append(f"{row['id']}: {want['file']} is not in the corpus")
                continue
            pool = meeting_items(doc)
            match = [
                i
                for i in pool
                if i["number"] == want["number"] and _similar(i["title"], want["title"])
            ]
            if not match:
                match = [
                    i for i in pool if normalise_title(i["title"]) == normalise_title(want["title"])
                ]
            if not match:
                problems.append(
                    f"{row['id']}: no item {want['number']} '{want['title']}' in the meeting of {want['file']}"
                )
                continue
            groups.append([match[0]["id"]])
            titles.append(match[0]["title"])
        if groups:
            queries.append(
                {
                    "qid": row["id"],
                    "cls": "hand",
                    "query": row["query"],
                    "wanted": groups,
                    "wanted_titles": titles,
                    "detail": {},
                }
            )
        else:
            problems.append(f"{row['id']}: left out, nothing it wants was resolved")
    return queries, problems
