"""The README's "Everyday use" holds as typed: every file it names is shipped, and the example files it imports are
valid for their plans once the plan's units are imported, in the README's order."""

import re
import shlex
from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from cli import app

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def everyday_commands() -> list[list[str]]:
    """The commands of the "Everyday use" block, continuation lines joined, comments dropped, without `.venv/bin/thidua`."""
    section = README.split("## Everyday use", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0].replace("\\\n", " ")
    return [shlex.split(line, comments=True)[1:] for line in block.splitlines() if line.strip()]


def test_every_file_the_everyday_commands_name_is_shipped() -> None:
    named = [arg for command in everyday_commands() for arg in command if re.search(r"\.(csv|xlsx|yaml)$", arg)]
    assert "examples/chi-so-loc-ninh-2025.csv" in named and "examples/ca-nhan-can-tho-2019.csv" in named
    missing = [arg for arg in named if not list(ROOT.glob(arg))]
    assert missing == []


def test_the_imports_of_the_everyday_commands_succeed_in_order(app_engine: Engine) -> None:
    imports = [c for c in everyday_commands() if c[1:2] == ["import"]]
    assert [c[0] for c in imports] == ["units", "scores", "units", "individuals"]  # a plan's units before its people
    runner = CliRunner()
    for command in imports:
        args = [str(ROOT / a) if re.search(r"\.(csv|xlsx)$", a) else a for a in command]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (command, result.output)
    assert "Đã nhập hồ sơ năm 2019 của 10 cá nhân" in result.output
