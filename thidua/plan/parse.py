"""A plan file's text in, a typed `Plan` out, or every error at once with file, field and value."""

from collections.abc import Iterator
from typing import Any

import yaml
from pydantic import ValidationError

from thidua.errors import InputError, InvalidInput, validation_reason
from thidua.plan.schema import DeliverableKind, OffsetRule, Plan
from thidua.plan.yaml_text import MAX_BYTES, DuplicateKey, LimitExceeded, load_yaml

_YAML_PROBLEMS = {
    "mapping values are not allowed here": "không được đặt “khóa: giá trị” ở đây (thụt lề sai?)",
    "found character '\\t'": "có ký tự tab; hãy thụt lề bằng dấu cách",
    "could not find expected ':'": "thiếu dấu “:” sau tên trường",
    "expected ',' or ']'": "danh sách […] chưa đóng ngoặc",
    "expected ',' or '}'": "nhóm {…} chưa đóng ngoặc",
    "found unexpected end of stream": "tệp kết thúc giữa chừng (thiếu dấu ngoặc kép?)",
    "found undefined alias": "tham chiếu * không có định nghĩa &",
    "found duplicate anchor": "tên neo & bị định nghĩa hai lần",
    "could not determine a constructor": "thẻ YAML (!!…) không được hỗ trợ trong tệp kế hoạch",
    "found unhashable key": "khóa phải là một giá trị đơn, không phải danh sách hay nhóm",
    "but found another document": "tệp kế hoạch chỉ được có một tài liệu YAML (bỏ dấu --- thừa)",
}


def _union_member(node: Any, key: Any) -> bool:
    """Whether `key` is the name pydantic gives a member of a union (`offset`, `Quota`, `function-after[…]`), not a
    field of the plan: plan fields are lower-case words."""
    if not isinstance(node, dict) or key in node or not isinstance(key, str):
        return False
    return key in (node.get("type"), node.get("criterion")) or key[:1].isupper() or "[" in key


def _locate(data: Any, loc: tuple[Any, ...]) -> tuple[str, Any]:
    """The dotted path and input value at `loc`, skipping the union tags pydantic inserts."""
    parts: list[str] = []
    node = data
    for key in loc:
        if _union_member(node, key):
            continue
        if isinstance(node, list) and isinstance(key, int):
            parts[-1] += f"[{key}]"
            node = node[key] if key < len(node) else None
            continue
        parts.append(str(key))
        node = node.get(key) if isinstance(node, dict) else None
    return ".".join(parts) or "(tệp)", node


def _group_references(plan: Plan) -> Iterator[tuple[str, object, str]]:
    groups = set(plan.group_names)
    group_lists = [(f"participants.{who}", getattr(plan.participants, who)) for who in ("collectives", "individuals")]
    group_lists += [(f"awards[{i}].groups", a.groups or []) for i, a in enumerate(plan.awards)]
    for path, codes in group_lists:
        for i, g in enumerate(codes):
            if g not in groups:
                yield f"{path}[{i}]", g, "nhóm đơn vị chưa khai báo trong groups"


def _milestone_references(plan: Plan) -> Iterator[tuple[str, object, str]]:
    kinds = [m.kind for m in plan.milestones]
    offsets = {m.kind: m.rule.from_ for m in plan.milestones if isinstance(m.rule, OffsetRule)}
    for i, m in enumerate(plan.milestones):
        if kinds.count(m.kind) > 1:
            yield f"milestones[{i}].kind", m.kind, "loại mốc bị lặp"
        if m.kind in offsets and offsets[m.kind] not in kinds:
            yield f"milestones[{i}].rule.from", offsets[m.kind], "không có mốc nào thuộc loại này"
        elif m.kind in offsets and _loops(m.kind, offsets):
            yield f"milestones[{i}].rule.from", offsets[m.kind], "các mốc tính vòng tròn từ nhau"


def _loops(kind: str, offsets: dict[str, str]) -> bool:
    """Whether following `from` links starting at milestone `kind` comes back to it."""
    seen, current = set(), kind
    while current in offsets and current not in seen:
        seen.add(current)
        current = offsets[current]
    return current == kind


def _deliverable_references(plan: Plan) -> Iterator[tuple[str, object, str]]:
    codes, kinds = [d.code for d in plan.deliverables], {m.kind for m in plan.milestones}
    for i, d in enumerate(plan.deliverables):
        where = f"deliverables[{i}]"
        if codes.count(d.code) > 1:
            yield f"{where}.code", d.code, "mã việc phải nộp bị lặp"
        for j, kind in enumerate(d.due):
            if kind not in kinds:
                yield f"{where}.due[{j}]", kind, "không có mốc nào thuộc loại này trong milestones"
        for j, group in enumerate(d.groups or []):
            if group not in plan.participants.collectives:
                yield f"{where}.groups[{j}]", group, "nhóm không có trong participants.collectives"
        documents = [doc.code for doc in d.document_list]
        for j, code in enumerate(documents):
            if documents.count(code) > 1:
                yield f"{where}.documents[{j}].code", code, "mã tài liệu bị lặp"
        if d.kind is DeliverableKind.registration and documents:
            yield f"{where}.documents", len(documents), "đăng ký thi đua không có tài liệu: đơn vị đăng ký tập thể và cá nhân"


def _award_references(plan: Plan) -> Iterator[tuple[str, object, str]]:
    criteria = [c.criterion for c in (*plan.eligibility.collective, *plan.eligibility.individual)]
    if "registered" in criteria and plan.registration is None:
        yield "eligibility", "registered", "tiêu chí đã đăng ký cần một việc phải nộp loại registration trong deliverables"
    if plan.awards and plan.dossier is None:
        yield "awards", len(plan.awards), "khen thưởng cần hồ sơ đề nghị: một việc phải nộp loại dossier trong deliverables"


def _award_keys(plan: Plan) -> Iterator[tuple[str, object, str]]:
    """An award is named by its form and nominee kind in a cycle (council decisions refer to it so): one of each
    among the yearly awards, and one among the phase summary's."""
    keys = [(a.form, a.nominee, a.occurs) for a in plan.awards]
    for i, a in enumerate(plan.awards):
        if keys.count((a.form, a.nominee, a.occurs)) > 1:
            yield f"awards[{i}].form", a.form, f"hình thức bị lặp cho cùng đối tượng ({a.nominee.value})"


def _consistency(plan: Plan) -> Iterator[tuple[str, object, str]]:
    """Every reference of the plan to something it must declare, and every code it repeats."""
    yield from _group_references(plan)
    yield from _milestone_references(plan)
    yield from _deliverable_references(plan)
    yield from _award_references(plan)
    yield from _award_keys(plan)


_OLD_DOCUMENTS = (
    "định dạng cũ: danh sách tài liệu nay nằm trong việc phải nộp — viết deliverables: [{code: ho_so_khen_thuong, "
    "name: Hồ sơ đề nghị khen thưởng, kind: dossier, due: [<loại mốc hạn nộp>], documents: [...]}] (docs/plan-format.md)"
)
_OLD_CHASE = (
    "định dạng cũ: bỏ chase; việc được nhắc hạn là các việc phải nộp — viết trong deliverables "
    "một việc có due: [<loại mốc này>] (docs/plan-format.md)"
)


def _old_shape(data: dict[str, Any]) -> Iterator[tuple[str, object, str]]:
    """Keys of the plan format before deliverables, with what to write instead."""
    if "documents" in data:
        yield "documents", f"{len(data['documents'] or [])} tài liệu", _OLD_DOCUMENTS
    for i, milestone in enumerate(data.get("milestones") or []):
        if isinstance(milestone, dict) and "chase" in milestone:
            yield f"milestones[{i}].chase", milestone["chase"], _OLD_CHASE


def _yaml_error(exc: yaml.YAMLError, text: str, file: str) -> InvalidInput:
    """The YAML error as one InputError: the line and column, the line's text, the problem in Vietnamese."""
    if isinstance(exc, yaml.reader.ReaderError):
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        reason = f"YAML không hợp lệ: có ký tự không được phép (#x{code:04x}) ở ký tự thứ {exc.position + 1}"
        return InvalidInput([InputError(file, "(tệp)", f"#x{code:04x}", reason)])
    mark = getattr(exc, "problem_mark", None)
    where = f"dòng {mark.line + 1}, cột {mark.column + 1}" if mark else "(tệp)"
    lines = text.splitlines()
    line = lines[mark.line].strip() if mark and mark.line < len(lines) else ""
    problem = getattr(exc, "problem", None) or ""
    if not isinstance(exc, DuplicateKey | LimitExceeded):
        known = next((vi for en, vi in _YAML_PROBLEMS.items() if problem.startswith(en)), None)
        problem = known or (f"cú pháp sai ({problem})" if problem else "cú pháp sai")
    return InvalidInput([InputError(file, where, line, f"YAML không hợp lệ: {problem}")])


def parse_plan(text: str, file: str) -> Plan:
    """The plan in `text`; raises InvalidInput naming `file` with every problem found."""
    if len(text) > MAX_BYTES:
        size = f"{len(text.encode()) / 1e6:.1f}".replace(".", ",")
        raise InvalidInput([InputError(file, "(tệp)", f"{size} MB", f"tệp kế hoạch lớn quá {MAX_BYTES // 1_000_000} MB")])
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text, file) from None
    if not isinstance(data, dict):
        raise InvalidInput([InputError(file, "(tệp)", type(data).__name__, "tệp kế hoạch phải là một mapping YAML")])
    if old := [InputError(file, f, v, r) for f, v, r in _old_shape(data)]:
        raise InvalidInput(old)
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        errors = []
        for error in exc.errors():
            field, value = _locate(data, error["loc"])
            errors.append(InputError(file, field, "(không có)" if value is None else value, validation_reason(error)))
        raise InvalidInput(errors) from None
    if problems := [InputError(file, f, v, r) for f, v, r in _consistency(plan)]:
        raise InvalidInput(problems)
    return plan

