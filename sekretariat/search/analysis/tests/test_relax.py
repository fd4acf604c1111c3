"""Relaxed forms of a query (pure): which words may go, in which order, what they cost."""

import pytest

from sekretariat.search.analysis import analyze_query
from sekretariat.search.analysis.relax import (
    SPLIT_WORTH,
    can_relax,
    clause_weight,
    relaxations,
    title_coverage,
)


def test_rare_words_weigh_more_than_common_ones():
    assert clause_weight(10, 100_000) > clause_weight(10_000, 100_000) > 0
    assert clause_weight(0, 0) > 0


def test_forms_leave_out_the_cheapest_word_first():
    parsed = analyze_query("kommune storskrald genbrug")
    forms = relaxations(parsed, [0.5, 6.0, 3.0])
    assert forms[0].missing == ("kommune",)
    assert forms[0].coverage == pytest.approx(9.0 / 9.5)
    coverages = [form.coverage for form in forms]
    assert coverages == sorted(coverages, reverse=True)
    # Never the query itself, never nothing at all.
    assert all(0 < form.coverage < 1 for form in forms)
    assert all(form.parsed.required for form in forms)


def test_locked_words_and_phrases_are_never_left_out():
    parsed = analyze_query('+storskrald "fælles medicinkort" genbrug')
    for form in relaxations(parsed, [1.0, 1.0, 1.0]):
        texts = [clause.text for clause in form.parsed.required]
        assert "storskrald" in texts and "fælles medicinkort" in texts
        assert form.missing == ("genbrug",)
    assert not can_relax(analyze_query('"fælles medicinkort"'))
    assert can_relax(analyze_query("storskrald genbrug"))


def test_a_compound_may_be_matched_by_its_parts():
    parsed = analyze_query("referatgodkendelse")
    assert can_relax(parsed)
    form, near = relaxations(parsed, [2.0])
    assert form.split == near.split == ("referatgodkendelse",)
    assert form.coverage > near.coverage
    assert [clause.text for clause in form.parsed.required] == ["referat", "godkend"]
    assert form.coverage == pytest.approx(SPLIT_WORTH)


def test_a_word_the_index_keeps_whole_is_split_for_relaxing():
    (clause,) = analyze_query("byrådsmedlemmer").required
    assert clause.alternatives == (("byraadsmedlem",),)
    assert clause.parts == ("byraad", "medlem")


def test_absent_words_are_left_out_of_every_form():
    parsed = analyze_query("legeplads qzxvy idrætscenter")
    forms = relaxations(parsed, [2.0, 9.0, 2.0], absent=frozenset({1}))
    assert forms and all("qzxvy" in form.missing for form in forms)


def test_many_words_are_left_out_one_at_a_time():
    words = "alfa bravo charlie delta ekko foxtrot golf hotel india juliet"
    parsed = analyze_query(words)
    forms = relaxations(parsed, [1.0] * len(parsed.required), max_forms=100)
    assert sorted(len(form.missing) for form in forms) == [1] * len(parsed.required)


def test_title_coverage_counts_words_and_compound_parts():
    parsed = analyze_query("legeplads idrætscenter")
    title = ["ny", "legeplad", "idraetscent", "idraet", "cent", "idraet0cent"]
    assert title_coverage(parsed, [1.0, 1.0], title) == pytest.approx(1.0)
    assert title_coverage(parsed, [1.0, 3.0], ["legeplad"]) == pytest.approx(0.25)
    assert title_coverage(parsed, [1.0, 1.0], []) == 0.0


def test_one_weight_per_clause():
    with pytest.raises(ValueError):
        relaxations(analyze_query("a b"), [1.0])


def test_a_compound_may_be_matched_by_its_near_form():
    from sekretariat.search.analysis.relax import NEAR_WORTH
    from sekretariat.search.analysis.render import to_fts5_match, to_tsquery

    parsed = analyze_query("sundhedsplejeordning")
    (clause,) = parsed.required
    assert clause.near == ("sundhedsplej*", "ordning")
    forms = relaxations(parsed, [1.0])
    near = [form for form in forms if form.coverage == pytest.approx(NEAR_WORTH)]
    (form,) = near
    assert to_fts5_match(form.parsed).match == '"sundhedsplej" * AND "ordning"'
    assert to_tsquery(form.parsed) == "'sundhedsplej':* & 'ordning'"
    # Nothing a user types becomes a prefix.
    assert to_fts5_match(analyze_query("sundhed*")).match == '"sund"'
