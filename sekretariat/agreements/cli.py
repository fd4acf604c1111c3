"""``sekretariat iv``: the agreement engine on the command line.

    sekretariat iv settle --agreement hovedstaden-2021 --year 2022 --courses forløb.csv
                          [--price-factor 1.0234] [--summary]

:func:`main` takes its arguments and both output streams as parameters and returns the exit code,
so the Django management command (``settlements/management/commands/iv.py``) is a thin wrapper and
tests call it directly. Exit codes: 0 settled; 2 bad arguments or bad input (a Danish message on
stderr, nothing at all on stdout).
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn, TextIO

from .csvio import read_courses_file, write_lines, write_summary
from .errors import AgreementError
from .money import parse_price_factor
from .registry import agreement_ids, get_agreement
from .settlement import settle

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class _UsageError(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    """argparse that writes to the given streams and never calls sys.exit."""

    def __init__(self, *args, stdout: TextIO, stderr: TextIO, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._stdout = stdout
        self._stderr = stderr

    def _print_message(self, message: str, file=None) -> None:
        # Help and usage go to stdout, anything argparse meant for stderr goes to stderr.
        if message:
            (self._stderr if file is sys.stderr else self._stdout).write(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise _UsageError(message or "", status)

    def error(self, message: str) -> NoReturn:
        for english, danish in _ARGPARSE_DANISH:
            message = message.replace(english, danish)
        usage = self.format_usage().replace("usage:", "brug:", 1)
        raise _UsageError(f"{usage}{self.prog}: fejl: {message}\n", EXIT_BAD_INPUT)


#: argparse's own messages, in Danish for the messages a user is likely to meet.
_ARGPARSE_DANISH = (
    ("the following arguments are required:", "disse argumenter mangler:"),
    ("unrecognized arguments:", "ukendte argumenter:"),
    ("invalid int value:", "ikke et helt tal:"),
    ("invalid choice:", "ugyldigt valg:"),
    ("choose from", "vælg mellem"),
    ("expected one argument", "kræver en værdi"),
)


def build_parser(stdout: TextIO, stderr: TextIO) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sekretariat iv",
        description="IV-behandling i kommunalt regi: afregning efter samarbejdsaftalen.",
        stdout=stdout,
        stderr=stderr,
    )
    commands = parser.add_subparsers(dest="command", metavar="KOMMANDO", parser_class=_Parser)
    commands.required = True
    settle_parser = commands.add_parser(
        "settle",
        help="afregn et års forløb efter trappemodellen",
        description=(
            "Afregn en regions forløb for et år. Forløbene tælles i startdatoens orden "
            "(ved samme dato efter forløbs-id; numerisk hvis alle id'er er tal), og forløbets "
            "nummer i året bestemmer trinnet."
        ),
        stdout=stdout,
        stderr=stderr,
    )
    settle_parser.add_argument(
        "--agreement",
        required=True,
        metavar="AFTALE",
        help=f"aftalens id ({', '.join(agreement_ids())})",
    )
    settle_parser.add_argument(
        "--year", required=True, type=int, metavar="ÅR", help="afregningsåret"
    )
    settle_parser.add_argument(
        "--courses", required=True, metavar="FIL", help="CSV med forløb (UTF-8, evt. med BOM)"
    )
    settle_parser.add_argument(
        "--price-factor",
        metavar="FAKTOR",
        help="prisfaktor der erstatter aftalens prisindeks for året, fx 1.0234",
    )
    settle_parser.add_argument(
        "--summary", action="store_true", help="skriv én linje pr. kommune og en I alt-linje"
    )
    return parser


def main(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    """Run ``sekretariat iv`` with ``argv`` (without the program name); return the exit code."""
    parser = build_parser(stdout, stderr)
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        if exc.code:
            stderr.write(str(exc))
        return exc.code
    try:
        with _cyclic_gc_paused():
            return _settle(args, stdout, stderr)
    except AgreementError as exc:
        stderr.write(f"{exc}\n")
        return EXIT_BAD_INPUT


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """A year's file makes millions of small objects and no reference cycles; the cyclic garbage
    collector would only scan them over and over (about a third of the run time), so it is paused
    while we settle and restored afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _settle(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    if not 1 <= args.year <= 9998:
        raise AgreementError(f"Året {args.year} er ikke gyldigt.")
    agreement = get_agreement(args.agreement)
    price_factor = None if args.price_factor is None else parse_price_factor(args.price_factor)
    courses = read_courses_file(args.courses, agreement, args.year)
    settlement = settle(agreement, args.year, courses, price_factor, checked=True)
    del courses
    for notice in settlement.notices:
        stderr.write(f"{notice}\n")
    if args.summary:
        write_summary(stdout, settlement)
    else:
        write_lines(stdout, settlement)
    return EXIT_OK
