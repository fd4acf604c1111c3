"""Known-item queries generated from the installation's items, seeded and reproducible.

    .venv/bin/python bench/search_eval/generate.py ITEMS.json OUT.jsonl [--seed 1] [--max-items 400]

Each query names one wanted item (its exact id) and the items that count as the same answer
(open items with the same title in other meetings: a repeated standing item). Items whose title
occurs in more than 3 items are left out, and so are closed items (the public sees only their
neutral title) and items whose title has no content word.

Classes (an item is skipped for a class that does not apply to it):

- title_exact     the title as written
- drop_words      the title with 1-2 of its content words dropped
- extra_word      the title's words plus one common word from other titles that the item
                  does not contain (not even as a prefix of one of its words)
- inflection      one title word in another inflection (definite, plural, genitive), preferring
                  a form the item's text does not contain, with up to 2 other title words
- compound_split  a title compound of 12+ letters as two words (linking s/e dropped), with up
                  to 2 other title words
- compound_join   the two nouns of 'X af/for/til/om/på/mod/med Y' joined as the compound 'YX'
                  ('medlemmer af byrådet' -> 'byrådsmedlemmer'; no plural, adjective or proper
                  noun as Y, no head that Danish seldom compounds), with up to 2 other title words
- decision_words  3-5 of the rarest words of the decision text (in at most 3 items)
- digits          a token with digits, a hyphen or § from the title (else a rare one from the
                  text) plus one other title word

A query's random choices are seeded by (seed, item id, class), so an item gets the same queries
whichever other items are sampled.
"""

import argparse
import json
import pathlib
import random
import re
import sys
from collections import Counter, defaultdict

if __package__ in (None, ""):
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from search_eval.danish import STOPWORDS, Lexicon, is_content, words  # noqa: E402

CLASSES = (
    "title_exact",
    "drop_words",
    "extra_word",
    "inflection",
    "compound_split",
    "compound_join",
    "decision_words",
    "digits",
)
MAX_TITLE_REPEATS = 3
DATE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}/\d{1,2}")
# Heads that Danish seldom puts last in a compound ('orientering om X' is not 'X-orientering').
UNCOMPOUNDED_HEADS = frozenset(
    [
        "orientering",
        "svar",
        "opfølgning",
        "forberedelse",
        "tilslutning",
        "indførelse",
        "etablering",
        "flytning",
        "status",
        "ændring",
        "forslag",
    ]
)
JOIN_PREPOSITIONS = {"af", "for", "til", "om", "på", "mod", "med"}
ADJECTIVE_ENDINGS = ("e", "ig", "lig", "isk", "ede", "ne", "ske", "ert", "al", "iv")
DIGIT_TOKEN = re.compile(r"§\s*\d+[a-z]?|[^\s]*\d[^\s]*|[A-Za-zÆØÅæøå]+-[A-Za-zÆØÅæøå]+")


def normalise_title(title: str) -> str:
    return " ".join(words(title.lower()))


def item_text(item: dict) -> str:
    return "\n".join([item["title"], *(s["text"] for s in item["sections"])])


class Corpus:
    """The items, their vocabulary and document frequencies, and which titles repeat."""

    def __init__(self, items: list[dict]):
        self.items = items
        self.open_items = [i for i in items if i["access"] != "lukket" and i["title"].strip()]
        self.text_words: dict[int, set[str]] = {
            i["id"]: {w.lower() for w in words(item_text(i))} for i in self.open_items
        }
        self.df: Counter[str] = Counter()
        for vocabulary in self.text_words.values():
            self.df.update(vocabulary)
        by_title: dict[str, list[int]] = defaultdict(list)
        for item in items:
            by_title[normalise_title(item["title"])].append(item["id"])
        self.by_title = by_title
        all_words = set().union(*self.text_words.values()) if self.text_words else set()
        self.lexicon = Lexicon(all_words)
        title_words = Counter()
        for item in self.open_items:
            title_words.update({w.lower() for w in words(item["title"]) if is_content(w)})
        from search_eval.danish import zipf

        self.common_title_words = sorted(
            w for w in title_words if len(w) >= 5 and zipf(w) >= 3.0 and w.isalpha()
        )

    def eligible(self) -> list[dict]:
        out = []
        for item in self.open_items:
            if len(self.by_title[normalise_title(item["title"])]) > MAX_TITLE_REPEATS:
                continue
            if not any(is_content(w) for w in words(item["title"])):
                continue
            out.append(item)
        return out

    def acceptable(self, item: dict) -> list[int]:
        """The item first, then open items of the same title in other meetings."""
        open_ids = {i["id"] for i in self.open_items}
        same = [
            i
            for i in self.by_title[normalise_title(item["title"])]
            if i != item["id"] and i in open_ids
        ]
        return [item["id"], *same]

    def contains(self, item: dict, word: str) -> bool:
        return word.lower() in self.text_words[item["id"]]

    def contains_prefix(self, item: dict, word: str) -> bool:
        prefix = word.lower()[: max(5, len(word) - 2)]
        return any(w.startswith(prefix) for w in self.text_words[item["id"]])


def _nearest(content_positions: list[int], centre: int, k: int) -> list[int]:
    others = sorted(
        (p for p in content_positions if p != centre), key=lambda p: (abs(p - centre), p)
    )
    return sorted(others[:k])


def _with_context(tokens: list[str], centre: int, replacement: str, extra: int = 2) -> str:
    positions = [i for i, w in enumerate(tokens) if is_content(w)]
    keep = sorted([*_nearest(positions, centre, extra), centre])
    return " ".join(replacement if i == centre else tokens[i].lower() for i in keep)


def q_title_exact(corpus: Corpus, item: dict, rng: random.Random) -> tuple[str, dict] | None:
    return item["title"].replace('"', " ").strip(), {}


def q_drop_words(corpus: Corpus, item: dict, rng: random.Random) -> tuple[str, dict] | None:
    tokens = words(item["title"])
    content = [i for i, w in enumerate(tokens) if is_content(w)]
    if len(tokens) < 3 or len(content) < 2:
        return None
    n = 1 if len(content) <= 3 else rng.choice([1, 2])
    dropped = set(rng.sample(content, n))
    kept = [w for i, w in enumerate(tokens) if i not in dropped]
    return " ".join(kept), {"dropped": [tokens[i] for i in sorted(dropped)]}


def q_extra_word(corpus: Corpus, item: dict, rng: random.Random) -> tuple[str, dict] | None:
    tokens = words(item["title"])
    pool = [w for w in corpus.common_title_words if not corpus.contains_prefix(item, w)]
    if not pool or not tokens:
        return None
    extra = rng.choice(pool)
    at = rng.randint(0, len(tokens))
    return " ".join([*tokens[:at], extra, *tokens[at:]]), {"extra": extra}


def q_inflection(corpus: Corpus, item: dict, rng: random.Random) -> tuple[str, dict] | None:
    tokens = words(item["title"])
    options = []
    for i, w in enumerate(tokens):
        if not is_content(w) or len(w) < 4 or (i > 0 and w[:1].isupper()):
            continue  # no proper nouns
        forms = corpus.lexicon.inflections(w)
        if forms:
            absent = [f for f in forms if not corpus.contains(item, f)]
            options.append((i, absent or forms, bool(absent)))
    if not options:
        return None
    best = [o for o in options if o[2]] or options
    i, forms, _ = rng.choice(best)
    form = rng.choice(forms)
    return _with_context(tokens, i, form), {"word": tokens[i], "form": form}


def q_compound_split(corpus: Corpus, item: dict, rng: random.Random) -> tuple[str, dict] | None:
    tokens = words(item["title"])
    options = [
        (i, corpus.lexicon.split(w))
        for i, w in enumerate(tokens)
        if is_content(w) and not (i > 0 and w[:1].isupper())  # no proper nouns
    ]
    options = [(i, s) for i, s in options if s]
    if not options:
        return None
    i, (left, right) = rng.choice(options)
    return _with_context(tokens, i, f"{left} {right}"), {"compound": tokens[i]}


def _join_options(corpus: Corpus, tokens: list[str]) -> list[tuple[int, int, str]]:
    lower = [w.lower() for w in tokens]
    options = []

    def proper(i: int) -> bool:
        return i > 0 and tokens[i][:1].isupper()

    for i in range(len(tokens) - 2):
        head, prep, modifier = tokens[i], lower[i + 1], tokens[i + 2]
        if prep in JOIN_PREPOSITIONS and is_content(head) and is_content(modifier):
            if proper(i) or proper(i + 2) or modifier.lower().endswith(ADJECTIVE_ENDINGS):
                continue
            if head.lower() in UNCOMPOUNDED_HEADS or len(modifier) > 12 or len(head) > 14:
                continue
            joined = corpus.lexicon.join(modifier, head)
            if joined and len(joined) <= 24:
                options.append((i, i + 2, joined))
    return options


def q_compound_join(corpus: Corpus, item: dict, rng: random.Random) -> tuple[str, dict] | None:
    tokens = words(item["title"])
    options = _join_options(corpus, tokens)
    if options:
        start, end, joined = rng.choice(options)
        merged = [*tokens[:start], joined, *tokens[end + 1 :]]
        return _with_context(merged, start, joined), {"phrase": " ".join(tokens[start : end + 1])}
    # Only titles: without a tagger, phrases of running text join verbs and adverbs too.
    return None


def q_decision_words(corpus: Corpus, item: dict, rng: random.Random) -> tuple[str, dict] | None:
    decision = " ".join(s["text"] for s in item["sections"] if s["role"] == "beslutning")
    title = {w.lower() for w in words(item["title"])}
    seen: dict[str, int] = {}
    for position, w in enumerate(words(decision)):
        lowercase = w == w.lower()  # no names
        if lowercase and is_content(w) and len(w) >= 4 and w not in title and corpus.df[w] <= 3:
            seen.setdefault(w, position)
    if len(seen) < 3:
        return None
    rarest = sorted(seen, key=lambda w: (corpus.df[w], -len(w), w))[:10]
    chosen = rng.sample(rarest, rng.randint(3, min(5, len(rarest))))
    return " ".join(sorted(chosen, key=seen.get)), {}


def _is_identifier(token: str) -> bool:
    """A token a person would type: §, a year or range, a number with letters, a plan number.

    Amounts and decimals ('22.932', '1,44', '17.00') and bare small numbers are left out."""
    if "§" in token:
        return True
    if re.search(r"\.[A-Za-zÆØÅæøå]", token) or any(
        part.lower() in STOPWORDS or not part for part in token.split("-")
    ):
        return False  # '6.blev', 'havne-og': the text's punctuation, not a token
    if re.fullmatch(r"\d{4}(-\d{2,4})?|\d{1,3}-\d{1,3}|\d{3,5}", token):
        return True
    has_letter = re.search(r"[A-Za-zÆØÅæøå]", token) is not None
    return has_letter and (re.search(r"\d", token) is not None or "-" in token)


def _digit_tokens(text: str) -> list[str]:
    found = []
    for match in DIGIT_TOKEN.finditer(text):
        token = re.sub(r"\s+", " ", match.group(0).strip(".,:;()'\"”“"))
        if len(token) >= 2 and not token.startswith("-") and _is_identifier(token):
            found.append(token)
    return list(dict.fromkeys(found))


def q_digits(corpus: Corpus, item: dict, rng: random.Random) -> tuple[str, dict] | None:
    title_tokens = _digit_tokens(item["title"])
    source = "title"
    if not title_tokens:
        text = " ".join(s["text"] for s in item["sections"])
        title_tokens = [
            t
            for t in _digit_tokens(text)
            if 3 <= len(t) <= 20 and corpus.df[t.lower()] <= 3 and not DATE.fullmatch(t)
        ]
        source = "text"
    if not title_tokens:
        return None
    token = rng.choice(title_tokens)
    others = [
        w.lower() for w in words(item["title"]) if is_content(w) and w.lower() not in token.lower()
    ]
    if not others:
        return None
    word = min(others, key=lambda w: (corpus.df[w], w))
    parts = [token, word] if rng.random() < 0.5 else [word, token]
    return " ".join(parts), {"token": token, "from": source}


MAKERS = {
    "title_exact": q_title_exact,
    "drop_words": q_drop_words,
    "extra_word": q_extra_word,
    "inflection": q_inflection,
    "compound_split": q_compound_split,
    "compound_join": q_compound_join,
    "decision_words": q_decision_words,
    "digits": q_digits,
}


def generate(items: list[dict], seed: int = 1, max_items: int = 400) -> tuple[list[dict], dict]:
    corpus = Corpus(items)
    eligible = sorted(corpus.eligible(), key=lambda i: i["id"])
    sample = list(eligible)
    random.Random(seed).shuffle(sample)
    sample = sorted(sample[:max_items], key=lambda i: i["id"])
    queries = []
    for item in sample:
        for cls in CLASSES:
            rng = random.Random(f"{seed}:{item['id']}:{cls}")
            made = MAKERS[cls](corpus, item, rng)
            if not made:
                continue
            text, detail = made
            text = " ".join(text.split())
            if not text:
                continue
            queries.append(
                {
                    "qid": f"g{item['id']}-{cls}",
                    "cls": cls,
                    "query": text,
                    "wanted": [corpus.acceptable(item)],
                    "wanted_titles": [item["title"]],
                    "detail": detail,
                }
            )
    stats = {
        "items": len(items),
        "open_items": len(corpus.open_items),
        "eligible_items": len(eligible),
        "sampled_items": len(sample),
        "excluded_repeated_titles": sorted(
            {t for t, ids in corpus.by_title.items() if len(ids) > MAX_TITLE_REPEATS}
        ),
    }
    return queries, stats


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("items", type=pathlib.Path)
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-items", type=int, default=400)
    args = parser.parse_args()
    items = json.loads(args.items.read_text(encoding="utf-8"))
    queries, stats = generate(items, args.seed, args.max_items)
    with args.out.open("w", encoding="utf-8") as fh:
        for q in queries:
            fh.write(json.dumps(q, ensure_ascii=False) + "\n")
    print(json.dumps(stats, ensure_ascii=False), f"{len(queries)} queries -> {args.out}")


if __name__ == "__main__":
    main()
