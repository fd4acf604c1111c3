import pytest

from sekretariat.search.analysis.compounds import CompoundSplitter, Part


@pytest.fixture(scope="module")
def splitter(analyzer) -> CompoundSplitter:
    return analyzer.splitter


@pytest.mark.parametrize(
    ("word", "bases"),
    [
        ("sundhedsdirektørkredsen", ["sundhed", "direktør", "kredsen"]),
        ("kommunaldirektørkredsen", ["kommunal", "direktør", "kredsen"]),
        ("socialdirektørforum", ["social", "direktør", "forum"]),
        ("sundhedssamarbejdsudvalg", ["sundhed", "samarbejde", "udvalg"]),
        ("forløbstakst", ["forløb", "takst"]),
        ("dagstakst", ["dag", "takst"]),
        ("direktørkreds", ["direktør", "kreds"]),
        ("kommunekontaktråd", ["kommune", "kontakt", "råd"]),
        ("forretningsudvalget", ["forretning", "udvalget"]),
        ("dagsordenspunkter", ["dagsorden", "punkter"]),  # fewest parts: not dag|orden|punkter
        ("behandlingsforløb", ["behandling", "forløb"]),
        ("medformanden", ["med", "formanden"]),  # a stop word as a prefix part
    ],
)
def test_splits(splitter, word, bases):
    parts = splitter.split(word)
    assert [part.base for part in parts[:-1]] + [parts[-1].surface] == bases


@pytest.mark.parametrize(
    "word",
    [
        "samarbejde",  # common word: stays whole
        "godkendelse",  # not god|kendelse
        "godkender",
        "indstillingen",
        "sekretariaterne",  # inflection of a listed word
        "hensynet",
        "behandling",
        "forløb",  # for is a stop word, never a part
        "jespersen",  # -sen is not a part
        "dimensionering",  # no linking e after a long word
        "kreds",
        "iv",
        "2021",
    ],
)
def test_does_not_split(splitter, word):
    assert splitter.split(word) == ()


def test_surfaces_spell_the_word_even_for_nested_splits(splitter):
    for word in ["sundhedssamarbejdsudvalgsmødet", "sundhedsdirektørkredsen", "dagstakst"]:
        assert "".join(part.surface for part in splitter.split(word)) == word


def test_linking_morphemes_stay_in_the_surface(splitter):
    assert splitter.split("sundhedssamarbejdsudvalg") == (
        Part("sundheds", "sundhed"),
        Part("samarbejds", "samarbejde"),
        Part("udvalg", "udvalg"),
    )


def test_cache_hook_is_filled_and_read(analyzer):
    store: dict[str, tuple[Part, ...]] = {}
    splitter = CompoundSplitter(analyzer.lexicon, cache=store)
    assert [p.base for p in splitter.split("forløbstakst")] == ["forløb", "takst"]
    assert store["forløbstakst"] == (Part("forløbs", "forløb"), Part("takst", "takst"))
    # A decision stored by an earlier run (here: made up, as lists from JSON) is used as is.
    store["zyxwvutaksten"] = [["zyxwvu", "zyxwvu-7f3a"], ["taksten", "taksten"]]
    assert splitter.split("zyxwvutaksten") == (
        Part("zyxwvu", "zyxwvu-7f3a"),
        Part("taksten", "taksten"),
    )
