"""A result as JSON (the CLI's `--json`) and as rows and Markdown (Prefect artifacts, the XLSX file)."""

from thidua.appraisal.model import AppraisalResult, Candidate, Tie
from thidua.markdown import md
from thidua.words import NOMINEE as KIND_WORDS
from thidua.words import OUTCOME as OUTCOME_WORDS
from thidua.words import ddmmyyyy, percent

NOT_ELIGIBLE = "không đủ điều kiện"
RANKING_COLUMNS = ("Nhóm", "Hạng", "Mã đơn vị", "Đơn vị", "Chỉ số CCHC", "Đủ điều kiện")
DECISION_COLUMNS = ("Hình thức", "Đối tượng", "Tên", "Đơn vị", "Chỉ số CCHC", "Hạng", "Kết quả", "Lý do")


def _candidate_json(c: Candidate, reasons: tuple[str, ...]) -> dict[str, object]:
    return {"unit": c.unit.code, "kind": c.kind.value, "nominee": c.name, "reasons": list(reasons)}


def _tie_json(tie: Tie) -> dict[str, object]:
    return {
        "form": tie.award.form,
        "kind": tie.award.nominee.value,
        "scope": tie.scope,
        "rank": tie.rank,
        "seats": tie.seats,
        "units": [c.unit.code for c in tie.candidates],
        "nominees": [c.name for c in tie.candidates],
    }


def result_json(result: AppraisalResult) -> dict[str, object]:
    """`{"plan", "year", "eligible", "ineligible", "ranking", "awards", "ties", ...}` for `appraise --json`."""
    return {
        "plan": result.plan.code,
        "year": result.year,
        "as_of": result.as_of.isoformat(),
        "deadline": {"date": result.deadline.date.isoformat() if result.deadline.date else None, "rule": result.deadline.rule},
        "eligible": [_candidate_json(c, c.passed + c.notes) for c in result.eligible],
        "ineligible": [_candidate_json(c, c.failed) for c in result.ineligible],
        "ranking": {
            group: [
                {"rank": r.rank, "unit": r.unit.code, "name": r.unit.name, "par_index": r.unit.facts.par_index if r.unit.facts else None, "eligible": r.eligible}
                for r in rows
            ]
            for group, rows in result.ranking.items()
        },
        "awards": [
            {
                "form": line.award.form,
                "award": line.award.name,
                "kind": line.candidate.kind.value,
                "nominee": line.candidate.name,
                "unit": line.candidate.unit.code,
                "rank": line.rank,
                "tie": line.tie,
                "reasons": list(line.reasons),
            }
            for line in result.proposals
        ],
        "ties": [_tie_json(t) for t in result.ties],
        "shortfalls": list(result.shortfalls),
        "awaiting_guidance": list(result.awaiting),
    }


def ranking_rows(result: AppraisalResult) -> list[dict[str, object]]:
    """The PAR INDEX ranking of every group, one row per unit."""
    names = result.plan.group_names
    return [
        {
            "Nhóm": names[group],
            "Hạng": row.rank,
            "Mã đơn vị": row.unit.code,
            "Đơn vị": row.unit.name,
            "Chỉ số CCHC": percent(row.unit.facts.par_index) if row.unit.facts else "",
            "Đủ điều kiện": "có" if row.eligible else "không",
        }
        for group, rows in result.ranking.items()
        for row in rows
    ]


def decision_rows(result: AppraisalResult) -> list[dict[str, object]]:
    """Every decision with its reasons: each award line, then each ineligible candidate."""
    rows = [
        {
            "Hình thức": line.award.name,
            "Đối tượng": KIND_WORDS[line.candidate.kind],
            "Tên": line.candidate.name,
            "Đơn vị": line.candidate.unit.name,
            "Chỉ số CCHC": percent(line.candidate.par_index) if line.candidate.par_index is not None else "",
            "Hạng": line.rank if line.rank is not None else "",
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
            "Đơn vị": c.unit.name,
            "Chỉ số CCHC": percent(c.par_index) if c.par_index is not None else "",
            "Hạng": "",
            "Kết quả": NOT_ELIGIBLE,
            "Lý do": "; ".join(c.failed),
        }
        for c in result.ineligible
    ]
    return rows


def summary_markdown(result: AppraisalResult) -> str:
    """A short Markdown account: the deadline applied, proposals by form, ties and unmet minimums; every name and
    text from the plan or the directory escaped as literal Markdown."""
    when = ddmmyyyy(result.deadline.date) if result.deadline.date else "chưa xác định"
    lines = [
        f"# Thẩm định khen thưởng {result.plan.code} năm {result.year}",
        "",
        f"- Hạn nộp hồ sơ: **{when}** — {md(result.deadline.rule)}",
        f"- Đủ điều kiện: {len(result.eligible)}; không đủ điều kiện: {len(result.ineligible)}",
        "",
        "## Đề nghị khen thưởng",
    ]
    lines += [
        f"- {md(p.award.name)} — {KIND_WORDS[p.candidate.kind]} **{md(p.candidate.name)}** ({md(p.candidate.unit.name)})"
        + (" — *đồng hạng, Hội đồng quyết định*" if p.tie else "")
        for p in result.proposals
    ] or ["- (không có)"]
    if result.ties:
        lines += ["", "## Đồng hạng tại ranh giới chỉ tiêu"]
        lines += [
            f"- {md(t.award.name)}, {md(t.scope)}: hạng {t.rank}, còn {t.seats} suất cho "
            + ", ".join(md(c.name) for c in t.candidates)
            for t in result.ties
        ]
    if result.shortfalls:
        lines += ["", "## Chưa đạt số lượng tối thiểu", *(f"- {md(s)}" for s in result.shortfalls)]
    if result.awaiting:
        lines += ["", "## Chờ hướng dẫn", *(f"- {md(s)}" for s in result.awaiting)]
    return "\n".join(lines) + "\n"
