"""The appraisal of one cycle as a pure function: units in, eligibility, rankings and proposals out."""

from collections.abc import Sequence
from datetime import datetime

from thidua.appraisal.allocation import allocate
from thidua.appraisal.eligibility import assess_collective, assess_individual
from thidua.appraisal.model import AppraisalResult, Deadline, UnitInput
from thidua.appraisal.ranking import group_rankings
from thidua.plan.schema import Plan
from thidua.words import NOMINEE as KIND_WORDS


def appraise(plan: Plan, year: int, as_of: datetime, deadline: Deadline, units: Sequence[UnitInput]) -> AppraisalResult:
    """Check every unit and nominee, rank each group by PAR INDEX and allocate the plan's awards."""
    order = {code: i for i, code in enumerate(plan.group_names)}
    candidates = []
    for unit in sorted(units, key=lambda u: (order.get(u.group, len(order)), u.code)):
        candidates.append(assess_collective(plan, unit, deadline))
        candidates += [assess_individual(plan, unit, name, i, deadline) for i, name in enumerate(unit.individuals)]
    awards = plan.awards_of(year)
    lines, ties, shortfalls = allocate(plan, [a for a in awards if not a.awaiting_guidance], candidates)
    awaiting = [
        f"{a.name} ({KIND_WORDS[a.nominee]}): chưa đề xuất vì chỉ tiêu chờ hướng dẫn — kế hoạch ghi “{a.awaiting_guidance}”"
        for a in awards
        if a.awaiting_guidance
    ]
    return AppraisalResult(
        plan=plan,
        year=year,
        as_of=as_of,
        deadline=deadline,
        candidates=tuple(candidates),
        ranking=group_rankings(plan, candidates),
        lines=tuple(lines),
        ties=tuple(ties),
        shortfalls=tuple(shortfalls),
        awaiting=tuple(awaiting),
    )
