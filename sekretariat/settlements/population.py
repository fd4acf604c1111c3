"""Folketal: reading the installation's population file (CSV), without touching the database.

The file has a header naming four columns in any order, in English or Danish:
``code``/``kommunekode``, ``name``/``navn``/``kommune``, ``population``/``folketal``/
``indbyggere`` and ``year``/``år``. Comma, semicolon or tab separates the fields (Danish Excel
writes semicolons); UTF-8, with or without a byte order mark. A population may be written with
Danish thousands separators (``52.314``). Every problem is reported with its line (the header is
line 1) and the column as the file names it; a file with any problem is refused whole.
"""

import csv
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

COLUMNS = {
    "code": ("code", "kommunekode", "kode"),
    "name": ("name", "navn", "kommune", "kommunenavn"),
    "population": ("population", "folketal", "indbyggere"),
    "year": ("year", "år", "aar"),
}
MAX_REPORTED = 20
_THOUSANDS = re.compile(r"^\d{1,3}([.\s\u00a0]\d{3})+$")


@dataclass(frozen=True)
class PopulationRow:
    line: int
    code: str
    name: str
    population: int
    year: int
    columns: dict  # our column key → the header as the file writes it


class PopulationFileError(Exception):
    """A population file that cannot be imported; ``problems`` are Danish sentences."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def problem_at(line: int, column: str, text: str) -> str:
    return _("Line %(line)d, column '%(column)s': %(problem)s") % {
        "line": line,
        "column": column,
        "problem": text,
    }


def read_population_csv(data: bytes) -> list[PopulationRow]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PopulationFileError(
            [_("The file is not UTF-8 text. Save it as 'CSV UTF-8' and try again.")]
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise PopulationFileError([_("The file is empty.")])
    positions, columns = _header_positions(header)

    rows: list[PopulationRow] = []
    problems: list[str] = []
    seen: dict[tuple[str, int], int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < len(header):
            problems.append(
                problem_at(
                    line,
                    header[len(cells)].strip(),
                    _("the line has %(got)d fields, the header %(expected)d")
                    % {"got": len(cells), "expected": len(header)},
                )
            )
            continue
        code = cells[positions["code"]].strip()
        name = cells[positions["name"]].strip()
        population = _whole_number(cells[positions["population"]])
        year = _whole_number(cells[positions["year"]])
        if not code:
            problems.append(problem_at(line, columns["code"], _("the code is missing")))
        if population is None or population < 1:
            problems.append(
                problem_at(
                    line,
                    columns["population"],
                    _("'%(value)s' is not a whole number of inhabitants")
                    % {"value": cells[positions["population"]].strip()},
                )
            )
        if year is None or not 1900 <= year <= 2100:
            problems.append(
                problem_at(
                    line,
                    columns["year"],
                    _("'%(value)s' is not a year") % {"value": cells[positions["year"]].strip()},
                )
            )
        if code and population and year and population >= 1 and 1900 <= year <= 2100:
            first = seen.setdefault((code, year), line)
            if first != line:
                problems.append(
                    problem_at(
                        line,
                        columns["code"],
                        _("municipality %(code)s and year %(year)d are also on line %(first)d")
                        % {"code": code, "year": year, "first": first},
                    )
                )
            else:
                rows.append(PopulationRow(line, code, name, population, year, columns))
    if problems:
        raise PopulationFileError(_limited(problems))
    if not rows:
        raise PopulationFileError([_("The file has a header but no figures.")])
    return rows


def _header_positions(header: list[str]) -> tuple[dict[str, int], dict[str, str]]:
    names = [cell.strip().lower() for cell in header]
    positions: dict[str, int] = {}
    columns: dict[str, str] = {}
    missing = []
    for key, accepted in COLUMNS.items():
        for index, name in enumerate(names):
            if name in accepted:
                positions[key] = index
                columns[key] = header[index].strip()
                break
        else:
            missing.append(
                _("Line 1: the column '%(column)s' is missing (accepted names: %(names)s).")
                % {"column": accepted[0], "names": ", ".join(accepted)}
            )
    if missing:
        raise PopulationFileError(missing)
    return positions, columns


def _whole_number(raw: str) -> int | None:
    value = raw.strip()
    if _THOUSANDS.match(value):
        value = re.sub(r"[.\s\u00a0]", "", value)
    if not value.isascii() or not value.isdigit():
        return None
    return int(value)


def _limited(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_REPORTED:
        return problems
    rest = len(problems) - MAX_REPORTED
    return [*problems[:MAX_REPORTED], _("... and %(count)d more problems.") % {"count": rest}]
