"""User text inside Markdown (Prefect's markdown and table artifacts): shown as written, never as markup.

Prefect's UI renders markdown artifacts, and every text cell of a table artifact, as Markdown with raw
HTML allowed. A name like `<img src=x onerror=…>`, `[Bấm vào](javascript:…)` or `**x**` must display
as those characters. Each character that can start markup (HTML and autolinks `<`, links and images
`[ ] !`, emphasis `* _ ~`, code `` ` ``, tables `|`, headings `#`, entities `&`, escapes `\\`) gets a
backslash, which CommonMark defines as "this character, literally"; so do `-`, `+` and `1.` at the
start of the text (a cell is a Markdown document of its own: they would start a list). Line breaks
become spaces, so user text cannot open a block of its own. Dates, commas and hyphens inside names
stay as they are, so the table's search box still finds them.
"""

import re
from collections.abc import Iterable, Mapping

_META = re.compile(r"([\\`*_\[\]<>#!|~&])")
_LEADING = re.compile(r"^(\s*)([-+]|\d+(?=[.)]))")
_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")


def md(text: object) -> str:
    """`text` as literal Markdown text, on one line."""
    escaped = _META.sub(r"\\\1", _BREAKS.sub(" ", str(text)))
    return _LEADING.sub(lambda m: m[1] + (f"\\{m[2]}" if m[2] in "-+" else f"{m[2]}\\"), escaped)


def md_rows(rows: Iterable[Mapping[str, object]]) -> list[dict[str, object]]:
    """Table-artifact rows with every text cell and header escaped; numbers stay numbers."""
    return [{md(key): md(value) if isinstance(value, str) else value for key, value in row.items()} for row in rows]
