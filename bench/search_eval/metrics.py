"""recall@10 and MRR per system and query class, the table, and the worst misses.

A query wants one or more groups of items; a group is found when any of its items (the wanted
item or an acceptable near-duplicate) is in the top 10. recall@10 is the share of a query's
groups found; the reciprocal rank is 1/rank of the first hit in any group (0 beyond 10).
"""

from collections import defaultdict


def score(
    ranked: list[int], wanted: list[list[int]], k: int = 10
) -> tuple[float, float, int | None]:
    top = ranked[:k]
    found = sum(1 for group in wanted if any(i in top for i in group))
    relevant = {i for group in wanted for i in group}
    first = next((n for n, i in enumerate(top, 1) if i in relevant), None)
    return found / len(wanted), (1.0 / first if first else 0.0), first


def summarise(queries: list[dict], runs: dict[str, dict[str, list[int]]]) -> dict:
    """{system: {class: {n, recall_at_10, mrr}}} with 'generated', 'hand' and 'all' rows."""
    table: dict[str, dict[str, dict]] = {}
    for system, ranked_by_qid in runs.items():
        sums: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
        for q in queries:
            if q["qid"] not in ranked_by_qid:
                continue
            recall, rr, _ = score(ranked_by_qid[q["qid"]], q["wanted"])
            groups = [q["cls"], "hand" if q["cls"] == "hand" else "generated", "all"]
            for g in dict.fromkeys(groups):
                sums[g][0] += 1
                sums[g][1] += recall
                sums[g][2] += rr
        table[system] = {
            g: {"n": int(n), "recall_at_10": round(r / n, 3), "mrr": round(m / n, 3)}
            for g, (n, r, m) in sums.items()
            if n
        }
    return table


def format_table(table: dict, order: list[str]) -> str:
    systems = list(table)
    head = f"{'class':<16}{'n':>5}  " + "  ".join(f"{s[:22]:>22}" for s in systems)
    sub = f"{'':<16}{'':>5}  " + "  ".join(f"{'R@10':>10} {'MRR':>11}" for _ in systems)
    lines = [head, sub, "-" * len(head)]
    for cls in order:
        row = [table[s].get(cls) for s in systems]
        if not any(row):
            continue
        n = next(r["n"] for r in row if r)
        cells = "  ".join(
            f"{r['recall_at_10']:>10.3f} {r['mrr']:>11.3f}" if r else f"{'-':>10} {'-':>11}"
            for r in row
        )
        lines.append(f"{cls:<16}{n:>5}  {cells}")
    return "\n".join(lines)


def worst_misses(
    queries: list[dict],
    runs: dict[str, dict[str, list[int]]],
    hits: dict[str, list[dict]],
    ours: str,
    baselines: list[str],
    count: int = 20,
) -> list[dict]:
    """Our misses (wanted item not in the top 10), those a baseline ranked best first."""
    misses = []
    for q in queries:
        if q["qid"] not in runs[ours]:
            continue
        _, rr, _ = score(runs[ours][q["qid"]], q["wanted"])
        if rr > 0:
            continue
        base = {
            b: score(runs[b][q["qid"]], q["wanted"])[2] for b in baselines if q["qid"] in runs[b]
        }
        best = max((1.0 / r for r in base.values() if r), default=0.0)
        first = (hits.get(q["qid"]) or [None])[0]
        misses.append(
            {
                "qid": q["qid"],
                "class": q["cls"],
                "query": q["query"],
                "wanted": q.get("wanted_titles", []),
                "ours_first": f"{first['kind']} {first['id']}: {first['title']}"
                if first
                else "(no hits)",
                "ours_hits": len(hits.get(q["qid"]) or []),
                "baseline_ranks": base,
                "_best": best,
            }
        )
    # Best baseline rank first; within the same rank, the classes take turns (hand first).
    misses.sort(key=lambda m: (-m["_best"], m["class"] != "hand", m["class"], m["qid"]))
    ordered, turn = [], defaultdict(int)
    for m in misses:
        turn_key = (m["_best"], m["class"])
        m["_turn"] = turn[turn_key]
        turn[turn_key] += 1
    misses.sort(key=lambda m: (-m["_best"], m["_turn"], m["class"] != "hand", m["class"], m["qid"]))
    for m in misses[:count]:
        m.pop("_best")
        m.pop("_turn")
        ordered.append(m)
    return ordered
