"""How many are proposed for each award, counted as nominees (not rows), with the seats a tie still holds: the
numbers every document states ("6 tập thể; 2 tập thể đồng hạng ở vị trí cuối, chờ Hội đồng quyết định chọn 1")."""

from collections.abc import Sequence
from dataclasses import dataclass

from thidua.appraisal.model import AppraisalResult, AwardLine, Candidate
from thidua.plan.schema import Award, NomineeKind
from thidua.words import NOMINEE


@dataclass(frozen=True)
class AwardCount:
    """One award of the plan: distinct nominees on its list, distinct nominees in open ties, and the seats held."""

    award: Award
    listed: int
    tied: int
    held: int

    @property
    def seats(self) -> int:
        """The number the grantor is asked for: the list and the seats the council still fills."""
        return self.listed + self.held

    def __str__(self) -> str:
        who = NOMINEE[self.award.nominee]
        text = f"{self.seats} {who}"
        if self.tied:
            text += f"; {self.tied} {who} đồng hạng ở vị trí cuối, chờ Hội đồng quyết định chọn {self.held}"
        return text


def award_counts(result: AppraisalResult) -> list[AwardCount]:
    """Per award of the plan that has anyone to propose, in the plan's order."""
    counts = []
    for award in result.plan.awards:
        listed = {line.candidate.ref.key for line in result.listed if line.award is award}
        ties = [t for t in result.open_ties if t.award is award]
        tied = {c.ref.key for t in ties for c in t.candidates} - listed
        if listed or tied:
            counts.append(AwardCount(award, len(listed), len(tied), sum(t.seats for t in ties)))
    return counts


def by_name(counts: list[AwardCount]) -> dict[str, str]:
    """Award name -> its counts in words, collectives and individuals of the same form together."""
    named: dict[str, list[str]] = {}
    for count in counts:
        named.setdefault(count.award.name, []).append(str(count))
    return {name: "; ".join(parts) if any(";" in p for p in parts) else " và ".join(parts) for name, parts in named.items()}


def kinds_words(result: AppraisalResult, lines: Sequence[AwardLine] = ()) -> str:
    """`tập thể`, `cá nhân` or `tập thể, cá nhân`: the kinds of `lines`, or without lines the kinds the plan awards
    (never one it does not)."""
    present = {line.candidate.kind for line in lines} or {a.nominee for a in result.plan.awards} or {NomineeKind.collective}
    return ", ".join(NOMINEE[k] for k in NomineeKind if k in present)


def considered(result: AppraisalResult) -> list[Candidate]:
    """The candidates the appraisal judges: those of units that exist on its date. A unit merged, dissolved or not
    yet founded is listed with its reason among those not eligible, but is no candidate and never counted as one."""
    return [c for c in result.candidates if c.unit.gone is None]


def eligibility_words(result: AppraisalResult) -> str:
    """`Đủ điều kiện: 11; không đủ điều kiện: 14; không xét 1 đơn vị không tồn tại vào ngày thẩm định`."""
    judged = considered(result)
    eligible = sum(c.eligible for c in judged)
    gone = {c.unit.code for c in result.candidates if c.unit.gone is not None}
    text = f"Đủ điều kiện: {eligible}; không đủ điều kiện: {len(judged) - eligible}"
    return text + (f"; không xét {len(gone)} đơn vị không tồn tại vào ngày thẩm định" if gone else "")


def facts_warning(result: AppraisalResult) -> str | None:
    """A warning when units have no facts for the year (`thidua scores import`): all of them, or how many."""
    units = {c.unit.code: c.unit for c in considered(result)}
    without = [u for u in units.values() if u.facts is None]
    command = f"thidua scores import <tệp> --plan {result.plan.code} --year {result.year}"
    if units and len(without) == len(units):
        return (f"Cảnh báo: chưa nhập số liệu năm {result.year} của đơn vị nào (Chỉ số CCHC, sáng kiến, kỷ luật…), nên không ai được "
                f"đề nghị; nhập bằng {command} (tệp mẫu: examples/chi-so-loc-ninh-2025.csv), rồi thẩm định lại.")  # fmt: skip
    if without:
        return f"Cảnh báo: {len(without)}/{len(units)} đơn vị chưa có số liệu năm {result.year}; nhập bằng {command}."
    return None


def summary_lines(result: AppraisalResult) -> list[str]:
    """What the administrator reads after an appraisal: eligibility, the counts per award, what waits for the
    council, unmet minimums."""
    judged = considered(result)
    lines = [f"Thẩm định: {sum(c.eligible for c in judged)}/{len(judged)} đối tượng đủ tiêu chuẩn"]
    if warning := facts_warning(result):
        lines.append(warning)
    lines += [f"{count.award.name}: {count}" for count in award_counts(result)] or ["Không có đối tượng nào được đề nghị"]
    if result.open_ties:
        lines.append(f"Chưa lập dự thảo quyết định và giấy khen: còn {len(result.open_ties)} trường hợp đồng hạng chờ "
                     "Hội đồng quyết định (thidua council decide).")  # fmt: skip
    if result.stale:
        lines.append(f"{len(result.stale)} quyết định của Hội đồng không còn khớp với kết quả thẩm định: Hội đồng cần quyết định lại.")
    lines += [f"Lưu ý: {awaiting}" for awaiting in result.awaiting]
    return lines + [f"Chưa đạt chỉ tiêu tối thiểu: {s}" for s in result.shortfalls]
