"""Input errors that name the file, the field and the value, collected so that all are shown at once."""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class InputError:
    """One problem with one value of one input file."""

    file: str
    field: str  # dotted path (`period.end`) or `dòng 4, cột focal_email`
    value: object
    reason: str  # plain Vietnamese

    def __str__(self) -> str:
        return f'{self.file}: {self.field}: "{shown(self.value)}" — {self.reason}'


VALUE_SHOWN = 200
"""Characters of a value an error shows: a 1 MB cell is named by its start, not printed whole."""


def _visible(char: str) -> str:
    return char if char.isprintable() else char.encode("unicode_escape").decode("ascii")


def shown(value: object) -> str:
    """`value` as an error shows it: at most `VALUE_SHOWN` characters, control characters visible (`\\n`)."""
    text = str(value)
    more = f"… ({len(text):_} ký tự)".replace("_", ".") if len(text) > VALUE_SHOWN else ""
    return "".join(map(_visible, text[:VALUE_SHOWN])) + more


class InvalidInput(Exception):
    """Raised with every error found in an input; nothing has been written."""

    def __init__(self, errors: Iterable[InputError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(map(str, self.errors)))


def fault_line(exc: BaseException) -> str:
    """An unexpected error on one line, for a summary: its type and the start of its message."""
    return f"{type(exc).__name__}: {shown(' '.join(str(exc).split()))}"
