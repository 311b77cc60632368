"""Awards within the plan's quotas, in the plan's order of awards; a tie at a quota boundary goes to the council.

Rules (docs/appraisal.md): a quota is counted per pool — the whole plan (`max`), each group (`per_group`)
or each unit (`per_unit`, `per_unit_excellent` for a unit of the excellent group). Only eligible candidates
compete. A candidate gets at most one award a year: one proposed for an earlier award of the plan file is
passed over by the later ones. Candidates tied for the last seats are all marked `tie` and none is chosen.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from thidua.appraisal.model import AwardLine, Candidate, Outcome, Tie
from thidua.appraisal.ranking import ranked, standing
from thidua.plan.schema import Award, NomineeKind, Plan, Quota
from thidua.words import NOMINEE as KIND_WORDS
from thidua.words import percent


@dataclass(frozen=True)
class _Pool:
    scope: str
    seats: int
    seats_reason: str
    candidates: list[Candidate]


def _pools(plan: Plan, award: Award, candidates: Sequence[Candidate]) -> Iterator[_Pool]:
    quota, who = award.quota, KIND_WORDS[award.nominee]
    if quota.max is not None:
        yield _Pool("toàn kế hoạch", quota.max, f"tối đa {quota.max} {who}", list(candidates))
    elif quota.per_group is not None:
        for group in award.groups or [g.code for g in plan.groups]:
            name = plan.group_names[group]
            pool = [c for c in candidates if c.unit.group == group]
            yield _Pool(f"nhóm {name}", quota.per_group, f"{quota.per_group} {who} mỗi nhóm", pool)
    else:
        assert quota.per_unit is not None  # one of the three, checked when the plan is loaded
        for code in dict.fromkeys(c.unit.code for c in candidates):
            pool = [c for c in candidates if c.unit.code == code]
            unit = pool[0].unit
            if quota.per_unit_excellent and unit.facts and unit.facts.excellent_group:
                seats, why = quota.per_unit_excellent, f"{quota.per_unit_excellent} {who} (đơn vị thuộc nhóm xuất sắc)"
            else:
                seats, why = quota.per_unit, f"{quota.per_unit} {who} mỗi đơn vị"
            yield _Pool(f"đơn vị {unit.name}", seats, why, pool)


def _standing_words(candidate: Candidate, rank: int, pool: _Pool) -> str:
    order = f", thứ tự {candidate.position + 1} trong hồ sơ của đơn vị" if candidate.kind is NomineeKind.individual else ""
    return f"Chỉ số CCHC {percent(candidate.par_index or 0)}{order} — hạng {rank} trong {pool.scope}"


def _allocate_pool(award: Award, pool: _Pool) -> tuple[list[AwardLine], Tie | None, int]:
    """Lines for one pool, the tie at its boundary if any, and the seats filled (a tie reserves the rest)."""
    lines: list[AwardLine] = []
    tie: Tie | None = None
    taken = 0
    for tier in ranked(pool.candidates, standing):
        left = pool.seats - taken
        for rank, c in tier:
            where = _standing_words(c, rank, pool)
            if len(tier) <= left:
                outcome, why = Outcome.proposed, f"{where}; trong chỉ tiêu {pool.seats_reason}"
            elif left > 0:
                others = ", ".join(o.name for _, o in tier if o is not c)
                outcome = Outcome.tie
                why = f"{where}; đồng hạng {rank} với {others} khi chỉ còn {left} suất — Hội đồng quyết định"
            else:
                outcome, why = Outcome.over_quota, f"{where}; ngoài chỉ tiêu {pool.seats_reason}"
            lines.append(AwardLine(award, c, outcome, rank, pool.scope, (why, *c.passed, *c.notes)))
        if 0 < left < len(tier):
            tie = Tie(award, pool.scope, tier[0][0], left, tuple(c for _, c in tier))
        taken = min(pool.seats, taken + len(tier))
    return lines, tie, taken


def allocate(plan: Plan, awards: Sequence[Award], candidates: Sequence[Candidate]) -> tuple[list[AwardLine], list[Tie], list[str]]:
    """Each of `awards` (quotas known) in file order: the lines, the ties and the unmet minimums."""
    lines: list[AwardLine] = []
    ties: list[Tie] = []
    shortfalls: list[str] = []
    proposed: dict[int, str] = {}  # id(candidate) -> name of the award already proposed
    for award in awards:
        assert isinstance(award.quota, Quota)
        groups = set(award.groups or plan.group_names)
        competing = []
        for c in candidates:
            if c.kind is not award.nominee or not c.eligible or c.unit.group not in groups:
                continue
            if id(c) in proposed:
                why = f"đã được đề nghị {proposed[id(c)]}; mỗi {KIND_WORDS[c.kind]} chỉ nhận một hình thức trong năm"
                lines.append(AwardLine(award, c, Outcome.other_form, None, "", (why,)))
            else:
                competing.append(c)
        for pool in _pools(plan, award, competing):
            pool_lines, tie, taken = _allocate_pool(award, pool)
            lines += pool_lines
            ties += [tie] if tie else []
            proposed |= {id(line.candidate): award.name for line in pool_lines if line.outcome is Outcome.proposed}
            if taken < award.quota.min:
                shortfalls.append(
                    f"{award.name} ({KIND_WORDS[award.nominee]}, {pool.scope}): chỉ có {taken} đủ điều kiện, "
                    f"chưa đạt số tối thiểu {award.quota.min} theo kế hoạch"
                )
    return lines, ties, shortfalls
