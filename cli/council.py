"""`thidua council decide` and `thidua council log`: the emulation and commendation council's decisions, recorded
with who, when and why, and the list that follows from them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.frame import Typer
from cli.options import COMMAND_LINE, PlanOption, YearOption, writable_folder
from thidua.words import ACTION, OUTCOME, local_time
from thidua.words import NOMINEE as KIND_WORDS

if TYPE_CHECKING:
    from sqlmodel import Session

    from thidua.appraisal.model import AppraisalResult, Tie
    from thidua.plan.schema import Plan

council_app = Typer(no_args_is_help=True, help="Hội đồng Thi đua - Khen thưởng: quyết định khi đồng hạng, bổ sung, rút đối tượng.")

Refs = Annotated[list[str], typer.Option(help="MÃ_ĐƠN_VỊ (tập thể) hoặc MÃ_ĐƠN_VỊ:Họ tên (cá nhân); lặp lại được.")]


def _print_final(result: AppraisalResult) -> None:
    from thidua.appraisal.counts import summary_lines

    for text in summary_lines(result)[1:]:
        typer.echo(text)
    for line in result.listed:
        typer.echo(f"  • {line.award.name}: {KIND_WORDS[line.candidate.kind]} {line.candidate.name} — {OUTCOME[line.outcome]}")


def _ask(tie: Tie) -> tuple[list[str], str] | None:
    """The nominees chosen at `tie` and the reason, asked on the terminal (again until the answer is valid);
    None to leave the tie for later."""
    typer.echo(f"{tie.award.name} — {tie.scope}: hạng {tie.rank}, {tie.seats} suất cho {len(tie.candidates)} đối tượng đồng hạng")
    for i, c in enumerate(tie.candidates, start=1):
        typer.echo(f"  {i}. {c.name} ({c.ref})")
    while True:
        picked = typer.prompt(f"Chọn {tie.seats} (số thứ tự, cách nhau bởi dấu phẩy; Enter để để sau)", default="", show_default=False)
        if not picked.strip():
            return None
        numbers = [part.strip() for part in picked.split(",")]
        if all(n.isdigit() and 1 <= int(n) <= len(tie.candidates) for n in numbers):
            break
        typer.echo(f"“{picked}”: chỉ ghi số thứ tự từ 1 đến {len(tie.candidates)}.", err=True)
    reason = typer.prompt("Lý do của Hội đồng")
    return [str(tie.candidates[int(n) - 1].ref) for n in numbers], reason


def _each_tie(session: Session, plan: Plan, year: int, by: str) -> AppraisalResult:
    """Ask at each open tie in turn, recording each answer; a decision can open a tie further on (the next in
    line for a later award), which is asked too. A tie left for later is not asked again."""
    from models.queries.appraisal import last_appraisal
    from services.council import record_decision
    from thidua.appraisal.model import Action

    result = last_appraisal(session, plan, year, datetime.now(UTC))
    later: set[tuple[str, str, frozenset[tuple[str, str]]]] = set()

    def key(tie: Tie) -> tuple[str, str, frozenset[tuple[str, str]]]:
        return tie.award.form, tie.award.nominee.value, frozenset(c.ref.key for c in tie.candidates)

    if not result.open_ties:
        typer.echo("Không có trường hợp đồng hạng nào chờ Hội đồng quyết định.")
    while pending := [t for t in result.open_ties if key(t) not in later]:
        tie = pending[0]
        answer = _ask(tie)
        if answer is None:
            later.add(key(tie))
        else:
            result = record_decision(session, plan, year, Action.choose, tie.award.form, answer[0], answer[1], by, datetime.now(UTC))
    return result


@council_app.command("decide")
def decide(
    plan: PlanOption,
    year: YearOption,
    by: Annotated[str, typer.Option("--by", help="Người ghi nhận quyết định (họ tên, chức vụ).")],
    award: Annotated[str | None, typer.Option("--award", help="Hình thức (mã trong kế hoạch), ví dụ giay_khen.")] = None,
    choose: Refs = [],  # noqa: B006
    add: Refs = [],  # noqa: B006
    withdraw: Refs = [],  # noqa: B006
    reason: Annotated[str, typer.Option("--reason", help="Lý do của Hội đồng.")] = "",
    out: Annotated[
        Path | None, typer.Option("--out", metavar="THƯ_MỤC", help="Ghi lại danh sách, tờ trình, quyết định và giấy khen vào thư mục này.")
    ] = None,
) -> None:
    """Ghi quyết định của Hội đồng: --choose khi đồng hạng, --add hoặc --withdraw một đối tượng (cùng --award và
    --reason); không có các tùy chọn này thì hỏi lần lượt từng trường hợp đồng hạng. Mỗi quyết định vào nhật ký."""
    from models.db import session_scope
    from services.council import OPTION, record_decision
    from services.plans import cycle_plan
    from thidua.appraisal.model import Action
    from thidua.errors import InputError, InvalidInput

    actions = [(Action.choose, choose), (Action.add, add), (Action.withdraw, withdraw)]
    given = [(action, refs) for action, refs in actions if refs]

    the_plan = cycle_plan(plan, year)
    if len(given) > 1 or (given and not award):
        raise InvalidInput([InputError(COMMAND_LINE, "--choose/--add/--withdraw", ", ".join(OPTION[a] for a, _ in given),
                                       "mỗi lần ghi một việc (--choose, --add hoặc --withdraw) kèm --award và --reason")])  # fmt: skip
    folder = writable_folder("--out", out) if out is not None else None
    with session_scope() as session:
        if given:
            [(what, refs)] = given
            result = record_decision(session, the_plan, year, what, award or "", refs, reason, by, datetime.now(UTC))
        else:
            result = _each_tie(session, the_plan, year, by)
    _print_final(result)
    if folder is not None:
        from documents.appraisal_files import write_appraisal_files

        for path in write_appraisal_files(result, folder):
            typer.echo(f"Đã ghi {path}")


@council_app.command("log")
def log(plan: PlanOption, year: YearOption) -> None:
    """Nhật ký quyết định của Hội đồng: ai ghi, lúc nào, việc gì, lý do."""
    from models.db import session_scope
    from models.queries.council import load_decisions
    from services.plans import cycle_plan

    cycle_plan(plan, year)
    with session_scope() as session:
        decisions = load_decisions(session, plan, year)
    if not decisions:
        typer.echo("Chưa có quyết định nào của Hội đồng.")
    for d in decisions:
        chosen = ", ".join(map(str, d.nominees)) + (f" (trong số {', '.join(map(str, d.tie))})" if d.tie else "")
        typer.echo(f"{local_time(d.at)} — {d.by}: {ACTION[d.action]} {d.form} ({KIND_WORDS[d.kind]}) {chosen} — lý do: {d.reason}")
