"""The draft quyết định khen thưởng the grantor signs, with its list annexed (Decree 30/2020/NĐ-CP), and the
certificates (Giấy khen, Bằng khen) of the final list, one page each. Written only once the list is final: no
tie waits for the council."""

from collections.abc import Sequence
from pathlib import Path

from documents.award_lists import (
    add_lists,
    counts_sentence,
    decision_signing,
    movement,
    plan_reference,
    proposal_signing,
)
from documents.decree30 import AdminDocument, Certificate, certificates, number_text
from thidua.appraisal.counts import AwardCount, award_counts, kinds_words
from thidua.appraisal.model import AppraisalResult, AwardLine
from thidua.plan.schema import NomineeKind
from thidua.words import CERTIFICATE


def _decision(result: AppraisalResult, grantor: str, lines: Sequence[AwardLine], counts: list[AwardCount]) -> AdminDocument:
    plan, signed, proposal = result.plan, decision_signing(result.plan, grantor), proposal_signing(result.plan)
    forms = ", ".join(dict.fromkeys(line.award.name for line in lines))
    who = kinds_words(result, lines)
    document = AdminDocument(
        agency_parent=signed.agency_parent, agency=signed.agency, number=None, symbol=signed.symbol,
        place=plan.place or "……", day=None, kind="Quyết định",
        title=f"Về việc tặng {forms} cho các {who} có thành tích xuất sắc trong {movement(result)}",
    )  # fmt: skip
    document.add_header()
    document.add_title()
    document.add_heading(grantor)
    document.add_basis([
        *signed.basis,
        f"Căn cứ {plan_reference(plan)};",
        f"Theo đề nghị của {proposal.agency} tại Tờ trình số {number_text(None, proposal.symbol)} ngày      tháng      năm      .",
    ])  # fmt: skip
    document.add_heading("Quyết định:")
    [first, *more] = counts_sentence(counts, "Tặng", who, f"đã có thành tích xuất sắc trong {movement(result)} (có danh sách kèm theo)")
    document.add_article(1, first)
    for line in more:
        document.add_paragraph(line)
    document.add_article(2, "Tiền thưởng kèm theo thực hiện theo quy định của pháp luật về thi đua, khen thưởng.")
    document.add_article(
        3, f"Quyết định này có hiệu lực kể từ ngày ký. {proposal.agency}, thủ trưởng các cơ quan, đơn vị có liên quan và "
        f"các {who} có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./."
    )  # fmt: skip
    document.add_closing(["Như Điều 3", "Hội đồng Thi đua - Khen thưởng"], "VT", signed.authority, signed.signer)
    document.add_annex("Danh sách", f"{who.capitalize()} được tặng {forms} năm {result.year}", grantor)
    add_lists(document, result, lines, with_basis=False)
    return document


def by_grantor(result: AppraisalResult) -> dict[str, list[AwardLine]]:
    """The final list split by who grants: one quyết định each."""
    split: dict[str, list[AwardLine]] = {}
    for line in result.listed:
        split.setdefault(line.award.grantor, []).append(line)
    return split


def write_decisions(result: AppraisalResult, out_dir: Path) -> list[Path]:
    """`quyet-dinh-<plan>-<year>.docx` (`-2`, `-3` … for further grantors); none while a tie is open or the list is empty."""
    if not result.final:
        return []
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = award_counts(result)
    paths = []
    for i, (grantor, lines) in enumerate(by_grantor(result).items(), start=1):
        mine = [c for c in counts if c.award.grantor == grantor]
        suffix = f"-{i}" if i > 1 else ""
        document = _decision(result, grantor, lines, mine)
        paths.append(document.save(out_dir / f"quyet-dinh-{result.plan.code}-{result.year}{suffix}.docx"))
    return paths


def _certificate(result: AppraisalResult, line: AwardLine) -> Certificate:
    c, signed = line.candidate, decision_signing(result.plan, line.award.grantor)
    details = [result.plan.issuer]  # a collective: whose unit it is
    if c.kind is NomineeKind.individual:
        details = [", ".join(filter(None, [c.person.position if c.person else "", c.unit.name]))]
    return Certificate(
        grantor=line.award.grantor, kind=CERTIFICATE[line.award.form], awardee=c.name, details=details,
        achievement=f"Đã có thành tích xuất sắc trong {movement(result)}", decision=number_text(None, signed.symbol),
        place=result.plan.place or "……", day=None, authority=signed.authority, signer=signed.signer,
    )  # fmt: skip


def write_certificates(result: AppraisalResult, out_dir: Path) -> Path | None:
    """`giay-khen-<plan>-<year>.docx`: a landscape page per awardee of a Giấy khen or Bằng khen on the final list
    (a flag has no certificate); None while a tie is open or no one gets one."""
    lines = [line for line in result.listed if line.award.form in CERTIFICATE]
    if not result.final or not lines:
        return None
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"giay-khen-{result.plan.code}-{result.year}.docx"
    certificates([_certificate(result, line) for line in lines]).save(str(path))
    return path
