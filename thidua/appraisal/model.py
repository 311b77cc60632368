"""What an appraisal works from (units, their facts, dossiers, nominees and people's own records; the council's
decisions) and what it decides (eligibility, rankings, award lines, ties, quota fill)."""

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from thidua.cycle.state import DeliveryState
from thidua.plan.schema import Award, Discipline, NomineeKind, Plan, RankingBasis
from thidua.words import NOMINEE, Scale


def name_key(name: str) -> str:
    """A person's name as compared: NFC, case and runs of spaces ignored ("Nguyễn  văn An" = "Nguyễn Văn An")."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


@dataclass(frozen=True)
class Facts:
    """A unit's facts for the year, as imported (`thidua scores import`); `discipline` is its key leaders'."""

    par_index: float | None
    initiatives: int
    discipline: Discipline
    excellent_group: bool
    council_score: float | None = None  # điểm bình xét
    council_rank: int | None = None  # the council's order: 1 first


@dataclass(frozen=True)
class PersonFacts:
    """An individual's own record for the year, as imported (`thidua individuals import`)."""

    position: str
    initiatives: int
    discipline: Discipline
    council_score: float | None = None
    council_rank: int | None = None


@dataclass(frozen=True)
class Person:
    """An individual nominee of a unit's dossier, with the person's own record when one was imported."""

    name: str
    facts: PersonFacts | None = None


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
    individuals: tuple[Person, ...] = ()  # individual nominees of its dossier, in the order given
    registered: bool = False  # registered for the movement (đăng ký thi đua)
    registrants: tuple[str, ...] = ()  # the individuals it registered, by name


@dataclass(frozen=True)
class Deadline:
    """The effective submission deadline of the cycle (None while pending) and the rule behind it."""

    date: date | None
    rule: str


@dataclass(frozen=True)
class NomineeRef:
    """A nominee as the council names it: a unit code, and a person's name for an individual."""

    unit: str
    name: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return self.unit, name_key(self.name)

    def __str__(self) -> str:
        return f"{self.unit}:{self.name}" if self.name else self.unit


class Action(StrEnum):
    """What the council decides."""

    choose = "choose"  # among candidates tied at a quota boundary
    add = "add"  # a nominee put on an award's list
    withdraw = "withdraw"  # a nominee taken off an award's list


@dataclass(frozen=True)
class Decision:
    """One decision of the emulation and commendation council, as recorded, with who recorded it and why."""

    action: Action
    form: str
    kind: NomineeKind
    nominees: tuple[NomineeRef, ...]  # the chosen (choose), or the one added or withdrawn
    reason: str
    by: str
    at: datetime
    tie: tuple[NomineeRef, ...] = ()  # choose: the tied candidates the council chose among


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
    value: float | None = None  # what it is ranked on (the plan's basis); None when missing
    person: PersonFacts | None = None  # an individual's own record

    @property
    def eligible(self) -> bool:
        return not self.failed

    @property
    def par_index(self) -> float | None:
        """The unit's PAR INDEX for a collective; an individual has none of their own."""
        if self.kind is NomineeKind.individual:
            return None
        return self.unit.facts.par_index if self.unit.facts else None

    @property
    def ref(self) -> NomineeRef:
        return NomineeRef(self.unit.code, self.name if self.kind is NomineeKind.individual else "")


@dataclass(frozen=True)
class RankRow:
    """One unit in its group's ranking; equal standing shares a rank (1, 2, 2, 4)."""

    rank: int
    unit: UnitInput
    eligible: bool
    value: float  # the ranking basis's value


class Outcome(StrEnum):
    proposed = "proposed"  # within the quota
    tie = "tie"  # tied at the quota boundary: the council decides
    chosen = "chosen"  # tied at the boundary, chosen by the council
    not_chosen = "not_chosen"  # tied at the boundary, not chosen by the council
    added = "added"  # put on the list by the council
    withdrawn = "withdrawn"  # taken off the list by the council
    over_quota = "over_quota"  # eligible, ranked below the last seat
    other_form = "other_form"  # already proposed for an earlier form of the plan this year


LISTED = (Outcome.proposed, Outcome.chosen, Outcome.added)  # on the list the grantor signs
PROPOSED = (*LISTED, Outcome.tie)  # in the tờ trình: the list, and the ties still open


@dataclass(frozen=True)
class AwardLine:
    """The decision on one candidate for one award of the plan, with its reasons."""

    award: Award
    candidate: Candidate
    outcome: Outcome
    rank: int | None  # rank within the award's pool (the group, the unit or the whole plan)
    scope: str  # the pool in words: "nhóm Sở, ngành tỉnh", "toàn kế hoạch", "đơn vị Sở Tư pháp"
    reasons: tuple[str, ...]
    place: str = ""  # the rank in words: "hạng 2 trong nhóm …; hạng 1 nhận Cờ thi đua …"
    decision: Decision | None = None  # the council's decision behind this outcome

    @property
    def tie(self) -> bool:
        """Tied at the quota boundary and not yet decided."""
        return self.outcome is Outcome.tie


@dataclass(frozen=True)
class Tie:
    """Candidates with equal standing that a quota boundary splits: reported, never broken silently."""

    award: Award
    scope: str
    rank: int
    seats: int  # seats left for the tied candidates
    candidates: tuple[Candidate, ...]
    decision: Decision | None = None  # the council's choice, once recorded

    @property
    def open(self) -> bool:
        return self.decision is None


@dataclass(frozen=True)
class PoolFill:
    """How one quota pool was filled: its seats, the plan's minimum, the seats taken and those held by a tie."""

    award: Award
    scope: str
    seats: int
    minimum: int
    filled: int  # proposed or chosen
    held: int  # seats waiting for the council (an open tie)

    @property
    def short(self) -> bool:
        """Fewer than the plan's minimum, even if every held seat is filled."""
        return self.filled + self.held < self.minimum


@dataclass(frozen=True)
class AppraisalResult:
    """The appraisal of one cycle: every candidate's eligibility, the rankings, the award lines and ties, with
    the council's decisions applied."""

    plan: Plan
    year: int
    as_of: datetime
    deadline: Deadline
    candidates: tuple[Candidate, ...]
    ranking: dict[str, list[RankRow]]  # group code -> ranking
    lines: tuple[AwardLine, ...]
    ties: tuple[Tie, ...]
    awaiting: tuple[str, ...] = ()  # awards not proposed: their quota awaits guidance
    pools: tuple[PoolFill, ...] = ()
    decisions: tuple[Decision, ...] = ()  # every decision recorded, oldest first
    in_force: tuple[Decision, ...] = ()  # the latest on each tie and each nominee of an award
    stale: tuple[Decision, ...] = ()  # in force, but no longer matching the appraisal (its tie or nominee is gone)
    numbers: Scale = field(default_factory=lambda: Scale(()))  # every PAR INDEX and threshold shown together

    @property
    def basis(self) -> RankingBasis:
        return self.plan.ranking.basis

    @property
    def proposals(self) -> list[AwardLine]:
        """The lines of the tờ trình: the list, and the ties still open, marked for the council."""
        return [line for line in self.lines if line.outcome in PROPOSED]

    @property
    def listed(self) -> list[AwardLine]:
        """The lines on the award list: proposed within the quotas, chosen or added by the council."""
        return [line for line in self.lines if line.outcome in LISTED]

    @property
    def open_ties(self) -> list[Tie]:
        return [t for t in self.ties if t.open]

    @property
    def final(self) -> bool:
        """Whether the list is final: no tie is waiting for the council."""
        return not self.open_ties

    @property
    def shortfalls(self) -> tuple[str, ...]:
        """The pools that cannot reach the plan's minimum, in words."""
        return tuple(
            f"{p.award.name} ({NOMINEE[p.award.nominee]}, {p.scope}): "
            f"chỉ có {p.filled + p.held} đủ điều kiện, chưa đạt số tối thiểu {p.minimum} theo kế hoạch"
            for p in self.pools
            if p.short
        )

    @property
    def eligible(self) -> list[Candidate]:
        return [c for c in self.candidates if c.eligible]

    @property
    def ineligible(self) -> list[Candidate]:
        return [c for c in self.candidates if not c.eligible]
