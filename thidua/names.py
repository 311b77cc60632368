"""What a code and a name may hold: codes are slugs; names are one line of printable text.

Codes (plans, groups, units, milestones, documents) are written in URLs, file names, message keys and
database keys; names are printed in mail headers, documents and spreadsheets. Both are checked where
they enter (plan files, imports, the command line), with the reason in Vietnamese.
"""

import re
import unicodedata

CODE_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
CODE_MAX = 64
NAME_MAX = 300

_CODE = re.compile(CODE_PATTERN)
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
"""Direction marks and overrides: they reorder what is displayed (a name could show as other text)."""


def code_problem(text: str) -> str | None:
    """Why `text` is not a valid code, or None."""
    if not _CODE.match(text):
        return "mã chỉ gồm chữ thường không dấu, chữ số, '-' và '_', bắt đầu bằng chữ hoặc số (ví dụ ubnd-xa-loc-ninh)"
    if len(text) > CODE_MAX:
        return f"mã dài quá {CODE_MAX} ký tự"
    return None


def _control_name(char: str) -> str:
    """`U+000A (xuống dòng)`: a control character as people can look it up."""
    words = {"\n": "xuống dòng", "\r": "về đầu dòng", "\t": "tab", "\x00": "NUL"}
    return f"U+{ord(char):04X}" + (f" ({words[char]})" if char in words else "")


def name_problem(text: str) -> str | None:
    """Why `text` cannot be a name (of a unit, a person, a nominee), or None: control characters (line breaks,
    tabs, NUL), line or paragraph separators, direction overrides, or more than `NAME_MAX` characters."""
    for char in text:
        if unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in _BIDI:
            return f"tên chứa ký tự điều khiển {_control_name(char)}; tên phải nằm trên một dòng, không có ký tự điều khiển"
    if len(text) > NAME_MAX:
        return f"tên dài quá {NAME_MAX} ký tự"
    return None
