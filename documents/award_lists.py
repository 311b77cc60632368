"""What the tờ trình and the quyết định share: who signs (the plan's `paperwork`, blanks where it says nothing), the
movement's name, and the lists of collectives and individuals as Decree 30 tables."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from documents.decree30 import AdminDocument, Column
from thidua.appraisal.counts import AwardCount, by_name
from thidua.appraisal.export import basis_cell, basis_column
from thidua.appraisal.model import AppraisalResult, AwardLine
from thidua.plan.schema import NomineeKind, Plan, RankingBasis
from thidua.words import NOMINEE, ddmmyyyy

TIE_MARK = "*"
BLANK = "……"


@dataclass(frozen=True)
class Signed:
    """A document's issuer and signature, the plan's `paperwork` with its defaults filled in."""

    agency_parent: str
    agency: str
    symbol: str
    authority: tuple[str, ...]
    signer: str
    basis: tuple[str, ...]


def proposal_signing(plan: Plan) -> Signed:
    """The tờ trình: from the standing agency, under the plan's issuer, signed by its head."""
    p = plan.paperwork.proposal
    return Signed(
        p.agency_parent if p.agency_parent is not None else plan.issuer, p.agency or plan.standing_agency.name,
        p.symbol or f"TTr-{BLANK}", tuple(p.authority) or ("Thủ trưởng cơ quan",), p.signer or "", tuple(p.basis),
    )  # fmt: skip


def decision_signing(plan: Plan, grantor: str) -> Signed:
    """The quyết định of `grantor`: issued by the plan's issuer unless the plan says otherwise."""
    p = plan.paperwork.decision
    return Signed(
        p.agency_parent or "", p.agency or plan.issuer, p.symbol or f"QĐ-{BLANK}", tuple(p.authority) or (grantor,),
        p.signer or "", tuple(p.basis),
    )  # fmt: skip


def movement(result: AppraisalResult) -> str:
    return f"phong trào thi đua cải cách hành chính năm {result.year}"


def plan_reference(plan: Plan) -> str:
    """`Kế hoạch … số 158/KH-UBND ngày 19/07/2024 của UBND huyện Lộc Ninh`: the plan as a legal basis."""
    number = f" số {plan.number}" if plan.number else ""
    issued = f" ngày {ddmmyyyy(plan.issued_on)}" if plan.issued_on else ""
    return f"{plan.title}{number}{issued} của {plan.issuer}"


def counts_sentence(counts: Sequence[AwardCount], lead: str, who: str, tail: str) -> list[str]:
    """`{lead} Giấy khen … cho 6 tập thể {tail}` for one award name; with a tie still open, `{lead} Giấy khen … cho
    các {who} {tail}: 6 tập thể; 2 tập thể đồng hạng ở vị trí cuối, chờ Hội đồng quyết định chọn 1.`; with several
    award names, an introduction and a line per name."""
    named = by_name(list(counts))
    if len(named) == 1:
        [(name, words)] = named.items()
        if any(c.tied for c in counts):
            return [f"{lead} {name} cho các {who} {tail}: {words}."]
        return [f"{lead} {name} cho {words} {tail}."]
    lines = [f"{lead} các hình thức khen thưởng sau cho các {who} {tail}:"]
    lines += [f"- {name}: {words};" for name, words in named.items()]
    return [*lines[:-1], lines[-1][:-1] + "."]


Field = tuple[Column, Callable[[AwardLine], str]]


def _fields(result: AppraisalResult, kind: NomineeKind, with_basis: bool, width_cm: float) -> list[Field]:
    """The columns of one list and how each cell is read from a line; the name column takes the width left."""
    value = with_basis and kind is NomineeKind.collective and result.basis is not RankingBasis.council_order
    fields: list[Field] = [
        (Column(basis_column(result.basis), 2.8, center=True), lambda line: str(basis_cell(result, line.candidate))),
    ] if value else []
    if kind is NomineeKind.individual:
        fields += [
            (Column("Chức vụ, đơn vị", 3.9), lambda line: ", ".join(filter(None, [_position(line), line.candidate.unit.name]))),
            (Column("Sáng kiến", 1.9, center=True), lambda line: _initiatives(line)),
        ]  # fmt: skip
    if with_basis:
        fields.append((Column("Hạng", 1.6, center=True), lambda line: str(line.rank or "")))
    fields.append((Column("Hình thức khen thưởng", 5.0 if kind is NomineeKind.collective else 3.8), lambda line: line.award.name))
    name = "Tên tập thể" if kind is NomineeKind.collective else "Họ và tên"
    left = width_cm - 1.4 - sum(column.width_cm for column, _ in fields)
    return [(Column(name, round(left, 2)), _name), *fields]


def _position(line: AwardLine) -> str:
    return line.candidate.person.position if line.candidate.person else ""


def _initiatives(line: AwardLine) -> str:
    return str(line.candidate.person.initiatives) if line.candidate.person else ""


def _name(line: AwardLine) -> str:
    return line.candidate.name + (f" {TIE_MARK}" if line.tie else "")


def add_lists(document: AdminDocument, result: AppraisalResult, lines: Sequence[AwardLine], *, with_basis: bool) -> None:
    """A table of the collectives, then one of the individuals (headed "I.", "II." when both are there); with
    `with_basis`, what collectives were ranked on (the PAR INDEX or the council's score) and each line's rank."""
    parts = [(k, [line for line in lines if line.candidate.kind is k]) for k in NomineeKind]
    parts = [(k, rows) for k, rows in parts if rows]
    for number, (kind, rows) in enumerate(parts, start=1):
        if len(parts) > 1:
            count = len({line.candidate.ref.key for line in rows})
            document.add_paragraph(f"{'I' * number}. {NOMINEE[kind].capitalize()} ({count})")
        fields = _fields(result, kind, with_basis, document.text_width.cm)
        columns = [Column("STT", 1.4, center=True), *(column for column, _ in fields)]
        document.add_table(columns, [[str(i), *(read(line) for _, read in fields)] for i, line in enumerate(rows, start=1)])
