"""``sekretariat iv settle`` end to end through ``cli.main``: output format and bad input."""

import csv
import io
from decimal import Decimal

import pytest

from sekretariat.agreements import cli
from sekretariat.agreements.csvio import MAX_REPORTED_ERRORS, OUTPUT_COLUMNS, SUMMARY_COLUMNS

from .conftest import HEADER, write_csv

GOOD = "1,Gladsaxe,antibiotika,2022-03-01,2022-03-07,hjemme"


def parse(text):
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_lines_output(run_settle):
    result = run_settle(
        [
            "20,Herlev,væske,2022-02-01,2022-02-04,klinik",
            "3,Gladsaxe,pumpe,2022-02-01,2022-02-06,hjemme",
            GOOD,
        ]
    )
    assert result.code == 0
    assert result.stdout.splitlines()[0] == ",".join(OUTPUT_COLUMNS)
    assert "\r" not in result.stdout and result.stdout.endswith("\n")
    rows = parse(result.stdout)
    assert [(r["course_id"], r["type"], r["ordinal"], r["step"]) for r in rows] == [
        ("3", "pumpe", "1", "1"),
        ("20", "vaeske", "2", "1"),
        ("1", "antibiotika", "3", "1"),
    ]
    assert rows[1] | {} == {
        "course_id": "20",
        "municipality": "Herlev",
        "type": "vaeske",
        "days": "4",
        "ordinal": "2",
        "step": "1",
        "course_tariff_dkk": "1343.00",
        "extra_days": "1",
        "day_tariff_dkk": "341.00",
        "amount_dkk": "1684.00",
    }
    for row in rows:
        assert Decimal(row["amount_dkk"]) == Decimal(row["course_tariff_dkk"]) + int(
            row["extra_days"]
        ) * Decimal(row["day_tariff_dkk"])


def test_summary_output(run_settle):
    result = run_settle(
        [
            "1,Østby Test,antibiotika,2022-03-01,2022-03-07,hjemme",
            "2,Aby Test,vaeske,2022-03-01,2022-03-03,hjemme",
            "3,Østby Test,pumpe,2022-03-02,2022-03-02,klinik",
        ],
        "--summary",
    )
    assert result.code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == ",".join(SUMMARY_COLUMNS)
    assert lines[1:] == [
        "Aby Test,1,1343.00",
        f"Østby Test,2,{6915 + 1485 + 2049}.00",
        f"I alt,3,{6915 + 1485 + 2049 + 1343}.00",
    ]


def test_bom_crlf_spaces_case_blank_lines_extra_and_reordered_columns(run_settle):
    result = run_settle(
        [
            "hjemme , x ,2022-03-07, 7 ,Gladsaxe, VÆSKE ,2022-03-01\r",
            "\r",
            'klinik,"y, z",2022-03-01,8,"Lyngby-Taarbæk",Pumpe,2022-03-01\r',
        ],
        header=" setting ,note,end_date,course_id,municipality,type,start_date\r",
        bom=True,
    )
    assert result.code == 0, result.stderr
    rows = parse(result.stdout)
    assert [(r["course_id"], r["municipality"], r["type"], r["days"]) for r in rows] == [
        ("7", "Gladsaxe", "vaeske", "7"),
        ("8", "Lyngby-Taarbæk", "pumpe", "1"),
    ]


def test_values_that_need_quoting_are_quoted(run_settle):
    result = run_settle(['"A,1","Kommune, test ""7f3a""",pumpe,2022-01-05,2022-01-05,klinik'])
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith('"A,1","Kommune, test ""7f3a""",pumpe,')
    assert parse(result.stdout)[0]["municipality"] == 'Kommune, test "7f3a"'


def test_missing_price_factor_is_a_notice_not_an_error(run_settle):
    result = run_settle([GOOD], year=2022)
    assert result.code == 0
    assert len(parse(result.stdout)) == 1
    assert result.stderr.count("\n") == 1 and "ingen prisfaktor for 2022" in result.stderr


def test_price_factor_option_overrides_and_silences_the_notice(run_settle):
    result = run_settle([GOOD], "--price-factor", "1.005")
    assert result.code == 0
    assert result.stderr == ""
    row = parse(result.stdout)[0]
    assert (row["course_tariff_dkk"], row["day_tariff_dkk"], row["amount_dkk"]) == (
        "6949.58",
        "1492.43",
        "8442.01",
    )


def test_year_in_the_index_needs_no_price_notice(run_settle):
    result = run_settle(["1,Gladsaxe,antibiotika,2020-11-01,2020-11-01,hjemme"], year=2020)
    assert result.code == 0
    assert parse(result.stdout)[0]["amount_dkk"] == "6915.00"
    assert "prisfaktor" not in result.stderr
    # 2020 is in the price index but before the agreement: a notice, not an error
    assert "uden for aftalens periode" in result.stderr


@pytest.mark.parametrize(
    ("rows", "line", "column", "words"),
    [
        (["1,Gladsaxe,blod,2022-03-01,2022-03-07,hjemme"], 2, "type", "ukendt behandlingstype 'blod'"),
        (["1,Gladsaxe,,2022-03-01,2022-03-07,hjemme"], 2, "type", "mangler"),
        (["1,Gladsaxe,pumpe,2022-3-01,2022-03-07,hjemme"], 2, "start_date", "gyldig dato"),
        (["1,Gladsaxe,pumpe,20220301,2022-03-07,hjemme"], 2, "start_date", "gyldig dato"),
        (["1,Gladsaxe,pumpe,2022-03-01,2022-02-29,hjemme"], 2, "end_date", "gyldig dato"),
        (["1,Gladsaxe,pumpe,2022-03-01,,hjemme"], 2, "end_date", "datoen mangler"),
        ([GOOD, "2,Gladsaxe,pumpe,2022-03-05,2022-03-04,hjemme"], 3, "end_date", "før startdatoen"),
        ([GOOD, GOOD.replace("Gladsaxe", "Herlev")], 3, "course_id", "også i linje 2"),
        (["1,Gladsaxe,pumpe,2021-12-31,2022-01-04,hjemme"], 2, "start_date", "uden for afregningsåret 2022"),
        (["1,Gladsaxe,pumpe,2023-01-01,2023-01-04,hjemme"], 2, "start_date", "uden for afregningsåret 2022"),
        (["1,Gladsaxe,pumpe,2022-03-01,2022-03-07,sygehus"], 2, "setting", "ukendt sted 'sygehus'"),
        (["1,,pumpe,2022-03-01,2022-03-07,hjemme"], 2, "municipality", "kommunen mangler"),
        ([" ,Gladsaxe,pumpe,2022-03-01,2022-03-07,hjemme"], 2, "course_id", "forløbs-id mangler"),
        (["1,Gladsaxe,pumpe,2022-03-01"], 2, "end_date", "4 felter"),
        ([GOOD + ",ekstra"], 2, "nr. 7", "7 felter"),
        # a quoted field over two physical lines: the error is reported at the line it ends on
        (['"1\n2",Gladsaxe,pumpe,2022-03-01,2022-03-07,hjemme', "3,Gladsaxe,x,2022-03-01,2022-03-07,hjemme"], 4, "type", "'x'"),
    ],
)  # fmt: skip
def test_bad_lines(run_settle, rows, line, column, words):
    result = run_settle(rows)
    assert result.code == 2
    assert result.stdout == ""
    assert f"Linje {line}, kolonne '{column}'" in result.stderr
    assert words in result.stderr
    assert "Filen er ikke afregnet" in result.stderr


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("course_id,municipality,type,start_date,setting", "end_date"),
        ("id,municipality,type,start_date,end_date,setting", "course_id"),
        ("course_id,municipality,type,start_date,end_date,setting,type", "type"),
    ],
)
def test_bad_header(run_settle, header, column):
    result = run_settle([GOOD], header=header)
    assert result.code == 2 and result.stdout == ""
    assert f"Linje 1, kolonne '{column}'" in result.stderr


@pytest.mark.parametrize("content", [b"", b"\n", b"\xef\xbb\xbf", b" , \n" + GOOD.encode()])
def test_empty_file_or_header(tmp_path, content):
    path = tmp_path / "tom.csv"
    path.write_bytes(content)
    stdout, stderr = io.StringIO(), io.StringIO()
    argv = ["settle", "--agreement", "hovedstaden-2021", "--year", "2022", "--courses", str(path)]
    assert cli.main(argv, stdout, stderr) == 2
    assert stdout.getvalue() == ""
    assert "Linje 1, kolonne 'course_id'" in stderr.getvalue()
    assert "overskriften mangler" in stderr.getvalue()


def test_many_errors_are_counted_but_not_all_listed(run_settle):
    bad = [
        f"{n},Gladsaxe,blod,2022-03-01,2022-03-07,hjemme" for n in range(MAX_REPORTED_ERRORS + 5)
    ]
    result = run_settle([GOOD, *bad])
    assert result.code == 2 and result.stdout == ""
    assert result.stderr.count("ukendt behandlingstype") == MAX_REPORTED_ERRORS
    assert "og 5 fejl mere" in result.stderr
    assert f"({MAX_REPORTED_ERRORS + 5} fejl)" in result.stderr


def test_errors_are_listed_in_line_order(run_settle):
    # the duplicate (found after the loop) is on line 3, the bad type on line 4
    result = run_settle([GOOD, GOOD, "9,Gladsaxe,blod,2022-03-01,2022-03-07,hjemme"])
    assert result.code == 2
    assert result.stderr.index("Linje 3") < result.stderr.index("Linje 4")


def test_invalid_utf8_names_line_and_column(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (HEADER + "\n" + GOOD + "\n2,K\xf8ge,pumpe,2022-03-01,2022-03-07,hjemme\n").encode(
            "latin-1"
        )
    )
    stdout, stderr = io.StringIO(), io.StringIO()
    code = cli.main(
        ["settle", "--agreement", "hovedstaden-2021", "--year", "2022", "--courses", str(path)],
        stdout,
        stderr,
    )
    assert code == 2 and stdout.getvalue() == ""
    assert "Linje 3, kolonne 'municipality'" in stderr.getvalue()
    assert "UTF-8" in stderr.getvalue()


def test_a_broken_csv_file_is_reported_not_crashed_on(run_settle):
    result = run_settle([GOOD, '2,"' + "x" * 200_000 + '",pumpe,2022-03-01,2022-03-07,hjemme'])
    assert result.code == 2 and result.stdout == ""
    assert "Linje 3" in result.stderr and "kan ikke læses" in result.stderr


def test_invalid_utf8_far_into_the_file_is_located_exactly(tmp_path):
    good = [f"{n},Gladsaxe,pumpe,2022-03-01,2022-03-07,hjemme" for n in range(1, 3_001)]
    text = "\n".join([HEADER, *good, "x,Gladsaxe,pumpe,2022-03-01,2022-03-07,hjemme"]) + "\n"
    raw = text.encode("utf-8").replace(b"x,Gladsaxe,pumpe", b"x,Gladsaxe,pump\xe9")
    path = tmp_path / "lang.csv"
    path.write_bytes(raw)
    stdout, stderr = io.StringIO(), io.StringIO()
    argv = ["settle", "--agreement", "hovedstaden-2021", "--year", "2022", "--courses", str(path)]
    assert cli.main(argv, stdout, stderr) == 2
    assert stdout.getvalue() == ""
    assert "Linje 3002, kolonne 'type'" in stderr.getvalue()


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["settle", "--agreement", "nowhere-1999", "--year", "2022", "--courses", "x.csv"], "Ukendt aftale"),
        (["settle", "--agreement", "hovedstaden-2021", "--year", "2022", "--courses", "/nonexistent/x.csv"], "Kan ikke læse filen"),
        (["settle", "--agreement", "hovedstaden-2021", "--year", "to", "--courses", "x.csv"], "ikke et helt tal"),
        (["settle", "--agreement", "hovedstaden-2021", "--year", "0", "--courses", "x.csv"], "ikke gyldigt"),
        (["settle", "--agreement", "hovedstaden-2021", "--courses", "x.csv"], "mangler: --year"),
        (["settle", "--agreement", "hovedstaden-2021", "--year", "2022", "--courses", "x.csv", "--price-factor", "-1"], "positivt tal"),
        (["settle", "--nonsense"], "fejl"),
        ([], "fejl"),
        (["udbetal"], "ugyldigt valg"),
    ],
)  # fmt: skip
def test_bad_arguments(argv, words):
    stdout, stderr = io.StringIO(), io.StringIO()
    assert cli.main(argv, stdout, stderr) == 2
    assert stdout.getvalue() == ""
    assert words in stderr.getvalue()


def test_price_factor_is_checked_before_reading_the_file(tmp_path):
    path = write_csv(tmp_path, [HEADER, GOOD])
    stdout, stderr = io.StringIO(), io.StringIO()
    argv = ["settle", "--agreement", "hovedstaden-2021", "--year", "2022", "--courses", str(path)]
    assert cli.main([*argv, "--price-factor", "abc"], stdout, stderr) == 2
    assert stdout.getvalue() == ""


@pytest.mark.parametrize("argv", [["--help"], ["settle", "--help"]])
def test_help_goes_to_stdout(argv):
    stdout, stderr = io.StringIO(), io.StringIO()
    assert cli.main(argv, stdout, stderr) == 0
    assert "sekretariat iv" in stdout.getvalue()
    assert stderr.getvalue() == ""
