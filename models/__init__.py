"""SQLModel tables of thidua; importing this package registers all of them in the metadata."""

from models.council import AppraisalRun, CouncilDecision
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
from models.scores import AwardProposal, IndividualRecord, Score
from models.units import Unit
from models.zalo import ZaloToken

__all__ = [
    "AppraisalRun",
    "AuditEntry",
    "AwardProposal",
    "BadTokenHit",
    "CalendarOverride",
    "CouncilDecision",
    "Cycle",
    "CycleEvent",
    "DocumentFile",
    "DocumentStatus",
    "IndividualRecord",
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
