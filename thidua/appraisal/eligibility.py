"""Who meets the plan's standards: each criterion checked on a unit's facts, or on a person's own record, with its
reason; and the value each candidate is ranked on (the plan's ranking basis)."""

from collections.abc import Sequence

from thidua.appraisal.model import Candidate, Deadline, Facts, Person, PersonFacts, UnitInput, name_key
from thidua.cycle.state import DeliveryState
from thidua.dates import local_day
from thidua.plan.schema import (
    Criterion,
    Discipline,
    DossierComplete,
    InitiativesMin,
    NoDisciplineFrom,
    NomineeKind,
    OnTime,
    ParIndexMin,
    Plan,
    RankingBasis,
    Registered,
    UnitLeadersNoDisciplineFrom,
)
from thidua.words import BASIS, Scale, long_date, percent
from thidua.words import DISCIPLINE as DISCIPLINE_WORDS

DISCIPLINE_ORDER = list(Discipline)
PAR = BASIS[RankingBasis.par_index]
INITIATIVES = "số sáng kiến được công nhận"
LEADERS = "kỷ luật của lãnh đạo chủ chốt"


class _Checks:
    """Passed and failed checks and notes, collected in the plan's order of criteria."""

    def __init__(self) -> None:
        self.passed: list[str] = []
        self.failed: list[str] = []
        self.notes: list[str] = []

    def check(self, ok: bool, if_ok: str, if_not: str) -> None:
        (self.passed if ok else self.failed).append(if_ok if ok else if_not)


def _below(discipline: Discipline, level: Discipline) -> bool:
    return DISCIPLINE_ORDER.index(discipline) < DISCIPLINE_ORDER.index(level)


def _unit_check(checks: _Checks, criterion: Criterion, facts: Facts, numbers: Scale, *, of_person: bool) -> None:
    """A criterion on the unit's facts: its PAR INDEX, its initiatives, its key leaders' discipline."""
    if isinstance(criterion, ParIndexMin) and facts.par_index is not None:
        shown, limit = percent(facts.par_index, numbers), percent(criterion.value, numbers)
        checks.check(
            facts.par_index >= criterion.value,
            f"Chỉ số CCHC {shown}, đạt mức từ {limit} trở lên",
            f"Chỉ số CCHC {shown}, dưới mức {limit}",
        )
    elif isinstance(criterion, InitiativesMin):
        _initiatives_check(checks, facts.initiatives, criterion.value)
    elif isinstance(criterion, NoDisciplineFrom | UnitLeadersNoDisciplineFrom):
        level, whose = DISCIPLINE_WORDS[criterion.value], "lãnh đạo chủ chốt của đơn vị" if of_person else "lãnh đạo chủ chốt"
        excluded = "kế hoạch không xét cá nhân của đơn vị này" if of_person else f"từ mức {level} trở lên không được xét"
        checks.check(
            _below(facts.discipline, criterion.value),
            f"không có {whose} bị kỷ luật từ mức {level} trở lên",
            f"{whose} bị kỷ luật {DISCIPLINE_WORDS[facts.discipline]} ({excluded})",
        )


def _person_check(checks: _Checks, criterion: Criterion, person: PersonFacts) -> None:
    """A criterion on the person's own record: their initiatives, their discipline."""
    if isinstance(criterion, InitiativesMin):
        _initiatives_check(checks, person.initiatives, criterion.value)
    elif isinstance(criterion, NoDisciplineFrom):
        level = DISCIPLINE_WORDS[criterion.value]
        checks.check(
            _below(person.discipline, criterion.value),
            f"bản thân không bị kỷ luật từ mức {level} trở lên",
            f"bản thân bị kỷ luật {DISCIPLINE_WORDS[person.discipline]} (từ mức {level} trở lên không được xét)",
        )


def _initiatives_check(checks: _Checks, have: int, need: int) -> None:
    checks.check(
        have >= need,
        f"có {have} sáng kiến được công nhận (yêu cầu từ {need})",
        f"có {have} sáng kiến được công nhận, chưa đủ {need}",
    )


def _dossier_words(plan: Plan, state: DeliveryState) -> str:
    if state.status == "not_started":
        return "chưa nộp hồ sơ đề nghị khen thưởng"
    names = {d.code: d.name for d in plan.dossier.document_list} if plan.dossier else {}
    return "hồ sơ còn thiếu: " + "; ".join(names.get(code, code) for code in state.missing)


def _registered(unit: UnitInput, person: Person | None) -> bool:
    """The unit registered; for an individual, named in the unit's registration."""
    if person is None:
        return unit.registered
    return name_key(person.name) in {name_key(name) for name in unit.registrants}


def _registration_check(checks: _Checks, registered: bool) -> None:
    checks.check(registered, "đã đăng ký thi đua", "chưa đăng ký thi đua (kế hoạch chỉ xét đơn vị, cá nhân đã đăng ký)")


def _on_time_check(checks: _Checks, plan: Plan, state: DeliveryState, deadline: Deadline) -> None:
    with_note = plan.eligibility.late_dossier == "eligible_with_note"
    if deadline.date is None:
        words = f"chưa xác định hạn nộp hồ sơ ({deadline.rule}) nên chưa xét được việc nộp đúng hạn"
        (checks.notes if with_note else checks.failed).append(words)
        return
    limit = long_date(deadline.date)
    if not state.late:
        done = f"đủ hồ sơ ngày {long_date(local_day(state.completed_at))}, " if state.completed_at else ""
        checks.passed.append(f"{done}trong hạn nộp ({limit})")
        return
    if state.completed_at:
        words = f"nộp muộn: đủ hồ sơ ngày {long_date(local_day(state.completed_at))}, sau hạn {limit}"
    else:
        words = f"nộp muộn: hết hạn {limit} mà hồ sơ chưa đủ"
    if with_note:
        checks.notes.append(f"{words}; theo kế hoạch vẫn được xét (ghi chú)")
    else:
        checks.failed.append(words)


def ranking_value(basis: RankingBasis, unit: UnitInput, person: Person | None) -> float | None:
    """What a candidate is ranked on: its unit's PAR INDEX (an individual: the unit's, then the dossier's order),
    or the council's score or order — a collective's from its unit's facts, an individual's from their record."""
    if basis is RankingBasis.par_index:
        return unit.facts.par_index if unit.facts else None
    record = unit.facts if person is None else person.facts
    if record is None:
        return None
    value = record.council_score if basis is RankingBasis.council_score else record.council_rank
    return None if value is None else float(value)


def _needs(basis: RankingBasis, criteria: Sequence[Criterion], individual: bool) -> tuple[list[str], list[str]]:
    """The facts a candidate needs from its unit's row and from the person's own record, in words."""
    unit: list[str] = []
    own: list[str] = []
    (own if individual and basis is not RankingBasis.par_index else unit).append(BASIS[basis])
    for criterion in criteria:
        if isinstance(criterion, ParIndexMin):
            unit.append(PAR)
        elif isinstance(criterion, UnitLeadersNoDisciplineFrom) or (isinstance(criterion, NoDisciplineFrom) and not individual):
            unit.append(LEADERS)
        elif isinstance(criterion, NoDisciplineFrom):
            own.append("kỷ luật")
        elif isinstance(criterion, InitiativesMin):
            (own if individual else unit).append(INITIATIVES)
    return list(dict.fromkeys(unit)), list(dict.fromkeys(own))


def _missing(plan: Plan, criteria: Sequence[Criterion], unit: UnitInput, person: Person | None) -> list[str]:
    """Why a candidate cannot be judged or ranked: a fact the plan needs that was not imported."""
    individual = person is not None
    for_unit, for_person = _needs(plan.ranking.basis, criteria, individual)
    words = []
    if for_unit and unit.facts is None:
        words.append(f"chưa có số liệu {', '.join(for_unit)}" + (" của đơn vị" if individual else ""))
    if for_person and person is not None and person.facts is None:
        words.append(f"chưa có số liệu cá nhân: {', '.join(for_person)}")
    if not words and ranking_value(plan.ranking.basis, unit, person) is None:
        words.append(f"chưa có số liệu {BASIS[plan.ranking.basis]}" + (" của đơn vị" if individual and plan.ranking.basis is RankingBasis.par_index else ""))
    return words


def _assess(
    plan: Plan, criteria: Sequence[Criterion], unit: UnitInput, person: Person | None, deadline: Deadline, numbers: Scale
) -> _Checks:
    checks = _Checks()
    if unit.gone:
        checks.failed.append(unit.gone)
        return checks
    checks.failed += _missing(plan, criteria, unit, person)
    state = unit.individual_dossier if person is not None else unit.collective_dossier
    for criterion in criteria:
        if isinstance(criterion, DossierComplete):
            checks.check(state.complete, "hồ sơ đầy đủ", _dossier_words(plan, state))
        elif isinstance(criterion, OnTime):
            _on_time_check(checks, plan, state, deadline)
        elif isinstance(criterion, Registered):
            _registration_check(checks, _registered(unit, person))
        elif person is not None and not isinstance(criterion, UnitLeadersNoDisciplineFrom):
            if person.facts is not None:
                _person_check(checks, criterion, person.facts)
        elif unit.facts is not None:
            _unit_check(checks, criterion, unit.facts, numbers, of_person=person is not None)
    return checks


def assess_collective(plan: Plan, unit: UnitInput, deadline: Deadline, numbers: Scale) -> Candidate:
    """The unit as a collective candidate, checked against `eligibility.collective` on the unit's facts."""
    checks = _assess(plan, plan.eligibility.collective, unit, None, deadline, numbers)
    if not unit.gone and unit.group not in plan.participants.collectives:
        checks.failed.append(f"kế hoạch không xét khen thưởng tập thể thuộc nhóm {plan.group_names.get(unit.group, unit.group)}")
    value = ranking_value(plan.ranking.basis, unit, None)
    return Candidate(NomineeKind.collective, unit.name, unit, 0, *_frozen(checks), value=value)


def assess_individual(plan: Plan, unit: UnitInput, person: Person, position: int, deadline: Deadline, numbers: Scale) -> Candidate:
    """An individual nominee of `unit`, checked against `eligibility.individual` on the person's own record (and on
    the unit's key leaders only where the plan says so)."""
    checks = _assess(plan, plan.eligibility.individual, unit, person, deadline, numbers)
    if not unit.gone and unit.group not in plan.participants.individuals:
        checks.failed.append(f"kế hoạch không xét khen thưởng cá nhân thuộc nhóm {plan.group_names.get(unit.group, unit.group)}")
    value = ranking_value(plan.ranking.basis, unit, person)
    return Candidate(NomineeKind.individual, person.name, unit, position, *_frozen(checks), value=value, person=person.facts)


def _frozen(checks: _Checks) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    return tuple(dict.fromkeys(checks.passed)), tuple(dict.fromkeys(checks.failed)), tuple(dict.fromkeys(checks.notes))
