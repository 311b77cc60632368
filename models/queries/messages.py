"""How many messages of a cycle are in each state, by channel (the plan overview)."""

from sqlmodel import Session, col, func, select

from models.outbox import OutboxMessage


def message_counts(session: Session, plan: str, year: int) -> dict[str, dict[str, int]]:
    """Channel → outbox status → number of messages of (plan, year)."""
    query = (
        select(OutboxMessage.channel, OutboxMessage.status, func.count())
        .where(col(OutboxMessage.plan) == plan, col(OutboxMessage.year) == year)
        .group_by(col(OutboxMessage.channel), col(OutboxMessage.status))
    )
    counts: dict[str, dict[str, int]] = {}
    for channel, status, count in session.exec(query):
        counts.setdefault(channel, {})[str(status)] = count
    return counts
