"""The appraisal against the database: read a cycle's units, facts and dossiers; save the proposals."""

from datetime import date, datetime, timedelta

from sqlmodel import Session, col, delete, select

from models import AwardProposal, Score, Unit
from thidua.appraisal.engine import appraise
from thidua.appraisal.model import AppraisalResult, Deadline, Facts, UnitInput
from thidua.cycle import cycle_milestones
from thidua.dates import local_day
from thidua.dossiers import cycle_dossiers, dossier_state
from thidua.plan.schema import Discipline, NomineeKind, Plan
from thidua.words import ddmmyyyy

DEADLINE = "submission_deadline"


def _gone(unit: Unit, units: dict[str, Unit], day: date) -> str | None:
    """Why `unit` does not exist on `day`, in words; None if it does."""
    if unit.exists_on(day):
        return None
    if unit.valid_from and day < unit.valid_from:
        return f"đơn vị chưa thành lập vào ngày thẩm định (có hiệu lực từ {ddmmyyyy(unit.valid_from)})"
    assert unit.valid_to is not None
    since = ddmmyyyy(unit.valid_to + timedelta(days=1))
    if unit.merged_into:
        successor = units.get(unit.merged_into)
        name = f"{successor.name} ({successor.code})" if successor else unit.merged_into
        return f"đã sáp nhập vào {name} từ {since}; không xếp hạng riêng"
    return f"đơn vị không còn tồn tại từ {since}"


def cycle_deadline(session: Session, plan: Plan, year: int) -> Deadline:
    """The cycle's effective submission deadline with the administrator's dates and calendar changes."""
    milestone = cycle_milestones(session, plan, year).get(DEADLINE)
    if milestone is None:
        return Deadline(None, "kế hoạch không có mốc hạn nộp hồ sơ")
    return Deadline(milestone.date, milestone.rule)


def load_units(
    session: Session, plan: Plan, year: int, as_of: datetime, deadline: date | None, exists_on: date | None = None
) -> list[UnitInput]:
    """Every unit of the plan's directory with its facts, nominees and dossier state as of `as_of`.

    A unit counts as gone when it does not exist on `exists_on` (default: the day of `as_of`).
    """
    day = exists_on or local_day(as_of)
    units = {u.code: u for u in session.exec(select(Unit).where(Unit.plan == plan.code))}
    scores = {
        s.unit_code: s for s in session.exec(select(Score).where(Score.plan == plan.code, Score.year == year))
    }
    dossiers = cycle_dossiers(session, plan.code, year)
    inputs = []
    for unit in units.values():
        dossier, docs, nominees = dossiers.of(unit.code)
        score = scores.get(unit.code)
        facts = (
            Facts(score.par_index, score.initiatives_recognized, Discipline(score.discipline), score.excellent_group)
            if score
            else None
        )
        inputs.append(
            UnitInput(
                code=unit.code,
                name=unit.name,
                group=unit.group,
                gone=_gone(unit, units, day),
                facts=facts,
                collective_dossier=dossier_state(plan, dossier, docs, {NomineeKind.collective}, deadline, as_of),
                individual_dossier=dossier_state(plan, dossier, docs, {NomineeKind.individual}, deadline, as_of),
                individuals=tuple(n.name for n in nominees if n.kind == NomineeKind.individual),
            )
        )
    return inputs


def save_proposals(session: Session, result: AppraisalResult) -> list[AwardProposal]:
    """Replace the cycle's AwardProposal rows with the result's proposals (the caller's transaction)."""
    plan, year = result.plan.code, result.year
    session.exec(delete(AwardProposal).where(col(AwardProposal.plan) == plan, col(AwardProposal.year) == year))
    rows = [
        AwardProposal(
            plan=plan,
            year=year,
            form=line.award.form,
            nominee_kind=line.candidate.kind,
            nominee_name=line.candidate.name,
            unit_code=line.candidate.unit.code,
            rank=line.rank,
            tie=line.tie,
            reasons=list(line.reasons),
        )
        for line in result.proposals
    ]
    session.add_all(rows)
    session.flush()
    return rows


def appraise_cycle(session: Session, plan: Plan, year: int, as_of: datetime) -> AppraisalResult:
    """Appraise (plan, year) from the database as of `as_of` and save its proposals, replacing earlier ones."""
    deadline = cycle_deadline(session, plan, year)
    result = appraise(plan, year, as_of, deadline, load_units(session, plan, year, as_of, deadline.date))
    save_proposals(session, result)
    return result
