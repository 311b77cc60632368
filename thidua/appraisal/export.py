"""A result as JSON (the CLI's `--json`) and as rows and Markdown (Prefect artifacts, the XLSX file, the HTML report).

Rows hold numbers as `Number` values: the XLSX writes them as numbers with a matching format, every other output as
the text `thidua.words` gives them.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from thidua.appraisal.allocation import value_words
from thidua.appraisal.counts import award_counts, eligibility_words
from thidua.appraisal.model import AppraisalResult, Candidate, Decision, Tie
from thidua.markdown import md
from thidua.plan.schema import NomineeKind, RankingBasis
from thidua.words import ACTION, BASIS, Scale, ddmmyyyy, decimals, local_time, number, percent
from thidua.words import NOMINEE as KIND_WORDS
from thidua.words import OUTCOME as OUTCOME_WORDS

NOT_ELIGIBLE = "không đủ điều kiện"
Cell = str | int | float


@dataclass(frozen=True)
class Number:
    """A number as shown: its value, its text, its decimals, and whether it is a percentage."""

    value: float
    text: str
    decimals: int
    percent: bool

    def __str__(self) -> str:
        return self.text


def shown(value: float, numbers: Scale, *, is_percent: bool) -> Number:
    text = percent(value, numbers) if is_percent else number(value, numbers)
    return Number(value, text, decimals(value, numbers), is_percent)


def as_text(rows: Sequence[dict[str, object]]) -> list[dict[str, Cell]]:
    """Rows with every `Number` as its text (Prefect tables, HTML)."""
    return [{k: str(v) if isinstance(v, Number) else v for k, v in row.items()} for row in rows]  # type: ignore[misc]


def basis_column(basis: RankingBasis) -> str:
    """`Chỉ số CCHC`, `Điểm bình xét`, `Thứ tự bình xét của Hội đồng`."""
    return BASIS[basis][0].upper() + BASIS[basis][1:]


def basis_cell(result: AppraisalResult, candidate: Candidate) -> object:
    """The candidate's own value on the plan's basis; an individual ranked by the PAR INDEX has none of their own."""
    basis, value = result.basis, candidate.value
    if value is None or (basis is RankingBasis.par_index and candidate.kind is NomineeKind.individual):
        return ""
    if basis is RankingBasis.council_order:
        return int(value)
    return shown(value, result.numbers, is_percent=basis is RankingBasis.par_index)


def par_values(result: AppraisalResult) -> list[float]:
    """The PAR INDEX of the units the appraisal ranks: existing units only (a merged one counts under its successor)."""
    return [r.unit.facts.par_index for rows in result.ranking.values() for r in rows if r.unit.facts and r.unit.facts.par_index is not None]


def ranking_columns(result: AppraisalResult) -> tuple[str, ...]:
    return ("Nhóm", "Hạng", "Mã đơn vị", "Đơn vị", basis_column(result.basis), "Đủ điều kiện")


def decision_columns(result: AppraisalResult) -> tuple[str, ...]:
    return ("Hình thức", "Đối tượng", "Tên", "Chức vụ", "Đơn vị", basis_column(result.basis), "Hạng",
            "Vị trí xếp hạng", "Kết quả", "Lý do")  # fmt: skip


def _candidate_json(c: Candidate, reasons: tuple[str, ...]) -> dict[str, object]:
    return {"unit": c.unit.code, "kind": c.kind.value, "nominee": c.name, "reasons": list(reasons)}


def _decision_json(d: Decision) -> dict[str, object]:
    return {
        "action": d.action.value, "form": d.form, "kind": d.kind.value, "nominees": [str(r) for r in d.nominees],
        "tie": [str(r) for r in d.tie], "reason": d.reason, "by": d.by, "at": d.at.isoformat(),
    }  # fmt: skip


def _tie_json(tie: Tie) -> dict[str, object]:
    return {
        "form": tie.award.form,
        "kind": tie.award.nominee.value,
        "scope": tie.scope,
        "rank": tie.rank,
        "seats": tie.seats,
        "units": [c.unit.code for c in tie.candidates],
        "nominees": [c.name for c in tie.candidates],
        "decided": not tie.open,
        "chosen": [str(r) for r in tie.decision.nominees] if tie.decision else [],
    }


def result_json(result: AppraisalResult) -> dict[str, object]:
    """`{"plan", "year", "basis", "eligible", "ineligible", "ranking", "awards", "ties", "counts", "council", …}`."""
    return {
        "plan": result.plan.code,
        "year": result.year,
        "as_of": result.as_of.isoformat(),
        "deadline": {"date": result.deadline.date.isoformat() if result.deadline.date else None, "rule": result.deadline.rule},
        "basis": result.basis.value,
        "final": result.final,
        "eligible": [_candidate_json(c, c.passed + c.notes) for c in result.eligible],
        "ineligible": [_candidate_json(c, c.failed) for c in result.ineligible],
        "ranking": {
            group: [
                {"rank": r.rank, "unit": r.unit.code, "name": r.unit.name, "value": r.value,
                 "par_index": r.unit.facts.par_index if r.unit.facts else None, "eligible": r.eligible}
                for r in rows
            ]
            for group, rows in result.ranking.items()
        },  # fmt: skip
        "awards": [
            {
                "form": line.award.form,
                "award": line.award.name,
                "kind": line.candidate.kind.value,
                "nominee": line.candidate.name,
                "unit": line.candidate.unit.code,
                "rank": line.rank,
                "place": line.place,
                "outcome": line.outcome.value,
                "tie": line.tie,
                "reasons": list(line.reasons),
            }
            for line in result.proposals
        ],
        "ties": [_tie_json(t) for t in result.ties],
        "counts": [
            {"form": c.award.form, "kind": c.award.nominee.value, "listed": c.listed, "tied": c.tied, "held": c.held,
             "words": str(c)}
            for c in award_counts(result)
        ],  # fmt: skip
        "shortfalls": list(result.shortfalls),
        "awaiting_guidance": list(result.awaiting),
        "council": {"decisions": [_decision_json(d) for d in result.decisions], "stale": [_decision_json(d) for d in result.stale]},
    }


def ranking_rows(result: AppraisalResult) -> list[dict[str, object]]:
    """The ranking of every group on the plan's basis, one row per unit."""
    names, column = result.plan.group_names, basis_column(result.basis)
    candidates = {c.unit.code: c for c in result.candidates if c.kind is NomineeKind.collective}
    return [
        {
            "Nhóm": names[group],
            "Hạng": row.rank,
            "Mã đơn vị": row.unit.code,
            "Đơn vị": row.unit.name,
            column: basis_cell(result, candidates[row.unit.code]),
            "Đủ điều kiện": "có" if row.eligible else "không",
        }
        for group, rows in result.ranking.items()
        for row in rows
    ]


def _position(c: Candidate) -> str:
    return c.person.position if c.person else ""


def decision_rows(result: AppraisalResult) -> list[dict[str, object]]:
    """Every decision with its reasons: each award line, then each ineligible candidate."""
    column = basis_column(result.basis)
    rows: list[dict[str, object]] = [
        {
            "Hình thức": line.award.name,
            "Đối tượng": KIND_WORDS[line.candidate.kind],
            "Tên": line.candidate.name,
            "Chức vụ": _position(line.candidate),
            "Đơn vị": line.candidate.unit.name,
            column: basis_cell(result, line.candidate),
            "Hạng": line.rank if line.rank is not None else "",
            "Vị trí xếp hạng": line.place,
            "Kết quả": OUTCOME_WORDS[line.outcome],
            "Lý do": "; ".join(line.reasons),
        }
        for line in result.lines
    ]
    rows += [
        {
            "Hình thức": "",
            "Đối tượng": KIND_WORDS[c.kind],
            "Tên": c.name,
            "Chức vụ": _position(c),
            "Đơn vị": c.unit.name,
            column: basis_cell(result, c),
            "Hạng": "",
            "Vị trí xếp hạng": "",
            "Kết quả": NOT_ELIGIBLE,
            "Lý do": "; ".join(c.failed),
        }
        for c in result.ineligible
    ]
    return rows


QUOTA_COLUMNS = ("Hình thức", "Đối tượng", "Phạm vi", "Chỉ tiêu", "Tối thiểu", "Đã đề nghị", "Chờ Hội đồng", "Ghi chú")


def quota_rows(result: AppraisalResult) -> list[dict[str, object]]:
    """Every pool with seats left empty (the shortfalls: below the plan's minimum first in words)."""
    rows: list[dict[str, object]] = []
    for p in result.pools:
        if p.filled + p.held >= p.seats:
            continue
        empty = p.seats - p.filled - p.held
        note = f"còn {empty} suất: không đủ đối tượng đủ điều kiện"
        if p.short:
            note = f"chưa đạt số tối thiểu {p.minimum} theo kế hoạch; {note}"
        rows.append({
            "Hình thức": p.award.name, "Đối tượng": KIND_WORDS[p.award.nominee], "Phạm vi": p.scope,
            "Chỉ tiêu": p.seats, "Tối thiểu": p.minimum, "Đã đề nghị": p.filled, "Chờ Hội đồng": p.held, "Ghi chú": note,
        })  # fmt: skip
    return rows


COUNCIL_COLUMNS = ("Việc", "Hình thức", "Đối tượng", "Phạm vi", "Hạng", "Số suất", "Các đối tượng", "Hội đồng chọn",
                   "Tình trạng", "Lý do", "Người ghi", "Thời điểm")  # fmt: skip


def _decision_cells(d: Decision | None) -> dict[str, object]:
    if d is None:
        return {"Hội đồng chọn": "", "Lý do": "", "Người ghi": "", "Thời điểm": ""}
    chosen = ", ".join(str(r) for r in d.nominees)
    return {"Hội đồng chọn": chosen, "Lý do": d.reason, "Người ghi": d.by, "Thời điểm": local_time(d.at)}


def council_rows(result: AppraisalResult) -> list[dict[str, object]]:
    """What the council has to decide and what it decided: each tie, each addition or withdrawal, each stale one."""
    rows: list[dict[str, object]] = []
    for t in result.ties:
        rows.append({
            "Việc": ACTION["choose"], "Hình thức": t.award.name, "Đối tượng": KIND_WORDS[t.award.nominee],
            "Phạm vi": t.scope, "Hạng": t.rank, "Số suất": t.seats,
            "Các đối tượng": ", ".join(f"{c.name} ({c.ref})" for c in t.candidates),
            "Tình trạng": "chờ Hội đồng quyết định" if t.open else "đã quyết định", **_decision_cells(t.decision),
        })  # fmt: skip
    with_tie = {id(t.decision) for t in result.ties}
    in_force = {id(d) for d in result.in_force}
    for d in result.decisions:
        if id(d) in with_tie:
            continue
        status = "không còn áp dụng" if d in result.stale else "đang áp dụng" if id(d) in in_force else "đã được thay bằng quyết định sau"
        rows.append({
            "Việc": ACTION[d.action], "Hình thức": d.form, "Đối tượng": KIND_WORDS[d.kind], "Phạm vi": "", "Hạng": "",
            "Số suất": "", "Các đối tượng": ", ".join(str(r) for r in d.tie or d.nominees), "Tình trạng": status,
            **_decision_cells(d),
        })  # fmt: skip
    return rows


def summary_markdown(result: AppraisalResult) -> str:
    """A short Markdown account: the deadline applied, the basis, proposals by form, ties and unmet minimums; every
    name and text from the plan or the directory escaped as literal Markdown."""
    when = ddmmyyyy(result.deadline.date) if result.deadline.date else "chưa xác định"
    lines = [
        f"# Thẩm định khen thưởng {md(result.plan.display_name)} năm {result.year}",
        "",
        f"- Hạn nộp hồ sơ: **{when}** — {md(result.deadline.rule)}",
        f"- Xếp hạng theo: {BASIS[result.basis]}",
        f"- {eligibility_words(result)}",
        *(f"- {md(c.award.name)}: {c}" for c in award_counts(result)),
        "",
        "## Đề nghị khen thưởng",
    ]
    lines += [
        f"- {md(p.award.name)} — {KIND_WORDS[p.candidate.kind]} **{md(p.candidate.name)}** ({md(p.candidate.unit.name)}) — "
        f"{value_words(p.candidate, result.basis, result.numbers)}"
        + (" — *đồng hạng, Hội đồng quyết định*" if p.tie else "")
        + (f" — *{OUTCOME_WORDS[p.outcome]}*" if p.decision else "")
        for p in result.proposals
    ] or ["- (không có)"]
    if result.ties:
        lines += ["", "## Đồng hạng tại ranh giới chỉ tiêu"]
        lines += [
            f"- {md(t.award.name)}, {md(t.scope)}: hạng {t.rank}, còn {t.seats} suất cho "
            + ", ".join(md(c.name) for c in t.candidates)
            + (" — chờ Hội đồng quyết định" if t.open else f" — Hội đồng chọn {', '.join(md(r) for r in t.decision.nominees)}")  # type: ignore[union-attr]
            for t in result.ties
        ]
    if result.stale:
        lines += ["", "## Quyết định của Hội đồng không còn áp dụng"]
        lines += [f"- {ACTION[d.action]} {', '.join(md(r) for r in d.nominees)} ({md(d.form)}): {md(d.reason)}" for d in result.stale]
    if result.shortfalls:
        lines += ["", "## Chưa đạt số lượng tối thiểu", *(f"- {md(s)}" for s in result.shortfalls)]
    if result.awaiting:
        lines += ["", "## Chờ hướng dẫn", *(f"- {md(s)}" for s in result.awaiting)]
    return "\n".join(lines) + "\n"
