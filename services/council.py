"""Recording a decision of the emulation and commendation council: checked against the cycle's last appraisal,
added to the audit trail, and the appraisal redone as of the same instant so that the final list follows."""

from dataclasses import replace
from datetime import datetime

from sqlmodel import Session

from models.queries.appraisal import appraise_cycle, evaluate, last_run
from models.queries.council import save_decision
from thidua.appraisal.council import decision_errors, parse_ref, tie_of
from thidua.appraisal.model import Action, AppraisalResult, Decision
from thidua.errors import InputError, InvalidInput
from thidua.plan.schema import NomineeKind, Plan


def record_decision(
    session: Session, plan: Plan, year: int, action: Action, form: str, nominees: list[str], reason: str, by: str,
    at: datetime, source: str = "(dòng lệnh)",
) -> AppraisalResult:  # fmt: skip
    """Record the council's `action` on `nominees` (`u1` or `u1:Họ Tên`) for the award `form`, and return the
    appraisal with it applied. Raises InvalidInput (naming `source`) and writes nothing when it cannot apply."""
    run = last_run(session, plan.code, year)
    if run is None:
        raise InvalidInput([InputError(source, "--plan/--year", f"{plan.code} {year}",
                                       "chu kỳ chưa được thẩm định: chạy thidua appraise trước khi ghi quyết định của Hội đồng")])  # fmt: skip
    refs = tuple(parse_ref(text) for text in nominees)
    kind = NomineeKind.individual if any(r.name for r in refs) else NomineeKind.collective
    decision = Decision(action, form, kind, refs, reason.strip(), by.strip(), at)
    result = evaluate(session, plan, year, run.as_of)
    problems = decision_errors(result, decision)
    if not decision.by:
        problems.append("phải ghi người ghi nhận quyết định (--by)")
    if problems:
        value = ", ".join(nominees)
        raise InvalidInput([InputError(source, f"{action.value} {form}", value, problem) for problem in problems])
    if action is Action.choose:
        decision = replace(decision, tie=tie_of(result, decision))
    save_decision(session, plan.code, year, decision)
    return appraise_cycle(session, plan, year, run.as_of)
