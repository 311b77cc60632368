"""The appraisal against the database: a cycle's units, facts and dossiers in; the proposals saved."""

from datetime import date, datetime

from sqlmodel import Session, col, delete, select

from models import AwardProposal, Score
from models.queries.cycle import load_dates
from models.queries.submissions import SubmissionRecord, cycle_submissions, registrations
from models.queries.units import directory
from thidua.appraisal.engine import appraise
from thidua.appraisal.model import AppraisalResult, Deadline, Facts, UnitInput
from thidua.cycle.state import delivery_state
from thidua.dates import local_day
from thidua.directory import gone_reason
from thidua.plan.schema import Discipline, NomineeKind, Plan


def cycle_deadline(session: Session, plan: Plan, year: int) -> Deadline:
    """The deadline of the cycle's nomination dossier, with the administrator's dates and calendar changes."""
    dossier = load_dates(session, plan, year, date(year, 12, 31)).dossier
    if dossier is None:
        return Deadline(None, "kế hoạch không có hồ sơ đề nghị khen thưởng trong năm này")
    return Deadline(dossier.deadline, dossier.milestone.rule)


def load_units(
    session: Session, plan: Plan, year: int, as_of: datetime, deadline: date | None, exists_on: date | None = None
) -> list[UnitInput]:
    """Every unit of the plan's directory with its facts, nominees and dossier state as of `as_of`.

    A unit counts as gone when it does not exist on `exists_on` (default: the day of `as_of`).
    """
    day = exists_on or local_day(as_of)
    units = directory(session, plan.code)
    scores = {s.unit_code: s for s in session.exec(select(Score).where(Score.plan == plan.code, Score.year == year))}
    dossier = plan.dossier
    assert dossier is not None  # a plan with awards has one (checked when it is loaded)
    submissions = cycle_submissions(session, plan.code, year)
    registered = registrations(session, plan.code, year)
    inputs = []
    for unit in units.values():
        occurrence = f"{dossier.code}/{dossier.due[0]}"
        record = submissions.get((occurrence, unit.code), SubmissionRecord())
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
                gone=gone_reason(unit, units, day),
                facts=facts,
                collective_dossier=delivery_state(dossier, record.documents, {NomineeKind.collective}, deadline, as_of),
                individual_dossier=delivery_state(dossier, record.documents, {NomineeKind.individual}, deadline, as_of),
                individuals=tuple(name for kind, name in record.nominees if kind == NomineeKind.individual),
                registered=unit.code in registered and registered[unit.code][0] <= as_of,
                registrants=tuple(name for name, _ in registered.get(unit.code, (as_of, []))[1]),
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
