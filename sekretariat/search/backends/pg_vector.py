"""PostgreSQL's tsvector of a document, written by the application as a literal.

The analyzer has already stemmed and dropped what it should, so PostgreSQL is given the terms
with their positions and weight classes as a tsvector literal, and neither parses nor analyses
the text again (see `postgres.PostgresBackend.write_columns`).
"""

# The terms' columns of `indexer.COLUMNS`, in the order of the vector's positions.
_TERM_COLUMNS = ("title_terms", "text_terms", "filter_terms")


# The highest position a tsvector keeps (PostgreSQL writes any later one as this).
MAX_POSITION = 16383
# ":1A ", ":2A ", ...: each term's position and weight class, built once (a rebuild writes
# hundreds of millions of them). D, the default class, goes without its letter: most terms
# are in it, and the server parses every character of the literal.
_MARKS = {
    weight: [f":{n}{'' if weight == 'D' else weight} " for n in range(1, MAX_POSITION + 1)]
    for weight in "ABCD"
}


def vector_literal(title_terms: str, text_terms: str, filter_terms: str, text_weight: str) -> str:
    """The tsvector of a document as a literal: each term with its position and weight class
    (D unmarked), in order ("iv:1A takst:2A takst:3 ..."); PostgreSQL sorts the lexemes and
    merges each one's positions. The same value as
    `setweight(to_tsvector('simple', title_terms), 'A') || setweight(to_tsvector('simple',
    text_terms), text_weight) || setweight(to_tsvector('simple', filter_terms), 'D')`
    (a test checks it), at a third of the server's work: no parser, no dictionary. One
    difference: a term more than 255 times in one text keeps 256 positions here, 255 there."""
    out: list[str | None] = []
    position = 0
    for terms, weight in ((title_terms, "A"), (text_terms, text_weight), (filter_terms, "D")):
        words = terms.split()
        count = len(words)
        if not count:
            continue
        # The analyzer's terms are letters and digits; a lexeme with a quote, a backslash or a
        # colon would have to be quoted (white space separates the terms).
        if "'" in terms or "\\" in terms or ":" in terms:
            words = ["'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in words]
        marks = _MARKS[weight]
        chosen = marks[position : position + count]
        if len(chosen) < count:
            chosen += [marks[-1]] * (count - len(chosen))
        # Terms and marks interleaved by slice assignment: no string is built per term (half
        # the time of concatenating each term with its mark).
        start = len(out)
        out += [None] * (2 * count)
        out[start::2] = words
        out[start + 1 :: 2] = chosen
        position += count
    return "".join(out)  # type: ignore[arg-type]


def vector_rows(columns: tuple[str, ...], rows: list[tuple]) -> list[tuple]:
    """Rows of `columns` as this backend writes them (`write_columns`): the title's and the
    text's terms left empty, the tsvector literal added at the end."""
    title, text, filters = (columns.index(name) for name in _TERM_COLUMNS)
    weight = columns.index("text_weight")
    low, high = min(title, text), max(title, text)
    if high != low + 1:
        raise ValueError("title_terms and text_terms must be adjacent columns")
    return [
        (
            *row[:low],
            "",
            "",
            *row[high + 1 :],
            vector_literal(row[title], row[text], row[filters], row[weight]),
        )  # fmt: skip
        for row in rows
    ]
