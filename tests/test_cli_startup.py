"""The CLI starts light: its command modules import neither Prefect, the database nor the document stack,
so `thidua --help`, `plan check` and `calendar` answer fast (bench/cli.py measures them)."""

import subprocess
import sys

HEAVY = ("prefect", "sqlmodel", "sqlalchemy", "openpyxl", "docx", "matplotlib", "pydantic_settings")


def _loaded_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    return set(result.stdout.split())


def test_importing_the_cli_loads_nothing_heavy() -> None:
    assert _loaded_after("import cli") == set()


def test_checking_plans_and_showing_a_calendar_load_nothing_heavy() -> None:
    code = (
        "from typer.testing import CliRunner\nimport cli\nrunner = CliRunner()\n"
        "assert runner.invoke(cli.app, ['plan', 'check', 'plans/loc-ninh-2024-2025.yaml']).exit_code == 0\n"
        "assert runner.invoke(cli.app, ['calendar', 'plans/loc-ninh-2024-2025.yaml', '--year', '2025']).exit_code == 0"
    )
    assert _loaded_after(code) == set()
