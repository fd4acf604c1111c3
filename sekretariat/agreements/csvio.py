"""CSV in and out for ``sekretariat iv settle``.

Input: UTF-8 (a byte order mark is accepted), a header line naming at least the columns
``course_id,municipality,type,start_date,end_date,setting`` in any order (extra columns are
ignored), then one course a line. ``type`` is one of the agreement's type codes or aliases
(``antibiotika``, ``vaeske``/``væske``, ``pumpe`` for Hovedstaden; case does not matter), dates are
``YYYY-MM-DD``, ``setting`` is ``hjemme`` or ``klinik``. Blank lines are skipped; spaces around a
value are ignored.

The whole file is validated before anything is settled. Problems are collected (the first
:data:`MAX_REPORTED_ERRORS` are kept, all are counted) and raised together as one
:class:`InputFileError`; each names its line number (the header is line 1) and its column.

Output: CSV with ``\\n`` line endings, amounts with two decimals and ``.`` as separator.
"""

from __future__ import annotations

import csv
import unicodedata
from array import array
from collections.abc import Iterable
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import TextIO

from .errors import (
    AgreementError,
    CourseOutsideYearError,
    DuplicateCourseError,
    EncodingError,
    EndBeforeStartError,
    InputError,
    InputFileError,
    InvalidDateError,
    MalformedRowError,
    MissingColumnError,
    MissingValueError,
    UnknownSettingError,
    UnknownTypeError,
)
from .model import Agreement, Setting
from .money import format_dkk
from .settlement import Course, PricedTariff, Settlement, charge

INPUT_COLUMNS = ("course_id", "municipality", "type", "start_date", "end_date", "setting")
OUTPUT_COLUMNS = (
    "course_id",
    "municipality",
    "type",
    "days",
    "ordinal",
    "step",
    "course_tariff_dkk",
    "extra_days",
    "day_tariff_dkk",
    "amount_dkk",
)
SUMMARY_COLUMNS = ("municipality", "courses", "amount_dkk")
TOTAL_LABEL = "I alt"
MAX_REPORTED_ERRORS = 20


def read_courses_file(path: str | Path, agreement: Agreement, year: int) -> list[Course]:
    """Read and validate a courses file; raise InputFileError (or AgreementError when the file
    cannot be opened) without settling anything."""
    path = Path(path)
    source = path.name
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            return read_courses(stream, agreement, year, source=source)
    except UnicodeDecodeError:
        _raise_encoding_error(path.read_bytes(), source)
        raise
    except OSError as exc:
        raise AgreementError(f"Kan ikke læse filen {path}: {exc.strerror or exc}.") from None


def _raise_encoding_error(raw: bytes, source: str) -> None:
    """Find the exact line and column of the first byte that is not UTF-8 (the text stream only
    knows the block it was decoding)."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        field_index = raw[line_start : exc.start].count(b",")
        header = raw.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace").strip()
        names = [name.strip() for name in header.split(",")]
        if line > 1 and field_index < len(names):
            column = names[field_index]
        else:
            column = f"nr. {field_index + 1}"
        raise InputFileError(
            source,
            [EncodingError(line, column, f"teksten er ikke gyldig UTF-8 (byte {exc.start + 1})")],
        ) from None


def read_courses(
    stream: Iterable[str], agreement: Agreement, year: int, *, source: str = "<input>"
) -> list[Course]:
    """Validate every line of a courses CSV and return the courses (canonical type codes)."""
    reader = csv.reader(stream)
    errors: list[InputError] = []
    total_errors = 0

    def report(error: InputError) -> None:
        nonlocal total_errors
        total_errors += 1
        if len(errors) < MAX_REPORTED_ERRORS:
            errors.append(error)

    header = next(reader, None)
    if header is None:
        raise InputFileError(
            source, [MissingColumnError(1, INPUT_COLUMNS[0], "filen er tom; overskriften mangler")]
        )
    names = [name.strip().lstrip("\ufeff").strip() for name in header]
    if not any(names):
        raise InputFileError(
            source, [MissingColumnError(1, INPUT_COLUMNS[0], "linjen er tom; overskriften mangler")]
        )
    for column in INPUT_COLUMNS:
        if column not in names:
            report(MissingColumnError(1, column, "kolonnen mangler i overskriften"))
        elif names.count(column) > 1:
            report(MalformedRowError(1, column, "kolonnen står mere end én gang i overskriften"))
    if errors:
        raise InputFileError(source, errors, total_errors)

    width = len(names)
    pick = itemgetter(*(names.index(column) for column in INPUT_COLUMNS))
    types = _TypeLookup(agreement)
    settings = _SettingLookup()
    municipalities = _Municipalities()
    dates = _Dates()
    first_ordinal = date(year, 1, 1).toordinal()
    last_ordinal = date(year, 12, 31).toordinal()
    courses: list[Course] = []
    line_numbers = array("L")
    append, add_line = courses.append, line_numbers.append
    new_course = tuple.__new__

    # The hot loop: every lookup hits a cache keyed by the raw cell text, so a million lines cost
    # a handful of dictionary look-ups each. Problems are rare and handled off the fast path.
    try:
        for row in reader:
            if len(row) != width:
                if row:  # a blank line is skipped
                    _report_width(report, reader.line_num, row, names)
                continue
            raw_id, raw_municipality, raw_type, raw_start, raw_end, raw_setting = pick(row)
            course_id = raw_id.strip()
            municipality = municipalities[raw_municipality]
            type_code = types[raw_type]
            start, start_ordinal = dates[raw_start]
            end, end_ordinal = dates[raw_end]
            setting = settings[raw_setting]
            if (
                not course_id
                or not municipality
                or type_code is None
                or start is None
                or end is None
                or setting is None
                or not first_ordinal <= start_ordinal <= last_ordinal
                or end_ordinal < start_ordinal
            ):
                report(_row_problem(reader.line_num, row, pick, types, settings, dates, year))
                continue
            append(new_course(Course, (course_id, municipality, type_code, start, end, setting)))
            add_line(reader.line_num)
    except csv.Error as exc:
        # Only a broken file gets here (e.g. a field beyond the csv module's size limit); the
        # reader cannot go on, so this is the last problem reported.
        report(MalformedRowError(reader.line_num, "(ukendt)", f"CSV-filen kan ikke læses: {exc}"))

    ids = list(map(itemgetter(0), courses))
    if len(set(ids)) != len(ids):
        for error in _duplicates(ids, line_numbers):
            report(error)
    if total_errors:
        errors.sort(key=lambda error: error.line)
        raise InputFileError(source, errors, total_errors)
    return courses


def _report_width(report, line: int, row: list[str], names: list[str]) -> None:
    problem = f"linjen har {len(row)} felter, overskriften {len(names)}"
    if len(row) < len(names):
        report(MalformedRowError(line, names[len(row)], problem))
    else:
        report(MalformedRowError(line, f"nr. {len(names) + 1}", problem))


def _row_problem(line, row, pick, types, settings, dates, year) -> InputError:
    """The first problem of a line that failed the fast check, column by column."""
    raw_id, raw_municipality, raw_type, raw_start, raw_end, raw_setting = pick(row)
    if not raw_id.strip():
        return MissingValueError(line, "course_id", "forløbs-id mangler")
    if not _clean_text(raw_municipality):
        return MissingValueError(line, "municipality", "kommunen mangler")
    if types[raw_type] is None:
        return UnknownTypeError(line, "type", types.problem(raw_type))
    for column, raw in (("start_date", raw_start), ("end_date", raw_end)):
        if dates[raw][0] is None:
            if not raw.strip():
                return MissingValueError(line, column, "datoen mangler")
            return InvalidDateError(
                line, column, f"'{raw}' er ikke en gyldig dato på formen ÅÅÅÅ-MM-DD"
            )
    if settings[raw_setting] is None:
        return UnknownSettingError(line, "setting", settings.problem(raw_setting))
    start, end = dates[raw_start][0], dates[raw_end][0]
    if start.year != year:
        return CourseOutsideYearError(
            line,
            "start_date",
            f"forløbet begynder {start.isoformat()}, uden for afregningsåret {year}",
        )
    return EndBeforeStartError(
        line,
        "end_date",
        f"slutdatoen {end.isoformat()} ligger før startdatoen {start.isoformat()}",
    )


def _duplicates(ids: list[str], line_numbers: array) -> list[InputError]:
    first_line: dict[str, int] = {}
    errors: list[InputError] = []
    for course_id, line in zip(ids, line_numbers, strict=True):
        first = first_line.setdefault(course_id, line)
        if first != line:
            errors.append(
                DuplicateCourseError(
                    line, "course_id", f"forløbs-id '{course_id}' står også i linje {first}"
                )
            )
    return errors


def _clean_text(value: str) -> str:
    value = value.strip()
    return value if value.isascii() else unicodedata.normalize("NFC", value)


def _parse_date(raw: str) -> date | None:
    """Strictly YYYY-MM-DD (``date.fromisoformat`` alone would also take '20220301')."""
    value = raw.strip()
    if (
        len(value) == 10
        and value[4] == "-"
        and value[7] == "-"
        and value.isascii()
        and (value[:4] + value[5:7] + value[8:]).isdigit()
    ):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


class _Dates(dict):
    """Raw cell text → (date, ordinal), or (None, 0) when it is not a valid date."""

    def __missing__(self, raw: str) -> tuple[date | None, int]:
        day = _parse_date(raw)
        result = (day, day.toordinal()) if day is not None else (None, 0)
        self[raw] = result
        return result


class _Municipalities(dict):
    """Raw cell text → cleaned name; equal names share one string."""

    def __missing__(self, raw: str) -> str:
        name = _clean_text(raw)
        self[raw] = name
        return name


class _TypeLookup(dict):
    """Raw cell text → canonical type code, or None for an unknown type."""

    def __init__(self, agreement: Agreement) -> None:
        super().__init__()
        self.spellings = agreement.spellings()
        self.accepted = ", ".join("/".join((t.code, *t.aliases)) for t in agreement.treatment_types)

    def __missing__(self, raw: str) -> str | None:
        code = self.spellings.get(_clean_text(raw).lower())
        self[raw] = code
        return code

    def problem(self, raw: str) -> str:
        if not raw.strip():
            return f"behandlingstypen mangler (tilladt: {self.accepted})"
        return f"ukendt behandlingstype '{raw}' (tilladt: {self.accepted})"


class _SettingLookup(dict):
    """Raw cell text → setting value, or None."""

    values = {setting.value: setting.value for setting in Setting}

    def __missing__(self, raw: str) -> str | None:
        value = self.values.get(_clean_text(raw).lower())
        self[raw] = value
        return value

    def problem(self, raw: str) -> str:
        accepted = " eller ".join(self.values)
        if not raw.strip():
            return f"stedet mangler (tilladt: {accepted})"
        return f"ukendt sted '{raw}' (tilladt: {accepted})"


def _csv_field(value: str) -> str:
    """A value as a CSV field: quoted only when it holds a comma, a quote or a line break."""
    if any(char in value for char in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


class _Tails(dict):
    """Days → the end of a line after the ordinal (``,step,...,amount\\n``), for one type at one
    step. A year has few distinct values, so each is formatted once."""

    def __init__(self, step_number: int, tariff: PricedTariff) -> None:
        super().__init__()
        self.step_number = step_number
        self.tariff = tariff

    def __missing__(self, days: int) -> str:
        tariff = self.tariff
        extra, amount = charge(tariff, days)
        tail = self[days] = (
            f",{self.step_number},{format_dkk(tariff.course_ore)},{extra},"
            f"{format_dkk(tariff.day_ore)},{format_dkk(amount)}\n"
        )
        return tail


class _Heads(dict):
    """Days → ``type,days,`` for one type."""

    def __init__(self, type_code: str) -> None:
        super().__init__()
        self.type_field = _csv_field(type_code)

    def __missing__(self, days: int) -> str:
        head = self[days] = f"{self.type_field},{days},"
        return head


def write_lines(stream: TextIO, settlement: Settlement, *, chunk: int = 50_000) -> None:
    """One line per course, in ordinal order.

    Everything after the ordinal depends only on type, step and days, so it is formatted once per
    distinct value, through the same :func:`settlement.charge` that produced ``amounts_ore``."""
    stream.write(",".join(OUTPUT_COLUMNS) + "\n")
    courses = settlement.courses
    ids = list(map(itemgetter(0), courses))
    joined = "".join(ids)
    if any(char in joined for char in ',"\r\n'):
        ids = list(map(_csv_field, ids))
    del joined
    municipalities = {name: _csv_field(name) for name in set(map(itemgetter(1), courses))}
    heads = {t.type_code: _Heads(t.type_code) for t in settlement.tariffs}
    for span in settlement.spans:
        tails = {
            tariff.type_code: _Tails(span.step.number, tariff)
            for tariff in settlement.tariffs
            if tariff.step.number == span.step.number
        }
        for start in range(span.start, span.stop, chunk):
            stop = min(start + chunk, span.stop)
            stream.write(
                "".join(
                    [
                        f"{course_id},{municipalities[course[1]]},{heads[course[2]][days]}"
                        f"{ordinal}{tails[course[2]][days]}"
                        for course_id, course, days, ordinal in zip(
                            ids[start:stop],
                            courses[start:stop],
                            settlement.days[start:stop],
                            range(start + 1, stop + 1),
                            strict=True,
                        )
                    ]
                )
            )


def write_summary(stream: TextIO, settlement: Settlement) -> None:
    """One line per municipality sorted by name, then the total line ``I alt``."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(SUMMARY_COLUMNS)
    courses = amount = 0
    for total in settlement.by_municipality():
        writer.writerow((total.municipality, total.courses, format_dkk(total.amount_ore)))
        courses += total.courses
        amount += total.amount_ore
    writer.writerow((TOTAL_LABEL, courses, format_dkk(amount)))
