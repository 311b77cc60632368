"""The appraisal against the database: a cycle's units, facts, people's records, dossiers and the council's
decisions in; the proposals and the instant of the appraisal saved."""

from datetime import date, datetime

from sqlmodel import Session, col, delete, select

from models import AppraisalRun, AwardProposal, IndividualRecord, Score
from models.queries.council import load_decisions
from models.queries.cycle import load_dates
from models.queries.submissions import SubmissionRecord, cycle_submissions, registrations
from models.queries.units import directory
from models.types import utcnow
from thidua.appraisal.engine import appraise
from thidua.appraisal.model import AppraisalResult, Deadline, Facts, Person, PersonFacts, UnitInput, name_key
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
    people = people_records(session, plan.code, year)
    inputs = []
    for unit in units.values():
        occurrence = f"{dossier.code}/{dossier.due[0]}"
        record = submissions.get((occurrence, unit.code), SubmissionRecord())
        score = scores.get(unit.code)
        facts = (
            Facts(score.par_index, score.initiatives_recognized, Discipline(score.discipline), score.excellent_group,
                  score.council_score, score.council_rank)
            if score
            else None
        )  # fmt: skip
        named = [name for kind, name in record.nominees if kind == NomineeKind.individual]
        inputs.append(
            UnitInput(
                code=unit.code,
                name=unit.name,
                group=unit.group,
                gone=gone_reason(unit, units, day),
                facts=facts,
                collective_dossier=delivery_state(dossier, record.documents, {NomineeKind.collective}, deadline, as_of),
                individual_dossier=delivery_state(dossier, record.documents, {NomineeKind.individual}, deadline, as_of),
                individuals=tuple(Person(name, people.get((unit.code, name_key(name)))) for name in named),
                registered=unit.code in registered and registered[unit.code][0] <= as_of,
                registrants=tuple(name for name, _ in registered.get(unit.code, (as_of, []))[1]),
            )
        )
    return inputs


def people_records(session: Session, plan: str, year: int) -> dict[tuple[str, str], PersonFacts]:
    """The people's own records of (plan, year) by (unit code, name as compared)."""
    rows = session.exec(select(IndividualRecord).where(IndividualRecord.plan == plan, IndividualRecord.year == year))
    return {
        (r.unit_code, r.name_key): PersonFacts(
            r.position, r.initiatives_recognized, Discipline(r.discipline), r.council_score, r.council_rank
        )
        for r in rows
    }


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
            outcome=line.outcome.value,
            reasons=list(line.reasons),
        )
        for line in result.proposals
    ]
    session.add_all(rows)
    session.flush()
    return rows


def evaluate(session: Session, plan: Plan, year: int, as_of: datetime) -> AppraisalResult:
    """The appraisal of (plan, year) from the database as of `as_of`, with the council's decisions; writes nothing."""
    deadline = cycle_deadline(session, plan, year)
    units = load_units(session, plan, year, as_of, deadline.date)
    return appraise(plan, year, as_of, deadline, units, load_decisions(session, plan.code, year))


def last_run(session: Session, plan: str, year: int) -> AppraisalRun | None:
    return session.exec(select(AppraisalRun).where(AppraisalRun.plan == plan, AppraisalRun.year == year)).first()


def last_appraisal(session: Session, plan: Plan, year: int, now: datetime) -> AppraisalResult:
    """The cycle's appraisal as of its last run (as of `now` if it was never run): what documents and reports show."""
    run = last_run(session, plan.code, year)
    return evaluate(session, plan, year, run.as_of if run else now)


def appraise_cycle(session: Session, plan: Plan, year: int, as_of: datetime) -> AppraisalResult:
    """Appraise (plan, year) as of `as_of`, save its proposals (replacing earlier ones) and the run's instant."""
    result = evaluate(session, plan, year, as_of)
    save_proposals(session, result)
    run = last_run(session, plan.code, year) or AppraisalRun(plan=plan.code, year=year, as_of=as_of)
    run.as_of, run.ran_at = as_of, utcnow()
    session.add(run)
    session.flush()
    return result
