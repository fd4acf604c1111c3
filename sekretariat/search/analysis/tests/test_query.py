import pytest

from sekretariat.search.analysis import FieldFilter, QueryIssue, analyze_query
from sekretariat.search.analysis.query import MAX_EXCLUDED, MAX_QUERY_CHARS, MAX_REQUIRED


def shape(query: str) -> dict:
    parsed = analyze_query(query)
    return {
        "required": [(c.text, c.alternatives, c.is_phrase) for c in parsed.required],
        "excluded": [(c.text, c.alternatives, c.is_phrase) for c in parsed.excluded],
        "filters": list(parsed.filters),
        "issues": set(parsed.issues),
    }


def test_words_phrases_exclusions_and_filters():
    assert shape(
        'forløbstakst "fælles medicinkort" -covid -"status på" year:2021 body:"Region Syd 7f3a"'
    ) == {
        "required": [
            ("forløbstakst", (("forloebstakst",), ("forloeb0takst",)), False),
            (
                "fælles medicinkort",
                (("fael", "medicinkort", "medicin", "kort", "medicin0kort"), ("fmk",)),
                True,
            ),
        ],
        "excluded": [("covid", (("covid",),), False), ("status på", (("status",),), True)],
        "filters": [
            FieldFilter("year", "2021"),
            FieldFilter("body", "Region Syd 7f3a"),
        ],
        "issues": set(),
    }


@pytest.mark.parametrize(
    ("query", "filters", "issues"),
    [
        ("year:2019-2023", [FieldFilter("year", "2019-2023")], set()),
        ("year:2023..2019", [FieldFilter("year", "2019-2023")], set()),
        ("YEAR:2021", [FieldFilter("year", "2021")], set()),
        ("year:21", [], {QueryIssue.INVALID_FILTER, QueryIssue.EMPTY}),
        ("year:", [], {QueryIssue.INVALID_FILTER, QueryIssue.EMPTY}),
        ("journal:00.15", [FieldFilter("journal", "00.15")], set()),
        ("journal:00.15.10-p35", [FieldFilter("journal", "00.15.10-P35")], set()),
        ("journal:00.15.10-P35-2-18", [FieldFilter("journal", "00.15.10-P35-2-18")], set()),
        ("journal:abc", [], {QueryIssue.INVALID_FILTER, QueryIssue.EMPTY}),
        (
            "kind:Beslutning type:Referat",
            [FieldFilter("kind", "beslutning"), FieldFilter("type", "referat")],
            set(),
        ),
        ("body:KKR body:SSU", [FieldFilter("body", "KKR"), FieldFilter("body", "SSU")], set()),
        ("-body:KKR", [FieldFilter("body", "KKR", negated=True)], set()),
        ('body:"Sundhedsdirektørkredsen', [FieldFilter("body", "Sundhedsdirektørkredsen")], set()),
        ("body:;;", [], {QueryIssue.INVALID_FILTER, QueryIssue.EMPTY}),
    ],
)
def test_filters(query, filters, issues):
    parsed = analyze_query(query)
    assert list(parsed.filters) == filters
    assert set(parsed.issues) == issues
    assert not parsed.has_text


def test_year_range_property():
    (year,) = analyze_query("year:2023-2021").filters
    assert year.year_range == (2021, 2023)
    (body,) = analyze_query("body:KKR").filters
    assert body.year_range is None


def test_unknown_field_is_text():
    assert shape("foo:bar")["required"] == [
        ("foo", (("foo",),), False),
        ("bar", (("bar",),), False),
    ]


@pytest.mark.parametrize(
    ("query", "stopwords"),
    [
        ("og i at", ("og", "i", "at")),
        ('"det er"', ("det", "er")),
        ("Hvad skal vi", ("Hvad", "skal", "vi")),
    ],
)
def test_only_stopwords_is_reported(query, stopwords):
    parsed = analyze_query(query)
    assert parsed.terms == []
    assert parsed.only_stopwords
    assert parsed.issues == {QueryIssue.ONLY_STOPWORDS}
    assert parsed.stopwords == stopwords


def test_stopwords_among_words_are_dropped_but_noted():
    parsed = analyze_query("takst for dagen")
    assert parsed.terms == ["takst", "dag"]
    assert parsed.stopwords == ("for",)
    assert not parsed.only_stopwords


@pytest.mark.parametrize(
    ("query", "issues"),
    [
        ("", {QueryIssue.EMPTY}),
        ("   \t\n ", {QueryIssue.EMPTY}),
        ("*** ;;; ()", {QueryIssue.EMPTY}),
        ("-covid", {QueryIssue.ONLY_EXCLUSIONS}),
        ('"åben ende', {QueryIssue.UNBALANCED_QUOTE}),
        ('takst "', {QueryIssue.UNBALANCED_QUOTE}),
    ],
)
def test_issues(query, issues):
    assert analyze_query(query).issues == issues


def test_non_string_input_is_an_empty_query():
    assert analyze_query(None).issues == {QueryIssue.EMPTY}  # type: ignore[arg-type]


def test_long_query_is_truncated_and_reported():
    parsed = analyze_query("takst " * 2000)
    assert QueryIssue.TRUNCATED in parsed.issues
    assert MAX_QUERY_CHARS - 100 < len(parsed.raw) <= MAX_QUERY_CHARS
    assert parsed.terms == ["takst"]  # cut between words; the same word twice is one clause


def test_long_query_without_spaces_is_cut_at_the_limit():
    parsed = analyze_query("x" * 10_000)
    assert QueryIssue.TRUNCATED in parsed.issues
    assert len(parsed.raw) == MAX_QUERY_CHARS
    assert parsed.terms == ["x" * 64]


def test_too_many_words_are_reported_not_dropped_silently():
    words = " ".join(f"ord{number}" for number in range(40))
    negated = " ".join(f"-nej{number}" for number in range(20))
    parsed = analyze_query(f"{words} {negated}")
    assert len(parsed.required) == MAX_REQUIRED
    assert len(parsed.excluded) == MAX_EXCLUDED
    assert QueryIssue.TOO_MANY_TERMS in parsed.issues
    assert parsed.ignored[0] == f"ord{MAX_REQUIRED}"
    assert parsed.ignored[-1] == "-nej19"


@pytest.mark.parametrize(
    "query",
    [
        'a" OR * NEAR(b c) ; DROP TABLE docs; --',
        "takst AND dag OR NOT nat",
        "col:takst ^takst takst* {takst}",
        "'; SELECT 1; --",
        '"""',
        "-",
        "--takst",
        '-"',
        "body:",
    ],
)
def test_syntax_characters_are_text(query):
    parsed = analyze_query(query)
    for term in parsed.terms:
        assert term.isalnum()


def test_operators_are_words():
    assert [c.alternatives for c in analyze_query("takst AND dag OR nat").required] == [
        (("takst",),),
        (("and",),),
        (("dag",),),
        (("or",),),
        (("nat",),),
    ]


def test_curly_quotes_make_phrases():
    (clause,) = analyze_query("„fælles medicinkort“").required
    assert clause.is_phrase


def test_hyphen_inside_a_word_is_not_an_exclusion():
    parsed = analyze_query("IV-behandling")
    assert parsed.excluded == ()
    assert [c.text for c in parsed.required] == ["IV", "behandling"]


def test_terms_lists_every_searched_term_once():
    assert analyze_query("direktørkreds KKR").terms == [
        "direktoerkred",
        "direktoer0kred",
        "kkr",
        "kommunekontaktraad",
        "kommun0kontak",
        "kontak0raad",
    ]


def test_numbers_joined_by_a_hyphen_are_one_clause_as_written():
    from sekretariat.search.analysis.render import to_fts5_match, to_tsquery

    parsed = analyze_query("periode 2024-2027")
    period, years = parsed.required
    assert years.text == "2024-2027"
    assert years.alternatives == (("2024", "2027"),)
    assert years.parts == ("2024", "2027")
    assert to_fts5_match(parsed).match == '"period" AND "2024 2027"'
    assert to_tsquery(parsed) == "'period' & ( '2024' <-> '2027' )"
    # Words joined by a hyphen without a digit stay words of their own.
    assert [c.text for c in analyze_query("it-udstyr").required] == ["it", "udstyr"]


def test_plus_marks_a_word_that_must_be_there():
    parsed = analyze_query("+storskrald genbrug")
    assert [(c.text, c.locked) for c in parsed.required] == [
        ("storskrald", True),
        ("genbrug", False),
    ]
    assert all(c.locked for c in analyze_query('"fælles medicinkort"').required)
