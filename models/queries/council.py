"""The council's decisions in the database: recorded one by one (never changed), read back in order."""

from sqlmodel import Session, col, select

from models import CouncilDecision
from thidua.appraisal.council import parse_ref
from thidua.appraisal.model import Action, Decision
from thidua.plan.schema import NomineeKind


def _decision(row: CouncilDecision) -> Decision:
    return Decision(
        Action(row.action), row.form, NomineeKind(row.nominee_kind), tuple(map(parse_ref, row.nominees)), row.reason,
        row.decided_by, row.decided_at, tuple(map(parse_ref, row.tie)),
    )  # fmt: skip


def load_decisions(session: Session, plan: str, year: int) -> list[Decision]:
    """Every decision on (plan, year), oldest first: the audit trail."""
    query = (
        select(CouncilDecision)
        .where(CouncilDecision.plan == plan, CouncilDecision.year == year)
        .order_by(col(CouncilDecision.decided_at), col(CouncilDecision.id))
    )
    return [_decision(row) for row in session.exec(query)]


def save_decision(session: Session, plan: str, year: int, decision: Decision) -> None:
    """Add `decision` to the audit trail (the caller's transaction)."""
    session.add(
        CouncilDecision(
            plan=plan, year=year, action=decision.action.value, form=decision.form, nominee_kind=decision.kind.value,
            nominees=[str(r) for r in decision.nominees], tie=[str(r) for r in decision.tie], reason=decision.reason,
            decided_by=decision.by, decided_at=decision.at,
        )
    )  # fmt: skip
    session.flush()
