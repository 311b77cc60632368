"""PAR INDEX rankings: highest index first; equal standing shares a rank, so a tie is never hidden."""

from collections.abc import Callable, Sequence
from itertools import groupby
from typing import TypeVar

from thidua.appraisal.model import Candidate, RankRow
from thidua.plan.schema import NomineeKind, Plan

T = TypeVar("T")


def standing(candidate: Candidate) -> tuple[float, int]:
    """Sort key: the unit's PAR INDEX (descending), then an individual's order within the unit's dossier."""
    return (-(candidate.par_index or 0.0), candidate.position)


def ranked(items: Sequence[T], key: Callable[[T], object]) -> list[list[tuple[int, T]]]:
    """`items` sorted by `key` in tiers of equal key, each item with its competition rank (1, 2, 2, 4)."""
    tiers, seen = [], 0
    for _, tier in groupby(sorted(items, key=key), key=key):
        members = list(tier)
        tiers.append([(seen + 1, item) for item in members])
        seen += len(members)
    return tiers


def group_rankings(plan: Plan, candidates: Sequence[Candidate]) -> dict[str, list[RankRow]]:
    """Each group's ranking of the units that exist and have a PAR INDEX, eligible or not."""
    ranking: dict[str, list[RankRow]] = {}
    for group in plan.groups:
        units = [
            c
            for c in candidates
            if c.kind is NomineeKind.collective and c.unit.group == group.code and not c.unit.gone and c.unit.facts
        ]
        units.sort(key=lambda c: c.unit.code)
        ranking[group.code] = [
            RankRow(rank, c.unit, c.eligible) for tier in ranked(units, standing) for rank, c in tier
        ]
    return ranking
