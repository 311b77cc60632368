"""SQLModel tables of thidua; importing this package registers all of them in the metadata."""

from models.cycle import (
    CalendarOverride,
    Cycle,
    CycleEvent,
    DocumentFile,
    DocumentStatus,
    Nominee,
    Registrant,
    Registration,
    Submission,
    SubmittedDocument,
)
from models.outbox import OutboxMessage, OutboxStatus
from models.portal import AuditEntry, BadTokenHit, UnitLink
from models.scores import AwardProposal, Score
from models.units import Unit
from models.zalo import ZaloToken

__all__ = [
    "AuditEntry",
    "AwardProposal",
    "BadTokenHit",
    "CalendarOverride",
    "Cycle",
    "CycleEvent",
    "DocumentFile",
    "DocumentStatus",
    "Nominee",
    "OutboxMessage",
    "OutboxStatus",
    "Registrant",
    "Registration",
    "Score",
    "Submission",
    "SubmittedDocument",
    "Unit",
    "UnitLink",
    "ZaloToken",
]
