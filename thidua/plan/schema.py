"""The plan file as typed data: identity, period, units, milestones with date rules, what units owe, awards.

Every rule a plan states is data here; no plan needs code of its own.
"""

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from thidua.channels import REGISTRY
from thidua.dates import PLAN_YEARS, parse_date, parse_day_month
from thidua.names import CODE_MAX, CODE_PATTERN

# Every number and list of the format is bounded, so that no plan can make date arithmetic overflow, a loop over
# days run for long, or an allocation grow without end: a plan beyond these bounds is a typing error.
FIRST_YEAR, LAST_YEAR = PLAN_YEARS
MAX_OFFSET_DAYS = 366  # an offset rule moves a date by at most a year either way
MAX_YEAR_OFFSET = 2  # a yearly or window rule falls at most two years from its cycle
MAX_QUOTA = 10_000
MAX_ITEMS = 200  # groups, milestones, deliverables, awards, documents, criteria per list
MAX_DAYS_LISTED = 400  # extra days off or working days of a plan's calendar

Items = Field(max_length=MAX_ITEMS)


def _plan_date(value: object) -> date:
    return parse_date(value, (FIRST_YEAR, LAST_YEAR), " của một kế hoạch")


PlanDate = Annotated[date, BeforeValidator(_plan_date)]
DayMonth = Annotated[tuple[int, int], BeforeValidator(parse_day_month)]
Code = Annotated[str, Field(pattern=CODE_PATTERN, max_length=CODE_MAX)]
YearOffset = Annotated[int, Field(ge=-MAX_YEAR_OFFSET, le=MAX_YEAR_OFFSET)]
Quantity = Annotated[int, Field(ge=1, le=MAX_QUOTA)]


def _known_channel(name: str) -> str:
    if name not in REGISTRY:
        raise ValueError("kênh chưa đăng ký; các kênh: " + ", ".join(REGISTRY))
    return name


ChannelName = Annotated[str, AfterValidator(_known_channel)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Roll(StrEnum):
    """What happens when a date falls on a day off."""

    next_working_day = "next_working_day"  # Civil Code 2015 art. 148: the limit ends on the next working day
    previous_working_day = "previous_working_day"  # "at least N days before": keep the guarantee
    none = "none"


class Contact(Strict):
    name: str
    email: str | None = None
    phone: str | None = None


class StandingAgency(Contact):
    """The agency that runs the movement; `chairman` receives the last escalation report."""

    chairman: Contact | None = None


class Period(Strict):
    start: PlanDate
    end: PlanDate

    @model_validator(mode="after")
    def _ordered(self) -> "Period":
        if self.end < self.start:
            raise ValueError("ngày kết thúc (end) trước ngày bắt đầu (start)")
        return self


class Group(Strict):
    code: Code
    name: str


class Participants(Strict):
    collectives: Annotated[list[Code], Items] = []
    individuals: Annotated[list[Code], Items] = []


# --- date rules ------------------------------------------------------------------------------


class YearlyRule(Strict):
    """The same day every year, e.g. 30/11; `inclusive: false` reads "trước ngày 30/11" as ending 29/11."""

    type: Literal["yearly"]
    day: DayMonth
    year_offset: YearOffset = 0
    inclusive: bool = True


class FixedRule(Strict):
    """One calendar date; it belongs to the cycle of `cycle_year` (default: the date's year)."""

    type: Literal["fixed"]
    date: PlanDate
    cycle_year: Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)] | None = None


class OffsetRule(Strict):
    """N calendar or working days after (`days` > 0) or before (`days` < 0) another milestone."""

    type: Literal["offset"]
    from_: Code = Field(alias="from")
    days: Annotated[int, Field(ge=-MAX_OFFSET_DAYS, le=MAX_OFFSET_DAYS)]
    count: Literal["calendar", "working"] = "calendar"


class WindowRule(Strict):
    """A window such as quarter I of the next year, with the default day chosen inside it."""

    type: Literal["window"]
    start: DayMonth
    end: DayMonth
    year_offset: YearOffset = 0
    default: Literal["first_working_day", "last_working_day"] | DayMonth = "first_working_day"
    name: str | None = None  # e.g. "quý I năm sau"

    @field_validator("end")
    @classmethod
    def _after_start(cls, end: tuple[int, int], info: ValidationInfo) -> tuple[int, int]:
        start = info.data.get("start")
        if start and end[::-1] < start[::-1]:  # (month, day) orders days within a year
            raise ValueError(f"ngày kết thúc của khoảng trước ngày bắt đầu {start[0]:02d}/{start[1]:02d}")
        return end

    @field_validator("default")
    @classmethod
    def _inside(cls, default: object, info: ValidationInfo) -> object:
        start, end = info.data.get("start"), info.data.get("end")
        if isinstance(default, tuple) and start and end and not start[::-1] <= default[::-1] <= end[::-1]:
            raise ValueError(f"ngày mặc định phải nằm trong khoảng {start[0]:02d}/{start[1]:02d}–{end[0]:02d}/{end[1]:02d}")
        return default


class CycleStartRule(Strict):
    """The opening of a cycle: the plan's start in its first year, 1 January in the following years."""

    type: Literal["cycle_start"]


class AdminRule(Strict):
    """A date an administrator sets each year (e.g. the PAR INDEX announcement); pending until then."""

    type: Literal["admin"]
    expected: str | None = None  # what the plan says about it, shown while pending


class GuidanceRule(Strict):
    """A date the plan leaves to later guidance ("sẽ có hướng dẫn sau"): awaited until an administrator sets it."""

    type: Literal["guidance"]
    expected: str  # the plan's own words


DateRule = Annotated[
    YearlyRule | FixedRule | OffsetRule | WindowRule | CycleStartRule | AdminRule | GuidanceRule,
    Field(discriminator="type"),
]


class AwaitingGuidance(Strict):
    """Something the plan leaves to later guidance (a document list, a quota), in the plan's own words."""

    awaiting_guidance: str


class Milestone(Strict):
    kind: Code
    label: str
    rule: DateRule
    roll: Roll | None = None  # default: next; previous for "N days before"; none for admin dates
    occurs: Literal["every_year", "final_year"] = "every_year"
    source: str | None = None  # the section of the plan text

    @property
    def effective_roll(self) -> Roll:
        if self.roll is not None:
            return self.roll
        if isinstance(self.rule, AdminRule | GuidanceRule):
            return Roll.none
        if isinstance(self.rule, OffsetRule) and self.rule.days < 0:
            return Roll.previous_working_day
        return Roll.next_working_day


# --- chasing ---------------------------------------------------------------------------------


class Reminders(Strict):
    """Calendar days before a deadline on which the owner is reminded (0 = the day)."""

    before_days: Annotated[list[Annotated[int, Field(ge=0, le=90)]], Field(max_length=30)] = [14, 7, 3, 1, 0]
    working_days_only: bool = True


class EscalationTarget(StrEnum):
    unit_head = "unit_head"
    standing_agency = "standing_agency"
    chairman = "chairman"


class EscalationStep(Strict):
    after_working_days: Annotated[int, Field(ge=1, le=60)]
    to: EscalationTarget


DEFAULT_ESCALATIONS = [
    EscalationStep(after_working_days=1, to=EscalationTarget.unit_head),
    EscalationStep(after_working_days=3, to=EscalationTarget.standing_agency),
    EscalationStep(after_working_days=5, to=EscalationTarget.chairman),
]


# --- what units owe ---------------------------------------------------------------------------


class NomineeKind(StrEnum):
    collective = "collective"
    individual = "individual"


class Document(Strict):
    code: Code
    name: str
    for_: list[NomineeKind] = Field(alias="for", default=[NomineeKind.collective, NomineeKind.individual])
    form: str | None = None  # e.g. "Mẫu số 08, Phụ lục Nghị định 98/2023/NĐ-CP"
    required_for_awards: Annotated[list[Code], Items] | None = None  # only needed for these award forms


class DeliverableKind(StrEnum):
    registration = "registration"  # đăng ký thi đua: the collective and named individuals
    report = "report"  # a report of results, possibly several times a year
    dossier = "dossier"  # hồ sơ đề nghị khen thưởng
    other = "other"


class Owner(StrEnum):
    units = "units"  # every participating unit (of `groups`)
    standing_agency = "standing_agency"  # the standing agency's own obligation


class Deliverable(Strict):
    """Something owed by a deadline: who owes it, when (one occurrence per milestone), what it holds, how it is chased."""

    code: Code
    name: str
    kind: DeliverableKind
    owner: Owner = Owner.units
    groups: Annotated[list[Code], Items] | None = None  # the owing groups; None: every participating collective group
    due: Annotated[list[Code], Field(min_length=1, max_length=MAX_ITEMS)]  # milestone kinds: one occurrence, one deadline each
    documents: Annotated[list[Document], Items] | AwaitingGuidance = []  # none: delivered once received (a registration)
    reminders: Reminders | None = None  # None: the plan's
    escalations: Annotated[list[EscalationStep], Field(max_length=10)] | None = None  # None: the plan's
    late: Literal["accepted", "refused"] = "accepted"  # refused: recorded as late, not counted as delivered
    source: str | None = None

    @property
    def awaiting_guidance(self) -> str | None:
        return self.documents.awaiting_guidance if isinstance(self.documents, AwaitingGuidance) else None

    @property
    def document_list(self) -> list[Document]:
        return [] if isinstance(self.documents, AwaitingGuidance) else self.documents


# --- eligibility, awards ---------------------------------------------------------------------


class Discipline(StrEnum):
    """Disciplinary measures, mildest first."""

    none = "none"
    khien_trach = "khien_trach"
    canh_cao = "canh_cao"
    giang_chuc = "giang_chuc"
    cach_chuc = "cach_chuc"
    buoc_thoi_viec = "buoc_thoi_viec"


class ParIndexMin(Strict):
    criterion: Literal["par_index_min"]
    value: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]


class InitiativesMin(Strict):
    criterion: Literal["initiatives_min"]
    value: Annotated[int, Field(ge=0, le=1000)]


class NoDisciplineFrom(Strict):
    criterion: Literal["no_discipline_from"]
    value: Discipline


class UnitLeadersNoDisciplineFrom(Strict):
    """For an individual: no key leader of the person's unit disciplined at this level or above (only where the
    plan makes a unit's discipline exclude its people)."""

    criterion: Literal["unit_leaders_no_discipline_from"]
    value: Discipline


class DossierComplete(Strict):
    criterion: Literal["dossier_complete"]


class OnTime(Strict):
    criterion: Literal["on_time"]


class Registered(Strict):
    """Registered for the movement (đăng ký thi đua): the collective, or the individual by name."""

    criterion: Literal["registered"]


Criterion = Annotated[
    ParIndexMin | InitiativesMin | NoDisciplineFrom | UnitLeadersNoDisciplineFrom | DossierComplete | OnTime | Registered,
    Field(discriminator="criterion"),
]


class Eligibility(Strict):
    """Award standards. A collective's facts are its unit's (PAR INDEX, initiatives, its key leaders' discipline);
    an individual's are the person's own record."""

    collective: Annotated[list[Criterion], Items] = []
    individual: Annotated[list[Criterion], Items] = []
    late_dossier: Literal["not_eligible", "eligible_with_note"] = "not_eligible"

    @field_validator("collective")
    @classmethod
    def _unit_criteria(cls, criteria: list[Criterion]) -> list[Criterion]:
        if any(isinstance(c, UnitLeadersNoDisciplineFrom) for c in criteria):
            raise ValueError("unit_leaders_no_discipline_from chỉ dùng cho cá nhân; với tập thể, no_discipline_from đã xét lãnh đạo chủ chốt")
        return criteria

    @field_validator("individual")
    @classmethod
    def _person_criteria(cls, criteria: list[Criterion]) -> list[Criterion]:
        if any(isinstance(c, ParIndexMin) for c in criteria):
            raise ValueError("Chỉ số CCHC là của đơn vị, không phải của cá nhân; cá nhân xét trên hồ sơ của chính mình")
        return criteria


class RankingBasis(StrEnum):
    """What candidates are ranked on: the PAR INDEX, a score the council gives each, or the council's own order."""

    par_index = "par_index"
    council_score = "council_score"  # điểm bình xét, imported per unit (and per person)
    council_order = "council_order"  # thứ tự bình xét: 1, 2, 3 … as the council placed them


class Ranking(Strict):
    basis: RankingBasis = RankingBasis.par_index
    source: str | None = None


class Quota(Strict):
    """How many of an award: in total (`min`..`max`), per group, or per unit (doubled for the excellent group)."""

    max: Quantity | None = None
    min: Annotated[int, Field(ge=0, le=MAX_QUOTA)] = 0
    per_group: Quantity | None = None
    per_unit: Quantity | None = None
    per_unit_excellent: Quantity | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "Quota":
        if sum(x is not None for x in (self.max, self.per_group, self.per_unit)) != 1:
            raise ValueError("chỉ tiêu phải ghi đúng một trong: max, per_group, per_unit")
        if self.max is not None and self.min > self.max:
            raise ValueError("min lớn hơn max")
        return self


class Award(Strict):
    form: Code  # co_thi_dua, bang_khen, giay_khen
    name: str
    grantor: str
    nominee: NomineeKind
    groups: Annotated[list[Code], Items] | None = None  # None: every participating group
    quota: Quota | AwaitingGuidance
    occurs: Literal["every_year", "final_year"] = "every_year"  # final_year: the phase summary's awards
    source: str | None = None

    @property
    def awaiting_guidance(self) -> str | None:
        return self.quota.awaiting_guidance if isinstance(self.quota, AwaitingGuidance) else None


# --- the plan --------------------------------------------------------------------------------


class Signing(Strict):
    """Who issues and signs a document after the appraisal (Decree 30/2020/NĐ-CP header and signature block);
    what is left out stays blank in the draft for the văn thư and the signer to fill."""

    agency_parent: str | None = None  # the line above the agency in the header ("UBND HUYỆN LỘC NINH")
    agency: str | None = None  # the issuing agency ("Phòng Nội vụ")
    symbol: str | None = None  # what follows the number: "TTr-PNV", "QĐ-UBND"
    authority: list[str] = []  # the signing capacity, a line each: ["KT. Chủ tịch", "Phó Chủ tịch"]
    signer: str | None = None
    basis: list[str] = []  # the decision's legal bases ("Căn cứ Luật Thi đua, khen thưởng …;"), as written


class Paperwork(Strict):
    """The tờ trình the standing agency sends and the quyết định khen thưởng the grantor signs."""

    proposal: Signing = Signing()
    decision: Signing = Signing()


class CalendarChanges(Strict):
    extra_days_off: Annotated[list[PlanDate], Field(max_length=MAX_DAYS_LISTED)] = []
    extra_working_days: Annotated[list[PlanDate], Field(max_length=MAX_DAYS_LISTED)] = []


class Plan(Strict):
    code: Code
    title: str
    short_name: Annotated[str, Field(min_length=1, max_length=40)] | None = None  # runs are named by it ("Lộc Ninh")
    issuer: str
    number: str | None = None
    issued_on: PlanDate | None = None
    place: str | None = None
    period: Period
    standing_agency: StandingAgency
    groups: Annotated[list[Group], Items]
    participants: Participants
    milestones: Annotated[list[Milestone], Items]
    reminders: Reminders = Reminders()
    escalations: Annotated[list[EscalationStep], Field(max_length=10)] = DEFAULT_ESCALATIONS
    deliverables: Annotated[list[Deliverable], Field(min_length=1, max_length=MAX_ITEMS)]
    eligibility: Eligibility = Eligibility()
    awards: Annotated[list[Award], Items] = []
    ranking: Ranking = Ranking()
    paperwork: Paperwork = Paperwork()
    channels: Annotated[list[ChannelName], Field(min_length=1, max_length=10)] = ["email", "zalo"]
    calendar: CalendarChanges = CalendarChanges()

    @property
    def display_name(self) -> str:
        """How run names and summaries name the plan: its short name, else its code."""
        return self.short_name or self.code

    @property
    def group_names(self) -> dict[str, str]:
        return {g.code: g.name for g in self.groups}

    @property
    def cycle_years(self) -> range:
        return range(self.period.start.year, self.period.end.year + 1)

    def award(self, form: str, nominee: NomineeKind, year: int) -> Award | None:
        """The award of `form` for `nominee` appraised in cycle `year` (at most one: checked when the plan is loaded)."""
        return next((a for a in self.awards_of(year) if a.form == form and a.nominee is nominee), None)

    def milestone(self, kind: str) -> Milestone | None:
        return next((m for m in self.milestones if m.kind == kind), None)

    def deliverable(self, code: str) -> Deliverable | None:
        return next((d for d in self.deliverables if d.code == code), None)

    @property
    def dossier(self) -> Deliverable | None:
        """The yearly nomination dossier the appraisal judges: the plan's first deliverable of kind dossier."""
        return next((d for d in self.deliverables if d.kind is DeliverableKind.dossier), None)

    def awards_of(self, year: int) -> list[Award]:
        """The awards appraised in cycle `year` (the phase summary's only in the final year)."""
        return [a for a in self.awards if a.occurs == "every_year" or year == self.cycle_years[-1]]

    @property
    def registration(self) -> Deliverable | None:
        return next((d for d in self.deliverables if d.kind is DeliverableKind.registration), None)

    def owing_groups(self, deliverable: Deliverable) -> list[str]:
        """The groups whose units owe `deliverable` (none for the standing agency's own obligations)."""
        if deliverable.owner is Owner.standing_agency:
            return []
        return deliverable.groups or list(self.participants.collectives)
