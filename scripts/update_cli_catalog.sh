#!/usr/bin/env bash
# Refresh the CLI's Vietnamese catalog after a Typer upgrade: extract the msgids of the installed Click and Typer and
# of cli/typer_vi.py, merge them into cli/locale/vi/LC_MESSAGES/thidua.po (new ones untranslated: translate them),
# then compile the .mo that is committed beside it (tests/test_cli_frame.py checks they match).
#   scripts/update_cli_catalog.sh            (from the repository, with .venv built by `make .venv`)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
SP=$($BIN/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp -r "$SP/click" "$SP/typer" cli/typer_vi.py "$tmp/"   # copies, so that references read click/core.py:123
(cd "$tmp" && "$OLDPWD/$BIN/pybabel" extract --no-default-keywords -k _ -k ngettext:1,2 -k N_ -k pgettext:1c,2 -k NP_:1c,2 \
   --sort-by-file --no-wrap --project "thidua CLI" -o messages.pot click typer typer_vi.py >/dev/null)
$BIN/pybabel update --no-wrap --no-fuzzy-matching -l vi -D thidua -i "$tmp/messages.pot" -d cli/locale
$BIN/pybabel compile --statistics -d cli/locale -D thidua
