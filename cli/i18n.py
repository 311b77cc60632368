"""Vietnamese for the messages of Typer and Click themselves (usage, help headings, option errors), through gettext.

Typer and Click look their texts up with the global gettext API at call time (`gettext.gettext`),
in whatever domain `gettext.textdomain()` names, in the language the environment gives. The catalog
is `cli/locale/vi/LC_MESSAGES/thidua.po`, compiled to the `.mo` next to it (committed; a test fails
when it differs from the `.po`). `use_vietnamese()` runs before the CLI's command modules are
imported (cli/__init__.py); cli/typer_vi.py covers the texts Typer 0.29 no longer passes through
gettext.
"""

import gettext
import importlib
import os
import sys
from pathlib import Path

DOMAIN = "thidua"
LOCALE_DIR = Path(__file__).with_name("locale")
CATALOG = LOCALE_DIR / "vi" / "LC_MESSAGES" / f"{DOMAIN}.po"


def use_vietnamese() -> None:
    """Make Typer's and Click's own messages Vietnamese, whatever LANG, LC_ALL or LANGUAGE say.

    `LANGUAGE=vi` is set in `os.environ` only (the mapping gettext reads); the process environment
    that child processes inherit is put back as it was, so tools started by the CLI keep the user's
    language.
    """
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    before = os.environ.get("LANGUAGE")
    os.environ["LANGUAGE"] = "vi"  # calls putenv() too ...
    if before is None:  # ... so the C-level environment is put back
        os.unsetenv("LANGUAGE")
    else:
        os.putenv("LANGUAGE", before)
    if "typer.rich_utils" in sys.modules:  # it translates its panel titles ("Options", "Error") once, on import
        importlib.reload(sys.modules["typer.rich_utils"])
