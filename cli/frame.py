"""The frame of every `thidua` command: Typer in Vietnamese (cli/typer_vi.py) with one error boundary (cli/errors.py).

Every command group of the CLI is a `Typer` from here; a command's failure is explained once, at the
group that runs it, rather than by a try/except in every command.
"""

from typing import Any

import typer

from cli import typer_vi
from cli.errors import explain


class Group(typer_vi.Group):
    """A command group whose commands' failures become Vietnamese lines on stderr and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            failure = explain(exc)
            if failure is None:
                raise
            for line in failure.lines:
                typer.echo(line, err=True)
            raise typer.Exit(failure.code) from None


class Typer(typer_vi.Typer):
    """`typer.Typer` for the CLI: Vietnamese messages, and the error boundary around its commands."""

    def __init__(self, *args: Any, cls: type[typer_vi.Group] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, cls=cls or Group, **kwargs)
