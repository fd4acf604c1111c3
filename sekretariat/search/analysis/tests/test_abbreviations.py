import json

import pytest

from sekretariat.search.analysis import (
    Abbreviation,
    AbbreviationFormatError,
    Analyzer,
    abbreviations_from_pairs,
    analyze_query,
    load_abbreviations,
)
from sekretariat.search.analysis.abbreviations import DEFAULT_ABBREVIATIONS, merge_abbreviations


def alternatives(query: str, analyzer: Analyzer | None = None) -> list[tuple[tuple[str, ...], ...]]:
    return [clause.alternatives for clause in analyze_query(query, analyzer).required]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("KKR", [(("kkr",), ("kommunekontaktraad",), ("kommun0kontak", "kontak0raad"))]),
        ("kkr", [(("kkr",), ("kommunekontaktraad",), ("kommun0kontak", "kontak0raad"))]),
        (
            "Kommunekontaktrådet",
            [(("kommunekontaktraad",), ("kommun0kontak", "kontak0raad"), ("kkr",))],
        ),
        (
            "SSU",
            [(("ssu",), ("sundhedssamarbejdsudvalg",), ("sund0samarbejd", "samarbejd0udvalg"))],
        ),
        ("IV", [(("iv",), ("intravenoes", "behandling"), ("intravenoes",))]),
        ("intravenøse", [(("intravenoes",), ("iv",), ("intravenoes", "behandling"))]),
        # The long form of two words is one clause (the IV-aftale need not say "behandling").
        ("intravenøs behandling", [(("intravenoes", "behandling"), ("iv",), ("intravenoes",))]),
        ("PLO", [(("plo",), ("praktis", "laeg", "organisation"))]),
        ("Praktiserende Lægers Organisation", [(("praktis", "laeg", "organisation"), ("plo",))]),
        (
            "KD-Net",
            [
                (
                    ("kd", "net"),
                    ("kommunaldirektoernetvaerk",),
                    ("kommunal0direktoer", "direktoer0netvaerk"),
                )
            ],
        ),
        (
            "kommunaldirektørnetværket",
            [
                (
                    ("kommunaldirektoernetvaerk",),
                    ("kommunal0direktoer", "direktoer0netvaerk"),
                    ("kd", "net"),
                )
            ],
        ),
        ("MED", [(("med",), ("medindflyd", "medbestem"))]),
        ("medindflydelse og medbestemmelse", [(("medindflyd", "medbestem"), ("med",))]),
        ("SOSU", [(("sosu",), ("social", "sund"))]),
        ("KL", [(("kl",), ("kommun", "landsforening", "land", "forening", "land0forening"))]),
    ],
)
def test_expansion_both_ways(query, expected):
    assert alternatives(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("med", []),  # the stop word, not the MED committee
        ("Med", []),
        ("kl", [(("kl",),)]),  # "kl." is klokken; only capital KL is Kommunernes Landsforening
    ],
)
def test_case_sensitive_abbreviations_need_capitals(query, expected):
    assert alternatives(query) == expected


def test_extra_abbreviations_from_a_json_file(tmp_path):
    path = tmp_path / "abbreviations.json"
    path.write_text(
        json.dumps({"BUU": "Børne- og Ungdomsudvalget", "XQZ": ["Xylofonkvartet Quiz-7f3a"]}),
        encoding="utf-8",
    )
    analyzer = Analyzer(extra_abbreviations=load_abbreviations(path))
    assert alternatives("BUU", analyzer) == [
        (("buu",), ("boern", "ungdomsudvalg", "ungdom", "udvalg", "ungdom0udvalg"))
    ]
    assert alternatives("ungdomsudvalget", analyzer) == [
        (("ungdomsudvalg",), ("ungdom0udvalg",))  # a part of the long form is not the long form
    ]
    assert alternatives("BUU", None) == [(("buu",),)]  # the default analyzer is unchanged


@pytest.mark.parametrize(
    "data",
    [
        {"BUU": "Børne- og Ungdomsudvalget"},
        [["BUU", "Børne- og Ungdomsudvalget"]],
        [{"short": "BUU", "long": ["Børne- og Ungdomsudvalget"]}],
    ],
)
def test_accepted_formats(data):
    assert abbreviations_from_pairs(data) == (Abbreviation("BUU", ("Børne- og Ungdomsudvalget",)),)


@pytest.mark.parametrize(
    "data",
    [
        {"BUU": ""},
        {"": "Børne- og Ungdomsudvalget"},
        [["BUU"]],
        [{"short": "BUU"}],
        [{"short": "BUU", "long": "x", "case_sensitive": "yes"}],
        [42],
    ],
)
def test_rejected_formats(data):
    with pytest.raises(AbbreviationFormatError):
        abbreviations_from_pairs(data)


def test_invalid_json_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(AbbreviationFormatError, match="not valid JSON"):
        load_abbreviations(path)


def test_merge_adds_long_forms_and_overrides_case():
    merged = merge_abbreviations(
        DEFAULT_ABBREVIATIONS,
        [Abbreviation("kkr", ("KKR Syddanmark-7f3a",), case_sensitive=True)],
    )
    (kkr,) = [item for item in merged if item.short == "KKR"]
    assert kkr.long_forms == ("Kommunekontaktråd", "KKR Syddanmark-7f3a")
    assert kkr.case_sensitive is True
    assert len(merged) == len(DEFAULT_ABBREVIATIONS)


def test_automatic_case_sensitivity(analyzer):
    index = Analyzer(extra_abbreviations=[Abbreviation("DEL", ("Danske Erhvervsskoler",))])
    expansion = index.abbreviation_index.by_short[("del",)]
    assert expansion.case_sensitive is True  # "del" is a common word
    assert analyzer.abbreviation_index.by_short[("kkr",)].case_sensitive is False
