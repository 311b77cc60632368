"""Read plan files: YAML in, a typed `Plan` out, or every error at once with file, field and value."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from thidua.errors import InputError, InvalidInput
from thidua.plan.schema import OffsetRule, Plan

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
    "string_pattern_mismatch": "chỉ dùng chữ thường không dấu, chữ số, '-' và '_'",
    "union_tag_invalid": "loại không được hỗ trợ",
    "union_tag_not_found": "thiếu trường phân loại (type/criterion)",
}


class _PlanLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text so that an impossible date gets our message, not a traceback."""


_PlanLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _reason(error: Any) -> str:
    if error["type"] in ("value_error", "assertion_error"):
        return str(error["ctx"]["error"])
    if error["type"] == "literal_error":
        return "phải là một trong: " + error["ctx"]["expected"]
    if error["type"] == "enum":
        return "phải là một trong: " + error["ctx"]["expected"]
    if error["type"].startswith("greater_than") or error["type"].startswith("less_than"):
        return "giá trị nằm ngoài khoảng cho phép (" + error["msg"] + ")"
    return _REASONS.get(error["type"], error["msg"])


def _locate(data: Any, loc: tuple[Any, ...]) -> tuple[str, Any]:
    """The dotted path and input value at `loc`, skipping the union tags pydantic inserts."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(node, dict) and key not in node and key in (node.get("type"), node.get("criterion")):
            continue
        if isinstance(node, list) and isinstance(key, int):
            parts[-1] += f"[{key}]"
            node = node[key] if key < len(node) else None
            continue
        parts.append(str(key))
        node = node.get(key) if isinstance(node, dict) else None
    return ".".join(parts) or "(tệp)", node


def _consistency(plan: Plan) -> Iterator[tuple[str, object, str]]:
    groups = set(plan.group_names)
    for who in ("collectives", "individuals"):
        for i, g in enumerate(getattr(plan.participants, who)):
            if g not in groups:
                yield f"participants.{who}[{i}]", g, "nhóm đơn vị chưa khai báo trong groups"
    kinds = [m.kind for m in plan.milestones]
    for i, m in enumerate(plan.milestones):
        if kinds.count(m.kind) > 1:
            yield f"milestones[{i}].kind", m.kind, "loại mốc bị lặp"
        if isinstance(m.rule, OffsetRule) and m.rule.from_ not in kinds:
            yield f"milestones[{i}].rule.from", m.rule.from_, "không có mốc nào thuộc loại này"
    offsets = {m.kind: m.rule.from_ for m in plan.milestones if isinstance(m.rule, OffsetRule)}
    for i, m in enumerate(plan.milestones):
        seen, kind = set(), m.kind
        while kind in offsets and kind not in seen:
            seen.add(kind)
            kind = offsets[kind]
        if kind == m.kind and m.kind in offsets:
            yield f"milestones[{i}].rule.from", offsets[m.kind], "các mốc tính vòng tròn từ nhau"
    for i, a in enumerate(plan.awards):
        for j, g in enumerate(a.groups or ()):
            if g not in groups:
                yield f"awards[{i}].groups[{j}]", g, "nhóm đơn vị chưa khai báo trong groups"
    document_codes = [d.code for d in plan.documents]
    for i, d in enumerate(plan.documents):
        if document_codes.count(d.code) > 1:
            yield f"documents[{i}].code", d.code, "mã tài liệu bị lặp"


def parse_plan(text: str, file: str) -> Plan:
    """The plan in `text`; raises InvalidInput naming `file` with every problem found."""
    try:
        data = yaml.load(text, Loader=_PlanLoader)  # noqa: S506  (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"dòng {mark.line + 1}, cột {mark.column + 1}" if mark else "(tệp)"
        raise InvalidInput([InputError(file, where, getattr(exc, "problem", ""), "YAML không hợp lệ")]) from None
    if not isinstance(data, dict):
        raise InvalidInput([InputError(file, "(tệp)", type(data).__name__, "tệp kế hoạch phải là một mapping YAML")])
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        errors = []
        for error in exc.errors():
            field, value = _locate(data, error["loc"])
            errors.append(InputError(file, field, "(không có)" if value is None else value, _reason(error)))
        raise InvalidInput(errors) from None
    if problems := [InputError(file, f, v, r) for f, v, r in _consistency(plan)]:
        raise InvalidInput(problems)
    return plan


def load_plan(path: Path) -> Plan:
    """Read and validate one plan file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput([InputError(str(path), "(tệp)", path, f"không đọc được tệp: {exc.strerror}")]) from None
    return parse_plan(text, str(path))


def load_plans(directory: Path) -> dict[str, Plan]:
    """Every plan file (`*.yaml`) of `directory`, by plan code; all errors of all files at once."""
    plans: dict[str, Plan] = {}
    errors: list[InputError] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            plan = load_plan(path)
        except InvalidInput as exc:
            errors += exc.errors
            continue
        if plan.code in plans:
            errors.append(InputError(str(path), "code", plan.code, "trùng mã với một kế hoạch khác"))
        plans[plan.code] = plan
    if errors:
        raise InvalidInput(errors)
    return plans


def plan_by_code(directory: Path, code: str) -> Plan:
    """The plan with `code` among the plan files of `directory`; InvalidInput lists the known codes."""
    plans = load_plans(directory)
    if code not in plans:
        known = ", ".join(sorted(plans)) or "không có tệp kế hoạch nào"
        raise InvalidInput([InputError(str(directory), "--plan", code, f"không có kế hoạch này (có: {known})")])
    return plans[code]
