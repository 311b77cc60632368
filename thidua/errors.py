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
        return f'{self.file}: {self.field}: "{self.value}" — {self.reason}'


class InvalidInput(Exception):
    """Raised with every error found in an input; nothing has been written."""

    def __init__(self, errors: Iterable[InputError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(map(str, self.errors)))
