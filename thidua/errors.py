"""Input errors that name the file, the field and the value, collected so that all are shown at once."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from thidua.names import CODE_PATTERN


@dataclass(frozen=True)
class InputError:
    """One problem with one value of one input file."""

    file: str
    field: str  # dotted path (`period.end`) or `dòng 4, cột focal_email`
    value: object
    reason: str  # plain Vietnamese

    def __str__(self) -> str:
        return f'{self.file}: {self.field}: "{shown(self.value)}" — {self.reason}'


VALUE_SHOWN = 200
"""Characters of a value an error shows: a 1 MB cell is named by its start, not printed whole."""


def _visible(char: str) -> str:
    return char if char.isprintable() else char.encode("unicode_escape").decode("ascii")


def shown(value: object) -> str:
    """`value` as an error shows it: at most `VALUE_SHOWN` characters, control characters visible (`\\n`)."""
    text = str(value)
    more = f"… ({len(text):_} ký tự)".replace("_", ".") if len(text) > VALUE_SHOWN else ""
    return "".join(map(_visible, text[:VALUE_SHOWN])) + more


class InvalidInput(Exception):
    """Raised with every error found in an input; nothing has been written."""

    def __init__(self, errors: Iterable[InputError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(map(str, self.errors)))


def fault_line(exc: BaseException) -> str:
    """An unexpected error on one line, for a summary: its type and the start of its message."""
    return f"{type(exc).__name__}: {shown(' '.join(str(exc).split()))}"


_REASONS = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường không có trong định dạng kế hoạch",
    "string_type": "phải là chuỗi ký tự",
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "float_parsing": "phải là số",
    "bool_parsing": "phải là true hoặc false",
    "list_type": "phải là một danh sách",
    "model_type": "phải là một nhóm trường (mapping)",
    "model_attributes_type": "phải là một nhóm trường (mapping)",
    "dict_type": "phải là một nhóm trường (mapping)",
    "date_type": "phải là một ngày",
    "too_short": "danh sách quá ngắn",
    "finite_number": "phải là một số hữu hạn",
    "frozen_set_type": "phải là một danh sách",
    "union_tag_invalid": "loại không được hỗ trợ",
    "union_tag_not_found": "thiếu trường phân loại (type/criterion)",
}

_BOUNDS = {"greater_than_equal": ("≥", "ge"), "greater_than": (">", "gt"), "less_than_equal": ("≤", "le"), "less_than": ("<", "lt")}


def validation_reason(error: Mapping[str, Any]) -> str:
    """A pydantic validation error (one item of `ValidationError.errors()`) as a reason in Vietnamese."""
    kind, ctx = error["type"], error.get("ctx", {})
    if kind in ("value_error", "assertion_error"):
        return str(ctx["error"])
    if kind in ("literal_error", "enum"):
        return "phải là một trong: " + ctx["expected"].replace(" or ", " hoặc ")
    if kind in _BOUNDS:
        sign, key = _BOUNDS[kind]
        return f"phải {sign} {ctx[key]}"
    if kind == "too_long":
        return f"danh sách quá dài: tối đa {ctx['max_length']} phần tử"
    if kind == "string_too_long":
        return f"dài quá {ctx['max_length']} ký tự"
    if kind == "string_pattern_mismatch":
        is_code = ctx.get("pattern") == CODE_PATTERN
        return "chỉ dùng chữ thường không dấu, chữ số, '-' và '_'" if is_code else f"không đúng dạng {ctx.get('pattern')}"
    return _REASONS.get(kind, "giá trị không hợp lệ")
