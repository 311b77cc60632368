"""Messages that are still true (issue 11, Deliver 3): checked again at send time, expired with the reason, or sent
with the facts of the day they go out."""

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from imports.plans import load_plan
from models import OutboxMessage, OutboxStatus
from notifications.channels.base import Delivery, DeliveryResult, Lease, Outgoing
from notifications.outbox import Restated, enqueue, send_due
from notifications.render import Renderer
from notifications.samples import sample_context
from thidua.calendar import WorkingCalendar
from thidua.channels import Person
from thidua.cycle.drafts import Draft
from thidua.cycle.restate import Written, restate
from thidua.cycle.state import CycleDates, CycleState, Received, cycle_state
from thidua.dates import TZ
from thidua.directory import Unit
from thidua.plan.milestones import milestones_for_year

PLAN = load_plan(Path("plans/loc-ninh-2024-2025.yaml"))
ALL_DOCS = ("to_trinh", "bien_ban", "bao_cao_thanh_tich")
DOSSIER = "ho_so_khen_thuong/submission_deadline"  # the occurrence the messages below are about


def unit(code: str, name: str) -> Unit:
    return Unit(code, name, "ubnd-xa", Person(f"Cán bộ {name}", email=f"{code}@x.vn"), Person(f"Thủ trưởng {name}", email=f"head-{code}@x.vn"))


def state_on(day: dt.date, complete: dict[str, dt.date]) -> CycleState:
    """Loc Ninh 2025 on `day`, with units a, b and c; those in `complete` handed in everything on that date."""
    cal = WorkingCalendar()
    dates = CycleDates(PLAN, 2025, day, cal, {m.kind: m for m in milestones_for_year(PLAN, 2025, cal)}, {})
    dossiers = {
        (DOSSIER, code): ([Received(kind, dt.datetime.combine(when, dt.time(9), TZ)) for kind in ALL_DOCS], ["collective"])
        for code, when in complete.items()
    }
    units = [unit("a", "UBND xã A"), unit("b", "UBND xã B"), unit("c", "UBND xã C")]
    return cycle_state(dates, units, dossiers, dt.datetime.combine(day, dt.time(23), TZ))


def reminder(code: str, step: str = "remind-7d") -> Written:
    return Written("reminder", code, DOSSIER, f"2025-12-01/{step}", "email")


def test_a_reminder_after_its_deadline_or_to_a_unit_that_completed_no_longer_holds() -> None:
    assert restate(state_on(dt.date(2025, 12, 2), {}), reminder("b")) == "hạn 01/12/2025 đã qua, không nhắc nữa"
    done = state_on(dt.date(2025, 11, 28), {"a": dt.date(2025, 11, 20)})
    assert restate(done, reminder("a")) == "đơn vị đã nộp đủ hồ sơ đề nghị khen thưởng ngày 20/11/2025"


def test_a_late_reminder_states_the_days_left_on_the_day_it_goes_out() -> None:
    draft = restate(state_on(dt.date(2025, 11, 28), {}), reminder("b"))  # the 7-day reminder, out 4 days late
    assert isinstance(draft, Draft) and draft.context.days_left == 3 and draft.recipient == "b@x.vn"


def test_an_escalation_goes_out_with_the_late_units_of_its_day() -> None:
    agency = Written("escalation_agency", "*", DOSSIER, "2025-12-01/escalate-3wd-standing_agency", "email")
    draft = restate(state_on(dt.date(2025, 12, 4), {"a": dt.date(2025, 12, 3)}), agency)
    assert isinstance(draft, Draft) and draft.context.late_units == ("UBND xã B", "UBND xã C")
    everyone = {code: dt.date(2025, 12, 3) for code in "abc"}
    assert restate(state_on(dt.date(2025, 12, 4), everyone), agency) == "mọi đơn vị đã nộp đủ hồ sơ đề nghị khen thưởng"
    head = Written("escalation_head", "a", DOSSIER, "2025-12-01/escalate-1wd-unit_head", "email")
    assert restate(state_on(dt.date(2025, 12, 4), everyone), head) == "đơn vị đã nộp đủ hồ sơ đề nghị khen thưởng ngày 03/12/2025"


def test_a_receipt_saying_something_is_missing_is_dropped_once_a_newer_receipt_changed_it() -> None:
    old = Written("dossier_incomplete", "a", DOSSIER, "receipt-missing-bien_ban-bao_cao_thanh_tich", "email")
    done = state_on(dt.date(2025, 11, 28), {"a": dt.date(2025, 11, 18)})
    assert restate(done, old) == "đơn vị đã nộp đủ hồ sơ đề nghị khen thưởng ngày 18/11/2025"
    assert restate(state_on(dt.date(2025, 11, 28), {}), old) == "đã có xác nhận mới hơn về việc phải nộp của đơn vị"
    current = Written("dossier_incomplete", "a", DOSSIER, "receipt-missing-" + "-".join(ALL_DOCS), "email")
    assert restate(state_on(dt.date(2025, 11, 28), {}), current) is None  # still what is missing: sent as written


class Recorder:
    name = "email"

    def __init__(self) -> None:
        self.sent: list[Outgoing] = []

    async def deliver(self, messages: Sequence[Outgoing], lease: Lease) -> AsyncIterator[DeliveryResult]:
        for message in messages:
            assert await lease.begin(message)
            self.sent.append(message)
            await asyncio.sleep(0)
            yield DeliveryResult(message.id, Delivery.sent)


def write(engine: Engine) -> None:
    items = [Draft("p", 2025, f"u{i}", "submission", "d-3", "email", f"u{i}@x.vn", sample_context(unit_code=f"u{i}")) for i in range(3)]
    with Session(engine) as session:
        enqueue(session, items, Renderer(), now=dt.datetime(2025, 11, 28, 1, tzinfo=dt.UTC))
        session.commit()


def rows(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_reminder_still_waiting_after_its_deadline_is_kept_expired_and_not_sent(engine: Engine) -> None:
    write(engine)
    assert {r.valid_until for r in rows(engine)} == {dt.datetime(2025, 12, 1, 23, 59, 59, 999999, tzinfo=TZ)}
    channel = Recorder()
    report = send_due(engine, {"email": channel}, now=dt.datetime(2025, 12, 2, 1, tzinfo=dt.UTC))  # the outage ended on 02/12
    assert channel.sent == [] and report.expired == 3 and report.sent == {}
    assert {(r.status, r.expired_reason) for r in rows(engine)} == {(OutboxStatus.expired, "hết hiệu lực: hạn Thứ Hai, 01/12/2025 đã qua, không gửi nữa")}


def test_the_callers_check_expires_or_rewrites_each_message_just_before_it_goes(engine: Engine) -> None:
    write(engine)
    first, second, _ = rows(engine)
    new_text = Renderer().render(sample_context(unit_code="u1", days_left=1))

    def check(claimed: Sequence[object], now: dt.datetime) -> dict[int, Restated]:
        assert now.date() == dt.date(2025, 11, 30)
        return {first.id: Restated(expired="đơn vị đã nộp đủ hồ sơ"), second.id: Restated(rendered=new_text)}

    channel = Recorder()
    report = send_due(engine, {"email": channel}, now=dt.datetime(2025, 11, 30, 1, tzinfo=dt.UTC), still_true=check)
    assert report.expired == 1 and report.sent == {"email": 2}
    by_id = {m.id: m for m in channel.sent}
    assert first.id not in by_id and by_id[second.id].subject == new_text.subject and "còn 1 ngày" in new_text.subject
    stored = {r.id: r for r in rows(engine)}
    assert stored[first.id].status == OutboxStatus.expired and stored[first.id].expired_reason == "đơn vị đã nộp đủ hồ sơ"
    assert stored[second.id].body_text == new_text.text and stored[second.id].status == OutboxStatus.sent


def test_a_message_that_cannot_be_checked_waits_with_the_reason_and_the_others_go(engine: Engine) -> None:
    write(engine)
    first, second, third = rows(engine)
    why = "chưa gửi: không kiểm tra được tin còn đúng không vì kế hoạch p tính lỗi (OverflowError: date value out of range)"
    channel = Recorder()
    now = dt.datetime(2025, 11, 30, 1, tzinfo=dt.UTC)
    report = send_due(engine, {"email": channel}, now=now, still_true=lambda claimed, now: {first.id: Restated(held=why)})
    assert sorted(m.id for m in channel.sent) == [second.id, third.id] and report.sent == {"email": 2}
    assert report.errors == [f"#{first.id} email → u0@x.vn (u0): {why}"]  # the administrator is told
    held = rows(engine)[0]
    assert (held.status, held.last_error, held.claimed_by) == (OutboxStatus.pending, why, None)
    assert held.next_attempt_at > now
    later = send_due(engine, {"email": channel}, now=now + dt.timedelta(hours=1))  # the plan is fixed: it goes
    assert later.sent == {"email": 1} and [m.id for m in channel.sent][-1] == first.id


def test_a_plan_that_fails_at_send_time_holds_only_its_own_messages(sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from services import freshness

    def load_state(session: object, plan: object, year: int, day: dt.date) -> CycleState:
        if plan.code == "dong-thap-2021-2025":
            raise OverflowError("date value out of range")
        return state_on(dt.date(2025, 11, 28), {"a": dt.date(2025, 11, 20)})

    monkeypatch.setattr(freshness, "load_state", load_state)
    fields = {"milestone": DOSSIER, "step": "2025-12-01/remind-7d", "channel": "email", "subject": "", "body_text": ""}
    claimed = [
        SimpleNamespace(id=1, plan="dong-thap-2021-2025", year=2025, kind="reminder", unit_code="a", **fields),
        SimpleNamespace(id=2, plan="loc-ninh-2024-2025", year=2025, kind="reminder", unit_code="a", **fields),
    ]
    verdicts = freshness.still_true(sqlite_engine)(claimed, dt.datetime(2025, 11, 28, 1, tzinfo=dt.UTC))  # type: ignore[arg-type]
    assert verdicts[1].held == (
        "chưa gửi: không kiểm tra được tin còn đúng không vì kế hoạch dong-thap-2021-2025 tính lỗi "
        "(OverflowError: date value out of range); gửi lại khi sửa xong"
    )
    assert verdicts[2].expired == "đơn vị đã nộp đủ hồ sơ đề nghị khen thưởng ngày 20/11/2025"  # the other plan is still checked
