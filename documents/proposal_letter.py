"""The tờ trình (proposal letter) the standing agency sends to the grantor, laid out after Decree 30/2020/NĐ-CP.

The text counts nominees per award as the list does, names the basis the ranking used, leaves open ties to the
council ("6 tập thể; 2 tập thể đồng hạng ở vị trí cuối, chờ Hội đồng quyết định chọn 1"), records the council's
decisions, and says so plainly when there is no one to propose. The list is annexed.
"""

from pathlib import Path

from documents.award_lists import TIE_MARK, add_lists, counts_sentence, movement, plan_reference, proposal_signing
from documents.decree30 import AdminDocument
from thidua.appraisal.counts import award_counts, kinds_words
from thidua.appraisal.model import Action, AppraisalResult
from thidua.dates import local_day
from thidua.plan.schema import RankingBasis
from thidua.words import ACTION, BASIS, long_date, percent

BASIS_SOURCE = {
    RankingBasis.par_index: "kết quả Chỉ số cải cách hành chính năm {year} của các cơ quan, đơn vị",
    RankingBasis.council_score: "điểm bình xét của Hội đồng Thi đua - Khen thưởng",
    RankingBasis.council_order: "kết quả bình xét, xếp thứ tự của Hội đồng Thi đua - Khen thưởng",
}


def grantors(result: AppraisalResult) -> list[str]:
    """Who the letter asks: the grantors of the awards proposed (of every award when there is nothing to propose)."""
    awards = [line.award for line in result.proposals] or result.plan.awards
    return list(dict.fromkeys(a.grantor for a in awards)) or [result.plan.issuer]


def _forms(result: AppraisalResult) -> str:
    return ", ".join(dict.fromkeys(line.award.name for line in result.proposals))


def _ties(result: AppraisalResult) -> list[str]:
    """One sentence per open tie: the seats, the tied nominees and what they are equal on."""
    sentences = []
    for tie in result.open_ties:
        names = ", ".join(c.name for c in tie.candidates)
        value = tie.candidates[0].value
        equal = ""
        if value is not None and result.basis is RankingBasis.par_index and tie.candidates[0].par_index is not None:
            equal = f" (cùng Chỉ số CCHC {percent(value, result.numbers)})"
        elif value is not None:
            equal = f" (cùng {BASIS[result.basis]})"
        sentences.append(f"{tie.award.name}, {tie.scope}: chọn {tie.seats} trong {len(tie.candidates)} — {names}{equal}")
    return sentences


def _council(result: AppraisalResult) -> list[str]:
    """The council's decisions that shaped the list, with their reasons."""
    names = {c.ref.key: c.name for c in result.candidates}
    words = []
    for tie in result.ties:
        if tie.decision:
            chosen = ", ".join(names.get(r.key, str(r)) for r in tie.decision.nominees)
            words.append(f"{tie.award.name}, {tie.scope}: Hội đồng chọn {chosen} ({tie.decision.reason})")
    for d in result.in_force:
        if d.action is Action.choose or d in result.stale:
            continue
        who = ", ".join(names.get(r.key, str(r)) for r in d.nominees)
        award = result.plan.award(d.form, d.kind, result.year)
        words.append(f"{award.name if award else d.form}: {ACTION[d.action]} {who} ({d.reason})")
    return words


def _body(letter: AdminDocument, result: AppraisalResult, to: str) -> None:
    plan, agency = result.plan, proposal_signing(result.plan).agency
    letter.add_paragraph(f"Căn cứ {plan_reference(plan)};")
    deadline = f" (hạn nộp hồ sơ: {long_date(result.deadline.date)})" if result.deadline.date else ""
    source = BASIS_SOURCE[result.basis].format(year=result.year)
    letter.add_paragraph(f"Căn cứ kết quả thẩm định hồ sơ đề nghị khen thưởng{deadline} và {source},")
    counts = award_counts(result)
    if not counts:
        letter.add_paragraph(
            f"Qua thẩm định, không có {kinds_words(result)} nào đạt đủ tiêu chuẩn và điều kiện để đề nghị khen thưởng "
            f"theo Kế hoạch trong {movement(result)}. {agency} kính báo cáo {to} để biết."
        )
    else:
        lead = f"{agency} kính trình {to} xem xét, tặng"
        for paragraph in counts_sentence(counts, lead, kinds_words(result, result.proposals), f"có thành tích xuất sắc trong {movement(result)} (có danh sách kèm theo)"):
            letter.add_paragraph(paragraph)
    if ties := _ties(result):
        letter.add_paragraph(
            f"Các trường hợp đồng hạng ở vị trí cuối của chỉ tiêu (đánh dấu {TIE_MARK} trong danh sách) kính đề nghị "
            f"Hội đồng Thi đua - Khen thưởng xem xét, quyết định: {'; '.join(ties)}."
        )
    if decided := _council(result):
        letter.add_paragraph(f"Theo quyết định của Hội đồng Thi đua - Khen thưởng: {'; '.join(decided)}.")
    for shortfall in result.shortfalls:
        letter.add_paragraph(f"Lưu ý: {shortfall}.")


def write_proposal_docx(result: AppraisalResult, out_dir: Path) -> Path:
    """Write `to-trinh-<plan>-<year>.docx` into `out_dir` and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    plan, signed, to = result.plan, proposal_signing(result.plan), "; ".join(grantors(result))
    who = kinds_words(result, result.proposals)
    title = (f"Về việc đề nghị tặng {_forms(result)} cho các {who} có thành tích xuất sắc trong {movement(result)}"
             if result.proposals else f"Về việc kết quả thẩm định hồ sơ đề nghị khen thưởng {movement(result)}")  # fmt: skip
    letter = AdminDocument(
        agency_parent=signed.agency_parent, agency=signed.agency, number=None, symbol=signed.symbol,
        place=plan.place or "……", day=local_day(result.as_of), kind="Tờ trình", title=title, recipients=grantors(result),
    )  # fmt: skip
    letter.add_header()
    letter.add_title()
    letter.add_recipients()
    _body(letter, result, to)
    letter.add_paragraph(f"Kính trình {to} xem xét, quyết định./." if result.proposals else "Trân trọng./.")
    letter.add_closing(["Như trên", "Hội đồng Thi đua - Khen thưởng"], "VT", signed.authority, signed.signer)
    if result.proposals:
        letter.add_annex("Danh sách", f"{who.capitalize()} đề nghị tặng {_forms(result)} năm {result.year}", signed.agency)
        add_lists(letter, result, result.proposals, with_basis=True)
        if result.open_ties:
            letter.add_paragraph(f"{TIE_MARK} Đồng hạng ở vị trí cuối của chỉ tiêu: chờ Hội đồng Thi đua - Khen thưởng quyết định.")
    return letter.save(out_dir / f"to-trinh-{plan.code}-{result.year}.docx")
