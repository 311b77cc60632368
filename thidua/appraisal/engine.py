"""The appraisal of one cycle as a pure function: units and the council's decisions in; eligibility, rankings and
the award list out."""

from collections.abc import Sequence
from datetime import datetime

from thidua.appraisal.allocation import allocate
from thidua.appraisal.council import Council, stale
from thidua.appraisal.eligibility import assess_collective, assess_individual
from thidua.appraisal.model import AppraisalResult, Deadline, Decision, UnitInput
from thidua.appraisal.ranking import group_rankings
from thidua.plan.schema import ParIndexMin, Plan
from thidua.words import NOMINEE as KIND_WORDS
from thidua.words import Scale, scale


def shown_numbers(plan: Plan, units: Sequence[UnitInput]) -> Scale:
    """Every PAR INDEX, council score and PAR threshold the appraisal's words and documents show side by side."""
    values = [c.value for c in plan.eligibility.collective if isinstance(c, ParIndexMin)]
    for unit in units:
        records = [unit.facts, *(p.facts for p in unit.individuals)]
        values += [r.council_score for r in records if r is not None and r.council_score is not None]
        values += [unit.facts.par_index] if unit.facts and unit.facts.par_index is not None else []
    return scale(values)


def appraise(
    plan: Plan, year: int, as_of: datetime, deadline: Deadline, units: Sequence[UnitInput],
    decisions: Sequence[Decision] = (),
) -> AppraisalResult:  # fmt: skip
    """Check every unit and nominee, rank each group on the plan's basis, allocate the plan's awards and apply the
    council's decisions."""
    numbers = shown_numbers(plan, units)
    order = {code: i for i, code in enumerate(plan.group_names)}
    candidates = []
    for unit in sorted(units, key=lambda u: (order.get(u.group, len(order)), u.code)):
        candidates.append(assess_collective(plan, unit, deadline, numbers))
        candidates += [assess_individual(plan, unit, p, i, deadline, numbers) for i, p in enumerate(unit.individuals)]
    council = Council(decisions)
    awards = plan.awards_of(year)
    allocation = allocate(plan, [a for a in awards if not a.awaiting_guidance], candidates, council, numbers)
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
        lines=tuple(allocation.lines),
        ties=tuple(allocation.ties),
        pools=tuple(allocation.pools),
        awaiting=tuple(awaiting),
        decisions=council.decisions,
        in_force=tuple(council.in_force()),
        stale=stale(council, allocation.lines, allocation.ties),
        numbers=numbers,
    )
