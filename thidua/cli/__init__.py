"""The `thidua` command line; each command group lives in its own module."""

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Điều phối phong trào thi đua cải cách hành chính.")
