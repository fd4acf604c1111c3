"""Fejl: the small hierarchy of errors raised by the agreement engine.

Every error carries a plain Danish message meant for the person who made the input (a consultant in
the secretariat, a finance officer in a municipality). The command line prints ``str(error)`` and
nothing else, so the message must stand on its own.

    AgreementError
    ├── UnknownAgreementError     no agreement with that id in the registry
    ├── AgreementDataError        an agreement's data file is inconsistent
    ├── PriceFactorError          a price factor that is not a positive number
    ├── ReferralError             a referral with impossible values (e.g. -1 visits a day)
    ├── CourseError               a course handed directly to the engine breaks a rule
    └── InputFileError            a courses file that cannot be settled; holds one or more
        │                         InputError, each naming its line and column
        InputError (one problem at one line and column)
        ├── MissingColumnError
        ├── MalformedRowError
        ├── MissingValueError
        ├── UnknownTypeError
        ├── UnknownSettingError
        ├── InvalidDateError
        ├── EndBeforeStartError
        ├── CourseOutsideYearError
        ├── DuplicateCourseError
        └── EncodingError
"""

from __future__ import annotations


class AgreementError(Exception):
    """Base of every error the engine raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UnknownAgreementError(AgreementError):
    def __init__(self, agreement_id: str, known: list[str]) -> None:
        super().__init__(
            f"Ukendt aftale '{agreement_id}'. Kendte aftaler: {', '.join(sorted(known))}."
        )
        self.agreement_id = agreement_id


class AgreementDataError(AgreementError):
    """The data describing an agreement is incomplete or contradicts itself."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"Aftaledata i {source} er ugyldige: {problem}")
        self.source = source
        self.problem = problem


class PriceFactorError(AgreementError):
    pass


class ReferralError(AgreementError):
    pass


class CourseError(AgreementError):
    pass


class InputError(AgreementError):
    """One problem at one place in an input file. ``line`` counts from 1 (the header)."""

    def __init__(self, line: int, column: str, problem: str) -> None:
        super().__init__(f"Linje {line}, kolonne '{column}': {problem}")
        self.line = line
        self.column = column
        self.problem = problem


class MissingColumnError(InputError):
    pass


class MalformedRowError(InputError):
    pass


class MissingValueError(InputError):
    pass


class UnknownTypeError(InputError):
    pass


class UnknownSettingError(InputError):
    pass


class InvalidDateError(InputError):
    pass


class EndBeforeStartError(InputError):
    pass


class CourseOutsideYearError(InputError):
    pass


class DuplicateCourseError(InputError):
    pass


class EncodingError(InputError):
    pass


class InputFileError(AgreementError):
    """A file that cannot be settled. ``errors`` holds the first problems found, in line order;
    ``total`` counts all of them."""

    def __init__(self, source: str, errors: list[InputError], total: int | None = None) -> None:
        total = len(errors) if total is None else total
        lines = [f"{source}: {error}" for error in errors]
        if total > len(errors):
            lines.append(f"{source}: ... og {total - len(errors)} fejl mere.")
        lines.append(f"Filen er ikke afregnet ({total} fejl).")
        super().__init__("\n".join(lines))
        self.source = source
        self.errors = errors
        self.total = total
