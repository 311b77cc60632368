"""Who meets the plan's standards: each criterion checked on a unit's facts and dossier, with its reason."""

from collections.abc import Sequence

from thidua.appraisal.model import Candidate, Deadline, Facts, UnitInput
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
    Registered,
)
from thidua.words import DISCIPLINE as DISCIPLINE_WORDS
from thidua.words import long_date, percent

DISCIPLINE_ORDER = list(Discipline)
NO_FACTS = "chưa có số liệu Chỉ số CCHC"


class _Checks:
    """Passed and failed checks and notes, collected in the plan's order of criteria."""

    def __init__(self) -> None:
        self.passed: list[str] = []
        self.failed: list[str] = []
        self.notes: list[str] = []

    def check(self, ok: bool, if_ok: str, if_not: str) -> None:
        (self.passed if ok else self.failed).append(if_ok if ok else if_not)


def _facts_check(checks: _Checks, criterion: Criterion, facts: Facts) -> None:
    if isinstance(criterion, ParIndexMin):
        checks.check(
            facts.par_index >= criterion.value,
            f"Chỉ số CCHC {percent(facts.par_index)}, đạt mức từ {percent(criterion.value)} trở lên",
            f"Chỉ số CCHC {percent(facts.par_index)}, dưới mức {percent(criterion.value)}",
        )
    elif isinstance(criterion, InitiativesMin):
        checks.check(
            facts.initiatives >= criterion.value,
            f"có {facts.initiatives} sáng kiến được công nhận (yêu cầu từ {criterion.value})",
            f"có {facts.initiatives} sáng kiến được công nhận, chưa đủ {criterion.value}",
        )
    elif isinstance(criterion, NoDisciplineFrom):
        level = DISCIPLINE_WORDS[criterion.value]
        checks.check(
            DISCIPLINE_ORDER.index(facts.discipline) < DISCIPLINE_ORDER.index(criterion.value),
            f"không có lãnh đạo chủ chốt bị kỷ luật từ mức {level} trở lên",
            f"lãnh đạo chủ chốt bị kỷ luật {DISCIPLINE_WORDS[facts.discipline]} (từ mức {level} trở lên không được xét)",
        )


def _dossier_words(plan: Plan, state: DeliveryState) -> str:
    if state.status == "not_started":
        return "chưa nộp hồ sơ đề nghị khen thưởng"
    names = {d.code: d.name for d in plan.dossier.document_list} if plan.dossier else {}
    return "hồ sơ còn thiếu: " + "; ".join(names.get(code, code) for code in state.missing)


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


def _assess(
    plan: Plan, criteria: Sequence[Criterion], unit: UnitInput, state: DeliveryState, deadline: Deadline, registered: bool
) -> _Checks:
    checks = _Checks()
    if unit.gone:
        checks.failed.append(unit.gone)
        return checks
    if unit.facts is None:
        checks.failed.append(NO_FACTS)
    for criterion in criteria:
        if isinstance(criterion, DossierComplete):
            checks.check(state.complete, "hồ sơ đầy đủ", _dossier_words(plan, state))
        elif isinstance(criterion, OnTime):
            _on_time_check(checks, plan, state, deadline)
        elif isinstance(criterion, Registered):
            _registration_check(checks, registered)
        elif unit.facts is not None:
            _facts_check(checks, criterion, unit.facts)
    return checks


def assess_collective(plan: Plan, unit: UnitInput, deadline: Deadline) -> Candidate:
    """The unit as a collective candidate, checked against `eligibility.collective`."""
    checks = _assess(plan, plan.eligibility.collective, unit, unit.collective_dossier, deadline, unit.registered)
    if not unit.gone and unit.group not in plan.participants.collectives:
        checks.failed.append(f"kế hoạch không xét khen thưởng tập thể thuộc nhóm {plan.group_names.get(unit.group, unit.group)}")
    return Candidate(NomineeKind.collective, unit.name, unit, 0, *_frozen(checks))


def assess_individual(plan: Plan, unit: UnitInput, name: str, position: int, deadline: Deadline) -> Candidate:
    """An individual nominee of `unit`, checked against `eligibility.individual` on the unit's facts."""
    checks = _assess(plan, plan.eligibility.individual, unit, unit.individual_dossier, deadline, name in unit.registrants)
    if not unit.gone and unit.group not in plan.participants.individuals:
        checks.failed.append(f"kế hoạch không xét khen thưởng cá nhân thuộc nhóm {plan.group_names.get(unit.group, unit.group)}")
    return Candidate(NomineeKind.individual, name, unit, position, *_frozen(checks))


def _frozen(checks: _Checks) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    return tuple(checks.passed), tuple(checks.failed), tuple(checks.notes)
