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
from thidua.words import NOMINEE

OPTION = {Action.choose: "--choose", Action.add: "--add", Action.withdraw: "--withdraw"}
"""The option that names the nominees of each action: what a refusal names (the Prefect form maps it to its field)."""


def _refusals(result: AppraisalResult, decision: Decision, source: str, nominees: list[str]) -> list[InputError]:
    """What stops `decision` from being recorded, each problem under the option it is about (--award, --reason,
    --by, or the action's own option for its nominees)."""
    problems = []
    if result.plan.award(decision.form, decision.kind, result.year) is None:
        problems.append(InputError(source, "--award", decision.form, f"kế hoạch không có hình thức {decision.form} cho {NOMINEE[decision.kind]}"))
    if not decision.reason:
        problems.append(InputError(source, "--reason", decision.reason, "phải ghi lý do của Hội đồng"))
    if not decision.by:
        problems.append(InputError(source, "--by", decision.by, "phải ghi người ghi nhận quyết định"))
    if problems:
        return problems
    value = ", ".join(nominees)
    return [InputError(source, OPTION[decision.action], value, problem) for problem in decision_errors(result, decision)]


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
    problems = _refusals(result, decision, source, nominees)
    if problems:
        raise InvalidInput(problems)
    if action is Action.choose:
        decision = replace(decision, tie=tie_of(result, decision))
    save_decision(session, plan.code, year, decision)
    return appraise_cycle(session, plan, year, run.as_of)
