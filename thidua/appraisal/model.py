"""What an appraisal works from (one unit's facts, dossier and nominees) and what it decides."""

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from thidua.cycle.state import DeliveryState
from thidua.plan.schema import Award, Discipline, NomineeKind, Plan


@dataclass(frozen=True)
class Facts:
    """A unit's facts for the year, as imported (`thidua scores import`)."""

    par_index: float
    initiatives: int
    discipline: Discipline
    excellent_group: bool


@dataclass(frozen=True)
class UnitInput:
    """One unit of the directory as the appraisal sees it on the appraisal date."""

    code: str
    name: str
    group: str
    gone: str | None  # why the unit does not exist on the appraisal date (merged, dissolved); None if it does
    facts: Facts | None
    collective_dossier: DeliveryState  # judged on the documents a collective needs
    individual_dossier: DeliveryState  # judged on the documents an individual needs
    individuals: tuple[str, ...] = ()  # individual nominees of its dossier, in the order given
    registered: bool = False  # registered for the movement (đăng ký thi đua)
    registrants: tuple[str, ...] = ()  # the individuals it registered, by name


@dataclass(frozen=True)
class Deadline:
    """The effective submission deadline of the cycle (None while pending) and the rule behind it."""

    date: date | None
    rule: str


@dataclass(frozen=True)
class Candidate:
    """A collective (the unit itself) or an individual nominee, with every check passed and failed."""

    kind: NomineeKind
    name: str
    unit: UnitInput
    position: int  # order of an individual within its unit's dossier (0 for a collective)
    passed: tuple[str, ...]
    failed: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def eligible(self) -> bool:
        return not self.failed

    @property
    def par_index(self) -> float | None:
        return self.unit.facts.par_index if self.unit.facts else None


@dataclass(frozen=True)
class RankRow:
    """One unit in its group's PAR INDEX ranking; equal indices share a rank (1, 2, 2, 4)."""

    rank: int
    unit: UnitInput
    eligible: bool


class Outcome(StrEnum):
    proposed = "proposed"  # within the quota
    tie = "tie"  # tied at the quota boundary: the council decides
    over_quota = "over_quota"  # eligible, ranked below the last seat
    other_form = "other_form"  # already proposed for an earlier form of the plan this year


@dataclass(frozen=True)
class AwardLine:
    """The decision on one eligible candidate for one award of the plan, with its reasons."""

    award: Award
    candidate: Candidate
    outcome: Outcome
    rank: int | None  # rank within the award's pool (the group, the unit or the whole plan)
    scope: str  # the pool in words: "nhóm Sở, ngành tỉnh", "toàn kế hoạch", "đơn vị Sở Tư pháp"
    reasons: tuple[str, ...]

    @property
    def tie(self) -> bool:
        return self.outcome is Outcome.tie


@dataclass(frozen=True)
class Tie:
    """Candidates with equal standing that a quota boundary splits: reported, never broken silently."""

    award: Award
    scope: str
    rank: int
    seats: int  # seats left for the tied candidates
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class AppraisalResult:
    """The appraisal of one cycle: every candidate's eligibility, the rankings, the proposals and ties."""

    plan: Plan
    year: int
    as_of: datetime
    deadline: Deadline
    candidates: tuple[Candidate, ...]
    ranking: dict[str, list[RankRow]]  # group code -> ranking
    lines: tuple[AwardLine, ...]
    ties: tuple[Tie, ...]
    shortfalls: tuple[str, ...] = field(default=())  # `min` quotas that cannot be met
    awaiting: tuple[str, ...] = field(default=())  # awards not proposed: their quota awaits guidance

    @property
    def proposals(self) -> list[AwardLine]:
        """The lines that go into the tờ trình: proposed, and tied ones marked for the council."""
        return [line for line in self.lines if line.outcome in (Outcome.proposed, Outcome.tie)]

    @property
    def eligible(self) -> list[Candidate]:
        return [c for c in self.candidates if c.eligible]

    @property
    def ineligible(self) -> list[Candidate]:
        return [c for c in self.candidates if not c.eligible]
