"""Charts: SVG from plain numbers, Danish labels and numbers, no network, deterministic."""

import datetime

from sekretariat.settlements import charts


def test_danish_numbers():
    assert charts.danish_number(1234567.891, 2) == "1.234.567,89"
    assert charts.danish_number(3001) == "3.001"


def test_charts_are_inline_svg_with_a_title_and_text_labels():
    svg = charts.courses_by_type(
        ["Øby 4e4e", "Åby 4e4e"],
        {"IV-antibiotika": [12, 30], "IV-væske (isoton)": [4, 1]},
        "Forløb 4e4e",
    )
    assert svg.startswith('<svg role="img"') and "<title>Forløb 4e4e</title>" in svg
    assert "Øby 4e4e" in svg and "IV-væske (isoton)" in svg and "Antal forløb" in svg
    assert "http://" not in svg.replace("http://www.w3.org", "").replace(
        "http://purl.org", ""
    ).replace("http://creativecommons.org", "").replace("http://matplotlib.org", "")


def test_staircase_marks_the_steps_and_is_deterministic():
    days = [datetime.date(2022, 1, 1) + datetime.timedelta(days=i) for i in range(0, 360, 10)]
    cumulative = [100 * (i + 1) for i in range(len(days))]
    args = (2022, days, cumulative, [(1, 1), (2, 1501), (3, 3001)], "Trappen 4e4e")
    svg = charts.staircase(*args)
    assert "trin 2 fra forløb nr. 1.501" in svg and "trin 3 fra forløb nr. 3.001" in svg
    assert ">jan<" in svg or "jan" in svg
    assert svg == charts.staircase(*args)


def test_band_bars_mark_flagged_and_missing_values():
    svg = charts.band_bars(
        ["A 4e4e", "B 4e4e", "C 4e4e"],
        [10.0, None, 99.5],
        "Udgift 4e4e",
        "kr.",
        median=10,
        lower=8,
        upper=12,
        flagged=frozenset({"C 4e4e"}),
        decimals=1,
    )
    assert (
        "ingen værdi" in svg
        and "99,5" in svg
        and "afviger" in svg
        and charts.FLAG.lower() in svg.lower()
    )


def test_length_distribution_caps_long_courses():
    svg = charts.length_distribution({"IV-pumpe": [3, 8, 40, 55]}, "Længde 4e4e", cap=21)
    assert "21+" in svg and "Forløbets længde (dage)" in svg
