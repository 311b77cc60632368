"""Rankings on the plan's basis (PAR INDEX or council score: highest first; the council's order: 1 first); equal
standing shares a rank, so a tie is never hidden."""

from collections.abc import Callable, Sequence
from itertools import groupby
from typing import TypeVar

from thidua.appraisal.model import Candidate, RankRow
from thidua.plan.schema import NomineeKind, Plan, RankingBasis

T = TypeVar("T")


def standing(basis: RankingBasis) -> Callable[[Candidate], tuple[float, int]]:
    """Sort key: the candidate's value in the basis's direction; on the PAR INDEX (a unit's), an individual's order
    in the unit's dossier next. The council's score or order is the person's own: equal values are a tie."""
    sign = 1.0 if basis is RankingBasis.council_order else -1.0
    by_dossier = basis is RankingBasis.par_index
    return lambda candidate: (sign * (candidate.value or 0.0), candidate.position if by_dossier else 0)


def ranked(items: Sequence[T], key: Callable[[T], object]) -> list[list[tuple[int, T]]]:
    """`items` sorted by `key` in tiers of equal key, each item with its competition rank (1, 2, 2, 4)."""
    tiers, seen = [], 0
    for _, tier in groupby(sorted(items, key=key), key=key):
        members = list(tier)
        tiers.append([(seen + 1, item) for item in members])
        seen += len(members)
    return tiers


def group_rankings(plan: Plan, candidates: Sequence[Candidate]) -> dict[str, list[RankRow]]:
    """Each group's ranking of the units that exist and have a value on the plan's basis, eligible or not."""
    ranking: dict[str, list[RankRow]] = {}
    for group in plan.groups:
        units = [
            c
            for c in candidates
            if c.kind is NomineeKind.collective and c.unit.group == group.code and not c.unit.gone and c.value is not None
        ]
        units.sort(key=lambda c: c.unit.code)
        ranking[group.code] = [
            RankRow(rank, c.unit, c.eligible, c.value or 0.0)
            for tier in ranked(units, standing(plan.ranking.basis))
            for rank, c in tier
        ]
    return ranking
