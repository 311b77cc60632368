"""The daily dispatch (`thidua tick`, Prefect's temporary server included) under faults: broken and pathological plan
files beside a valid plan, formula and markup injection through names, messages no longer true at send time."""

import re
import resource
import sqlite3
from datetime import datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

from openpyxl import load_workbook

from faults.harness import Outcome, Workspace, delivery_counts, mail_keys, outbox_rows, plan_text, unit_rows
from models import OutboxMessage
from notifications.devservers.smtp_sink import SmtpSink
from thidua.cycle.restate import CHASE
from thidua.dates import TZ

DAY = "2025-11-17"  # 14 days before the Lộc Ninh plan's 01/12/2025 deadlines: the launch and the first reminders
DOSSIER_DOCS = ("to_trinh", "bien_ban", "bao_cao_thanh_tich")
FORMULA = '=HYPERLINK("http://evil.example/x","Bấm vào")'
MARKUP = ("<script>alert(1)</script>", "[Bấm vào](javascript:alert(1))", "<img src=x onerror=alert(1)>", "**đậm** _nghiêng_")
SPOOF = "=?utf-8?b?QWRtaW4gSVQ=?="  # an encoded word: a mail client would show "Admin IT"


def _plan_with_units(space: Workspace, outcome: Outcome, code: str, units: int, names: dict[int, str] | None = None) -> None:
    (space.plans / f"{code}.yaml").write_text(plan_text(code), encoding="utf-8")
    directory = space.folder / f"{code}.csv"
    directory.write_text(unit_rows(units, names=names), encoding="utf-8")
    run = outcome.count(space.thidua("units", "import", str(directory), "--plan", code))
    outcome.check(run.code == 0, f"units import {code}: exit {run.code} {run.stderr[-300:]!r}")


def _tick(space: Workspace, outcome: Outcome, day: str, home: str = "prefect") -> tuple[int | None, str]:
    run = outcome.count(space.thidua("tick", "--as-of", day, PREFECT_HOME=str(space.folder / home)))
    return run.code, run.stderr


def _sink(space: Workspace) -> SmtpSink:
    sink = SmtpSink().start()
    space.env["THIDUA_SMTP_PORT"] = str(sink.port)
    return sink


def _bad_plan_files(plans: Path) -> dict[str, str]:
    """Pathological files beside the valid plans: file name → what the error must say."""
    laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    laughs += [f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
    (plans / "bomb.yaml").write_text("\n".join(laughs) + "\n", encoding="utf-8")
    (plans / "deep.yaml").write_text("x: " + "[" * 5000 + "]" * 5000, encoding="utf-8")
    (plans / "huge-numbers.yaml").write_text(plan_text("faults-huge", **{"days: -10": "days: -1000000000"}), encoding="utf-8")
    with (plans / "big.yaml").open("wb") as file:
        file.truncate(72_000_000)
    return {"bomb.yaml": "billion laughs", "deep.yaml": "lồng nhau quá 32 mức", "huge-numbers.yaml": "phải ≥ -366", "big.yaml": "lớn quá 1 MB"}


def broken_plans_beside_a_valid_one(space: Workspace, outcome: Outcome) -> None:
    """A YAML bomb, nesting 5,000 deep, an offset of −10⁹ days, a 72 MB file and a plan whose stored data makes its
    dates overflow, beside a valid plan: the valid plan's messages go out, each fault is named, the day ends Failed."""
    from models.cycle import Cycle
    from models.db import session_scope

    _plan_with_units(space, outcome, "faults-valid", 30)
    _plan_with_units(space, outcome, "faults-broken-data", 30)
    with session_scope(space.engine) as session:  # a hand-edited date: 10 days before it is before year 1
        session.add(Cycle(plan="faults-broken-data", year=2025, admin_dates={"par_announcement": "0001-01-05"}))
    expected = _bad_plan_files(space.plans)
    sink = _sink(space)
    try:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        code, stderr = _tick(space, outcome, DAY)
        peak_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
        outcome.check(code == 1, f"tick: exit {code}, expected 1 (the day ends Failed)")
        for name, words in expected.items():
            outcome.check(name in stderr and words in stderr, f"{name} not reported with “{words}”")
        outcome.check("faults-broken-data" in stderr and "OverflowError" in stderr, "the plan whose dates overflow is not reported")
        rows = [row for row in outbox_rows(space.engine) if row.kind != "admin_alert"]  # alerts go to every plan's agency
        valid = [row for row in rows if row.plan == "faults-valid"]
        sent = sum(row.status == "sent" for row in valid)
        unsent = [row.id for row in valid if row.status != "sent" and not (row.status == "expired" and row.expired_reason)]
        outcome.check(sent > 0 and not unsent, f"valid plan: {sent} sent, rows left unsent: {unsent[:5]}")
        outcome.check(not [row for row in rows if row.plan == "faults-broken-data"], "the broken plan's units were sent messages")
        outcome.lost, outcome.duplicated = delivery_counts(space.engine, mail_keys(sink.message_ids()))
        outcome.check(outcome.lost == 0 and outcome.duplicated == 0, f"{outcome.lost} lost, {outcome.duplicated} repeats")
        outcome.note(f"kế hoạch hợp lệ gửi {sent} tin nhắc hạn; 5 lỗi được nêu tên; bộ nhớ tối đa của một tiến trình con {peak_mb:.0f} MB")
    finally:
        sink.stop()


_UNESCAPED = re.compile(r"(?<!\\)<(script|img)|(?<!\\)\]\(javascript|(?<!\\)\*\*đậm")


def _artifacts(home: Path) -> list[str]:
    """The data of every artifact Prefect's temporary server stored."""
    with sqlite3.connect(home / "prefect.db") as db:
        return [str(row[0]) for row in db.execute("SELECT data FROM artifact")]


def _check_mail(outcome: Outcome, sink: SmtpSink) -> None:
    mails = [BytesParser(policy=policy.default).parsebytes(m.data) for m in sink.messages]
    outcome.check(bool(mails), "no mail was sent")
    shown = {mail["To"].addresses[0].display_name for mail in mails}
    outcome.check(SPOOF in shown, f"the encoded-word display name did not arrive as written: {sorted(shown)[:3]}")
    outcome.check(not any(name == "Admin IT" for name in shown), "a display name was decoded as other text")


def injection_through_names(space: Workspace, outcome: Outcome) -> None:
    """Units named like a spreadsheet formula, HTML, a javascript: link and Markdown; a focal person named like an
    encoded word: the XLSX holds no formula, Prefect's artifacts no live markup, mail headers show the name as written."""
    names = {0: FORMULA, **{i + 1: name for i, name in enumerate(MARKUP)}, 5: SPOOF}
    _plan_with_units(space, outcome, "faults-inject", 8, names)
    with space.engine.begin() as conn:  # the focal person of unit 5 is named like an encoded word too
        from sqlalchemy import update

        from models.units import Unit

        conn.execute(update(Unit).where(Unit.code == "u00005").values(focal_name=SPOOF))
    scores = space.folder / "scores.csv"
    lines = ["unit_code,par_index,initiatives_recognized,discipline,excellent_group", *(f"u{i:05d},{99 - i},1,none,0" for i in range(8))]
    scores.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome.count(space.thidua("scores", "import", str(scores), "--plan", "faults-inject", "--year", "2025"))
    sink = _sink(space)
    try:
        _tick(space, outcome, DAY)
        _check_mail(outcome, sink)
    finally:
        sink.stop()
    artifacts = _artifacts(space.folder / "prefect")
    outcome.check(any("alert(1)" in data for data in artifacts), "no artifact shows the names (the check would prove nothing)")
    live = [match.group(0) for data in artifacts for match in _UNESCAPED.finditer(data)]
    outcome.check(not live, f"live markup in artifacts: {live[:3]}")
    out = space.folder / "out"
    run = outcome.count(space.thidua("appraise", "--plan", "faults-inject", "--year", "2025", "--as-of", "2025-12-20", "--out", str(out)))
    outcome.check(run.code == 0, f"appraise: exit {run.code} {run.stderr[-200:]!r}")
    cells = [c for path in out.glob("*.xlsx") for sheet in load_workbook(path).worksheets for row in sheet.iter_rows() for c in row]
    outcome.check(FORMULA in [c.value for c in cells], "the formula-like name is not in the workbook (the check would prove nothing)")
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    outcome.check(not formulas, f"formula cells in the proposal list: {formulas[:5]}")
    outcome.note(f"{len(artifacts)} artifact, {len(sink.messages)} thư, {len(cells)} ô XLSX kiểm tra; không có công thức, mã HTML hay liên kết sống")


def _stale(row: OutboxMessage, completed: dict[str, datetime]) -> bool:
    """A received message that was no longer true when sent: past its validity, or chasing a unit's dossier after
    the unit completed it."""
    if row.status == "expired" or (row.valid_until and row.sent_at and row.sent_at > row.valid_until):
        return True
    done = completed.get(row.unit_code)
    chases_dossier = row.kind in CHASE and row.milestone.startswith("ho_so_khen_thuong")
    return bool(done and chases_dossier and row.sent_at and row.sent_at > done)


def stale_messages(space: Workspace, outcome: Outcome) -> None:
    """Reminders written during an SMTP outage; a unit completes its dossier; SMTP comes back before and after the
    deadline: what is no longer true is kept as expired with the reason, never sent."""
    _plan_with_units(space, outcome, "faults-stale", 20)
    space.env["THIDUA_SMTP_PORT"] = "1"
    _tick(space, outcome, "2025-11-17")  # launch and 14-day reminders written, SMTP down
    docs = [arg for doc in DOSSIER_DOCS for arg in ("--doc", doc)]
    receive = space.thidua("dossier", "receive", "--plan", "faults-stale", "--year", "2025", "--unit", "u00000", *docs, "--at", "2025-11-18T09:00")
    outcome.check(outcome.count(receive).code == 0, f"dossier receive: {receive.stderr[-200:]!r}")
    sink = _sink(space)
    try:
        _tick(space, outcome, "2025-11-19")  # the outage is over: what is still true goes
        space.env["THIDUA_SMTP_PORT"] = "1"
        _tick(space, outcome, "2025-11-24")  # 7-day reminders written, SMTP down again past the deadline
        space.env["THIDUA_SMTP_PORT"] = str(sink.port)
        _tick(space, outcome, "2025-12-03")
        rows = {row.message_id: row for row in outbox_rows(space.engine)}
        received = [rows[key] for key in mail_keys(sink.message_ids()) if key in rows]
        outcome.stale_sent = sum(_stale(row, {"u00000": datetime(2025, 11, 18, 9, tzinfo=TZ)}) for row in received)
        expired = [row for row in rows.values() if row.status == "expired"]
        outcome.check(outcome.stale_sent == 0, f"{outcome.stale_sent} stale messages sent")
        outcome.check(len(expired) >= 20, f"only {len(expired)} rows expired")
        outcome.check(all(row.expired_reason for row in expired), "an expired row without its reason")
        outcome.lost, outcome.duplicated = delivery_counts(space.engine, mail_keys(sink.message_ids()))
        outcome.check(outcome.lost == 0 and outcome.duplicated == 0, f"{outcome.lost} lost, {outcome.duplicated} repeats")
        outcome.note(f"{len(received)} tin gửi, {len(expired)} tin hết hiệu lực giữ lại kèm lý do, 0 tin cũ được gửi")
    finally:
        sink.stop()
