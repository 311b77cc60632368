"""The fault suite (`make faults`): each scenario set up on this machine and measured, on SQLite and PostgreSQL.

Prints a table, then one JSON line: {"scenarios", "lost", "duplicated", "duplicated_bound", "stale_sent",
"bad_inputs", "clean_errors", "tracebacks", "hangs"}. Exits 1 if any scenario failed its promise.
Usage: python -m faults.run [--only NAME,...] [--db sqlite,postgresql]
"""

import argparse
import json
import logging
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from faults import cycle, inputs, scheduler, sending  # noqa: E402
from faults.harness import Outcome, Workspace, workspace  # noqa: E402

Scenario = Callable[[Workspace, Outcome], None]
DATABASES = ("sqlite", "postgresql")
SCENARIOS: list[tuple[str, Scenario, tuple[str, ...]]] = [
    ("kill -9 giữa lô gửi", sending.killed_mid_batch, DATABASES),
    ("tạm dừng quá thời hạn nhận việc", sending.paused_past_claim_timeout, DATABASES),
    ("hai tiến trình gửi cùng lúc", sending.two_senders_at_once, DATABASES),
    ("SMTP ngừng lâu hơn mọi hạn thử lại", sending.smtp_down_past_any_budget, DATABASES),
    ("SMTP đòi đăng nhập, sai mật khẩu", sending.smtp_asks_for_a_login, DATABASES),
    ("cắt kết nối CSDL giữa lô gửi", sending.database_cut_mid_batch, ("postgresql",)),
    ("Zalo: 503 và token bị thu hồi", sending.zalo_token_faults, DATABASES),
    ("kế hoạch lỗi cạnh kế hoạch hợp lệ", cycle.broken_plans_beside_a_valid_one, DATABASES),
    ("chèn công thức và mã qua tên", cycle.injection_through_names, DATABASES),
    ("tin không còn đúng thì không gửi", cycle.stale_messages, DATABASES),
    ("bộ lập lịch nhúng bị kill giữa lượt", scheduler.killed_mid_run, DATABASES),
    ("đầu vào sai", inputs.bad_inputs, DATABASES),
]
TOTALS = ("lost", "duplicated", "duplicated_bound", "stale_sent", "bad_inputs", "clean_errors", "tracebacks", "hangs")


def run_one(name: str, scenario: Scenario, database: str) -> Outcome:
    outcome = Outcome(name, database)
    started = time.monotonic()
    try:
        with workspace(database, scenario.__name__) as space:
            scenario(space, outcome)
    except Exception:  # noqa: BLE001  (a scenario that breaks is reported, and the others still run)
        outcome.check(False, "the scenario itself failed: " + traceback.format_exc(limit=3).strip().splitlines()[-1])
    outcome.seconds = time.monotonic() - started
    return outcome


def table(outcomes: list[Outcome]) -> str:
    head = f"{'kịch bản':38} {'CSDL':10} {'kết quả':8} {'mất':>4} {'lặp':>4} {'≤ dở':>5} {'cũ':>3} {'đầu vào':>8} {'giây':>6}"
    lines = [head, "-" * len(head)]
    for o in outcomes:
        inputs_col = f"{o.clean_errors}/{o.bad_inputs}" if o.bad_inputs else ""
        lines.append(
            f"{o.scenario:38} {o.database:10} {'đạt' if o.ok else 'KHÔNG':8} {o.lost:>4} {o.duplicated:>4} "
            f"{o.duplicated_bound:>5} {o.stale_sent:>3} {inputs_col:>8} {o.seconds:>6.1f}"
        )
        lines += [f"    · {note}" for note in o.notes]
    return "\n".join(lines)


def main() -> int:
    logging.getLogger("mail.log").setLevel(logging.ERROR)  # the SMTP sink's own notices (aiosmtpd)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="tên hàm kịch bản, cách nhau bởi dấu phẩy (ví dụ killed_mid_batch)")
    parser.add_argument("--db", default=",".join(DATABASES), help="sqlite,postgresql")
    args = parser.parse_args()
    wanted = set(args.only.split(",")) if args.only else None
    databases = args.db.split(",")
    outcomes = []
    for name, scenario, on in SCENARIOS:
        if wanted and scenario.__name__ not in wanted:
            continue
        for database in (d for d in databases if d in on):
            outcome = run_one(name, scenario, database)
            print(f"{'đạt  ' if outcome.ok else 'KHÔNG'} {name} [{database}] {outcome.seconds:.1f} s", file=sys.stderr, flush=True)
            outcomes.append(outcome)
    print(table(outcomes))
    summary = {"scenarios": len(outcomes), **{key: sum(getattr(o, key) for o in outcomes) for key in TOTALS}}
    print(json.dumps(summary))
    return 0 if all(o.ok for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
