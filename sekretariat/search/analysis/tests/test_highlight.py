import pytest

from sekretariat.search.analysis import analyze_query, snippet

TEXT = (
    "Indledning om sekretariatet. "
    + "Fyldtekst uden fund 7f3a. " * 8
    + "Sundhedsdirektørkredsen drøftede <b>IV-behandling</b> & økonomi i Kommunekontaktrådet. "
    + "Afsluttende bemærkning 9c2e. " * 8
)


@pytest.mark.parametrize(
    ("query", "marked"),
    [
        ("direktørkreds", ["Sundhedsdirektørkredsen"]),
        ("sundhed", ["Sundhedsdirektørkredsen"]),
        ("KKR", ["Kommunekontaktrådet"]),
        ("intravenøs", ["IV"]),
        ('"IV-behandling"', ["IV-behandling"]),
        ("IV behandling", ["IV-behandling"]),  # joined by a hyphen: one mark
        ("økonomi -sekretariat", ["økonomi"]),
    ],
)
def test_marks_words_found_through_the_analysis(query, marked):
    html = snippet(TEXT, analyze_query(query), width=160)
    found = [piece.split("</mark>")[0] for piece in html.split("<mark>")[1:]]
    assert found == marked


def test_marks_the_whole_long_form_though_the_index_is_asked_for_less():
    """The index is asked for IV or "intravenøs" (the phrase finds nothing more), but the
    long form's phrase still marks both of its words."""
    html = snippet(
        "Aftalen om intravenøs behandling forlænges.", analyze_query("intravenøs behandling")
    )
    found = [piece.split("</mark>")[0] for piece in html.split("<mark>")[1:]]
    assert found == ["intravenøs", "behandling"]


def test_text_is_escaped():
    html = snippet(TEXT, analyze_query("økonomi"), width=160)
    assert "&lt;b&gt;IV-behandling&lt;/b&gt; &amp; <mark>økonomi</mark>" in html
    assert "<b>" not in html


def test_window_is_around_the_match_and_about_width_long():
    html = snippet(TEXT, analyze_query("Kommunekontaktrådet"), width=80)
    assert html.startswith("…") and html.endswith("…")
    assert "Indledning" not in html
    assert len(html.replace("<mark>", "").replace("</mark>", "")) <= 80 + 2


def test_window_prefers_the_place_where_most_query_words_match():
    text = "takst alene 1a. " * 10 + "takst og pumpe sammen 2b. " + "fyld 3c. " * 30
    html = snippet(text, analyze_query("takst pumpe"), width=60)
    assert "<mark>pumpe</mark>" in html


def test_no_match_gives_the_beginning():
    html = snippet(TEXT, analyze_query("zebra"), width=60)
    assert html.startswith("Indledning om sekretariatet.")
    assert "<mark>" not in html and html.endswith("…")


def test_whitespace_is_collapsed_and_words_are_not_cut():
    text = "Første   linje\n\nanden\tlinje med takst og flere ord bagefter her"
    html = snippet(text, analyze_query("takst"), width=30)
    assert "\n" not in html and "  " not in html
    assert all(
        word in text
        for word in html.strip("…").replace("<mark>", "").replace("</mark>", "").split()
    )


@pytest.mark.parametrize("text", ["", "   ", "<>&", "kort"])
def test_short_and_empty_texts(text):
    html = snippet(text, analyze_query("kort"), width=50)
    assert "<" not in html.replace("<mark>", "").replace("</mark>", "")
