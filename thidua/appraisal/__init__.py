"""The standing agency's appraisal: dossier checks, eligibility, PAR INDEX ranking and awards within quotas.

`engine`, `eligibility`, `ranking` and `allocation` are pure; `store` reads and writes the database;
`export`, `workbook` and `letter` turn a result into JSON, tables, an XLSX file and a DOCX tờ trình.
"""

from thidua.appraisal.engine import appraise
from thidua.appraisal.model import AppraisalResult, AwardLine, Candidate, Deadline, Facts, Outcome, Tie, UnitInput
from thidua.appraisal.store import appraise_cycle, save_proposals

__all__ = [
    "AppraisalResult",
    "AwardLine",
    "Candidate",
    "Deadline",
    "Facts",
    "Outcome",
    "Tie",
    "UnitInput",
    "appraise",
    "appraise_cycle",
    "save_proposals",
]
