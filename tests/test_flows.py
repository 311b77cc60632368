"""The annual cycle as Prefect flows, replayed day by day against a fixed unit set (one Prefect harness)."""

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from test_decide import DAYS, EXPECTED, PLAN, RECEIPTS, UNITS

from config import get_settings
from models import OutboxMessage, Unit
from models.queries.cycle import set_admin_date
from notifications.channels.zalo import bootstrap_token
from notifications.devservers.smtp_sink import SmtpSink
from notifications.devservers.zalo_server import ZaloServer
from services.receipts import record_receipt
from thidua.dates import TZ

pytestmark = pytest.mark.slow  # a Prefect server: what only Prefect can show
DOSSIER = "ho_so_khen_thuong/submission_deadline"


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[SmtpSink, ZaloServer]]:
    smtp, zalo = SmtpSink().start(), ZaloServer().start()
    yield smtp, zalo
    smtp.stop()
    zalo.stop()


@pytest.fixture
def cycle_db(
    request: pytest.FixtureRequest, point_app: Callable[..., None], servers: tuple[SmtpSink, ZaloServer], prefect_harness: None
) -> Engine:
    """Point the application at an empty test database and at the local SMTP and Zalo servers."""
    engine: Engine = request.getfixturevalue(getattr(request, "param", "sqlite_engine"))
    smtp, zalo = servers
    point_app(
        engine,
        THIDUA_SMTP_PORT=str(smtp.port),
        THIDUA_ZALO_OAUTH_URL=zalo.url,
        THIDUA_ZALO_OPENAPI_URL=zalo.url,
        THIDUA_ZALO_BUSINESS_URL=zalo.url,
        THIDUA_ZALO_APP_SECRET=zalo.app_secret,
        THIDUA_ZALO_ZNS_TEMPLATE_ID="1001",
    )
    with Session(engine) as session:
        for u in UNITS:  # the year of tests/test_decide.py, through Prefect, the database and the servers
            session.add(
                Unit(
                    plan=PLAN.code, code=u.code, name=u.name, group=u.group, focal_name=u.focal.name,
                    focal_email=u.focal.email, focal_zalo_user_id=u.focal.zalo_user_id, focal_phone=u.focal.phone,
                    head_name=u.head.name, head_email=u.head.email, valid_to=u.valid_to, merged_into=u.merged_into,
                )
            )
        session.commit()
    access, refresh = zalo.issue_tokens()
    bootstrap_token(engine, get_settings(), access, refresh, 90000)
    return engine


def receive_due(engine: Engine, day: date) -> None:
    with Session(engine) as session:
        for unit, receipts in RECEIPTS.items():
            for when, docs in receipts:
                if when == day:
                    record_receipt(session, PLAN, 2025, unit, list(docs), datetime(day.year, day.month, day.day, 9, tzinfo=TZ))
        session.commit()


def replay(engine: Engine, days: list[date]) -> None:
    from flows.daily import daily

    for day in days:
        receive_due(engine, day)
        daily(as_of=day)


def sent(engine: Engine) -> Counter[tuple[str, str, str]]:
    with Session(engine) as session:
        rows = session.exec(select(OutboxMessage)).all()
    about = ("launch", f"{DOSSIER}")  # the launch notice and the nomination dossier (the plan also chases a report)
    return Counter((r.unit_code, r.step.rpartition("/")[2], r.channel) for r in rows if r.milestone in about)


def per_unit_steps(engine: Engine) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for unit, step, _ in sent(engine):
        out.setdefault(unit, set()).add(step)
    return out


def test_replay_2025_sends_exactly_the_expected_messages(cycle_db: Engine, servers: tuple[SmtpSink, ZaloServer]) -> None:
    replay(cycle_db, DAYS)
    assert per_unit_steps(cycle_db) == EXPECTED
    counts = sent(cycle_db)
    assert counts[("b-midway", "remind-7d", "zalo")] == 1  # OA message to the follower
    assert counts[("c-incomplete", "deadline-day", "zalo")] == 1  # ZNS to the phone
    assert counts[("a-early", "launch", "zalo")] == 0  # no Zalo address, email only
    with Session(cycle_db) as session:
        agency = session.exec(
            select(OutboxMessage).where(OutboxMessage.milestone == DOSSIER, OutboxMessage.step == "2025-12-01/escalate-3wd-standing_agency")
        ).one()
    assert "UBND xã Lộc Thái" in agency.body_text and "UBND xã Lộc Tấn" not in agency.body_text  # late but in by 03/12

    # every message reached a sink exactly once, and re-running any day adds nothing
    smtp, zalo = servers
    before = (len(smtp.messages), len(zalo.messages), sum(counts.values()))
    replay(cycle_db, [date(2025, 11, 17), date(2025, 12, 1), date(2025, 12, 4)])
    assert (len(smtp.messages), len(zalo.messages), sum(sent(cycle_db).values())) == before
    assert max(Counter(smtp.message_ids()).values()) == 1


@pytest.mark.parametrize("cycle_db", ["pg_engine"], indirect=True)
def test_two_dispatchers_on_the_same_day_send_each_message_once(
    cycle_db: Engine, servers: tuple[SmtpSink, ZaloServer]
) -> None:
    from flows.daily import daily

    smtp, _ = servers
    start = len(smtp.messages)
    daily(as_of=date(2025, 1, 2))
    errors: list[BaseException] = []

    def run() -> None:
        try:
            daily(as_of=date(2025, 11, 17))
        except BaseException as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    received = Counter(smtp.message_ids()[start:])
    assert received and max(received.values()) == 1
    assert sum(c for (_, step, ch), c in sent(cycle_db).items() if step == "remind-14d" and ch == "email") == 6


def test_set_announcement_schedules_the_appraisal(cycle_db: Engine) -> None:
    from flows.daily import daily

    with Session(cycle_db) as session:
        set_admin_date(session, PLAN, 2025, "par_announcement", date(2025, 12, 24))
        session.commit()
    results = daily(as_of=date(2025, 12, 12))
    assert "appraisal" in [r["flow"] for r in results]
    rerun = daily(as_of=date(2025, 12, 12))
    assert [r["flow"] for r in rerun if r["flow"] != "guidance"] == []  # already done: nothing due on a re-run


def test_a_zalo_configuration_error_stops_zalo_only_and_alerts(
    cycle_db: Engine, servers: tuple[SmtpSink, ZaloServer]
) -> None:
    from flows.daily import DispatchProblems, daily

    smtp, zalo = servers
    zalo.faults.template_approved = False
    try:  # issue 11: the run ends Failed after all its work (it used to complete), with what to do
        with pytest.raises(DispatchProblems) as failed:
            daily(as_of=date(2025, 11, 17))
    finally:
        zalo.faults.template_approved = True
    results = failed.value.results
    assert "Dừng gửi qua kênh zalo" in str(failed.value) and "thidua outbox list --status waiting" in str(failed.value)
    (chase,) = [r for r in results if r.get("step") == f"{DOSSIER}@2025-12-01/remind-14d"]
    assert chase["sent"]["email"] == 6
    assert any(line.startswith("Dừng gửi qua kênh zalo") for line in chase["lines"])
    with Session(cycle_db) as session:
        zns = session.exec(
            select(OutboxMessage).where(
                OutboxMessage.recipient == "84912345678", OutboxMessage.milestone == DOSSIER, OutboxMessage.step == "2025-12-01/remind-14d"
            )
        ).one()
    assert zns.status == "pending"  # kept, goes out on the first run after the fix
    daily(as_of=date(2025, 11, 18))
    with Session(cycle_db) as session:
        assert session.get(OutboxMessage, zns.id).status == "sent"
