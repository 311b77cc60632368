"""Every file of an appraisal: the XLSX list, the tờ trình and, once the list is final, the quyết định and the
certificates."""

from pathlib import Path

from documents.award_decision import write_certificates, write_decisions
from documents.proposal_letter import write_proposal_docx
from documents.proposal_list import write_proposal_xlsx
from thidua.appraisal.model import AppraisalResult


def write_appraisal_files(result: AppraisalResult, out_dir: Path) -> list[Path]:
    """Write the files into `out_dir` and return their paths."""
    paths = [write_proposal_xlsx(result, out_dir), write_proposal_docx(result, out_dir), *write_decisions(result, out_dir)]
    certificates = write_certificates(result, out_dir)
    return paths + ([certificates] if certificates else [])

