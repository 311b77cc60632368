"""How the CLI reports invalid input: every error on stderr, exit code 2."""

from collections.abc import Callable
from datetime import date
from typing import TypeVar

import typer

from thidua.dates import parse_date
from thidua.errors import InputError, InvalidInput

EXIT_INVALID = 2


def fail(error: InvalidInput) -> typer.Exit:
    """Print every error of `error` to stderr and return the Exit to raise."""
    for item in error.errors:
        typer.echo(str(item), err=True)
    return typer.Exit(EXIT_INVALID)


def option_date(option: str, text: str) -> date:
    """A date given on the command line (`dd/mm/yyyy` or `yyyy-mm-dd`); InvalidInput names the option."""
    try:
        return parse_date(text)
    except ValueError as exc:
        raise InvalidInput([InputError("(dòng lệnh)", option, text, str(exc))]) from None


T = TypeVar("T")


def checked(action: Callable[[], T]) -> T:
    """Run `action`; invalid input becomes the errors on stderr and exit code 2."""
    try:
        return action()
    except InvalidInput as exc:
        raise fail(exc) from None
