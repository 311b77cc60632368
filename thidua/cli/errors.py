"""How the CLI reports invalid input: every error on stderr, exit code 2."""

import typer

from thidua.errors import InvalidInput

EXIT_INVALID = 2


def fail(error: InvalidInput) -> typer.Exit:
    """Print every error of `error` to stderr and return the Exit to raise."""
    for item in error.errors:
        typer.echo(str(item), err=True)
    return typer.Exit(EXIT_INVALID)
