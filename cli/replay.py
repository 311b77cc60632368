"""`make demo`: replay the 2025 cycle of the Lộc Ninh plan on the days that matter, end to end.

Embedded defaults only: SQLite in `out/demo`, the local SMTP sink and Zalo server, Prefect's local
API, and the unit portal (`thidua web` on 127.0.0.1, its clock following the replay). Simulated units
submit early, between reminders, late, incompletely or never; some of them hand their documents in
themselves, through the link of their latest reminder, over HTTP; one commune was merged on
01/07/2025. The Đồng Tháp 2021–2025 phase summary runs in quarter I 2026 as well.
"""

import csv
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, func, select

from cli.portal_visits import Portal, hand_in, latest_link, running_portal
from deployments.prefect_env import settled_task_runs
from documents.cells import csv_row
from models import OutboxMessage, OutboxStatus, Unit
from notifications.devservers import free_port
from notifications.devservers.smtp_sink import SmtpSink
from notifications.devservers.zalo_server import ZaloServer
from thidua.cycle.state import AGENCY
from thidua.dates import TZ
from thidua.directory import gone_reason
from thidua.words import long_date, lower_first, result_heading

PLAN, YEAR, PHASE_PLAN = "loc-ninh-2024-2025", 2025, "dong-thap-2021-2025"
ALL_DOCS = ("to_trinh", "bien_ban", "bao_cao_thanh_tich")
ANNOUNCEMENT = date(2025, 12, 24)  # set by the administrator on the deadline day
# What each simulated unit does: (day, documents) received at 09:00; units not listed submit early.
BEHAVIOUR: dict[str, list[tuple[date, tuple[str, ...]]]] = {
    "ln-ub-loc-khanh": [(date(2025, 11, 19), ALL_DOCS)],
    "ln-ub-loc-thuan": [(date(2025, 11, 19), ALL_DOCS)],
    "ln-p-lao-dong-tbxh": [(date(2025, 11, 26), ALL_DOCS)],
    "ln-ub-loc-quang": [(date(2025, 11, 26), ("to_trinh", "bien_ban")), (date(2025, 11, 28), ("bao_cao_thanh_tich",))],
    "ln-ub-loc-an": [(date(2025, 12, 3), ALL_DOCS)],  # late: after the head of unit was told
    "ln-p-nong-nghiep": [(date(2025, 12, 5), ALL_DOCS)],  # late: after the standing agency was told
    "ln-ub-loc-hiep": [(date(2025, 11, 27), ("to_trinh", "bien_ban"))],  # never completes
    "ln-ub-loc-hoa": [],  # never submits
    "ln-ub-loc-thinh": [],  # merged into ln-ub-loc-thanh on 01/07/2025: not chased in 2025
}
# The yearly result report (V.1) goes in with the complete dossier, except for these units:
REPORTS: dict[str, date | None] = {
    "ln-p-giao-duc-dao-tao": date(2025, 11, 26),  # dossier early, report after two report reminders
    "ln-ub-loc-thai": None,  # dossier early, report never: chased for the report alone
}
# These units hand in through the personal link of their latest reminder (uploads over HTTP to `thidua web`).
THROUGH_LINKS = {"ln-p-lao-dong-tbxh", "ln-ub-loc-quang", "ln-ub-loc-an"}
AGENCY_SUBMITS = date(2025, 12, 12)  # Phòng Nội vụ's tờ trình to the chairman, on its own deadline
DISCIPLINED = "ln-ub-loc-thuan"  # a key leader reprimanded: not eligible
NO_INITIATIVE = "ln-p-tu-phap"  # no initiative recognised this year: not eligible
EARLY_DAYS = (date(2025, 11, 6), date(2025, 11, 12))
KEY_DAYS = (
    date(2025, 1, 2),  # launch of the 2025 cycle (01/01 is a holiday)
    date(2025, 11, 17), date(2025, 11, 24), date(2025, 11, 28),  # reminders 14, 7, 3/1 days before
    date(2025, 12, 1),  # deadline: Monday 01/12/2025 (30/11 is a Sunday)
    date(2025, 12, 2), date(2025, 12, 4), date(2025, 12, 8),  # escalations +1, +3, +5 working days
    date(2025, 12, 12),  # appraisal: 10 days before the announcement of 24/12, rolled back from Sunday 14/12
    date(2026, 3, 16),  # quarter-I reviews and the Đồng Tháp phase summary
)


@dataclass
class Timeline:
    """What happened, day by day, in Vietnamese."""

    days: dict[date, list[str]] = field(default_factory=dict)

    def add(self, day: date, line: str) -> None:
        self.days.setdefault(day, []).append(line)

    def render(self) -> str:
        return "\n".join(
            f"\n{long_date(day)}\n" + "\n".join(f"  • {line}" for line in lines) for day, lines in sorted(self.days.items())
        )


@contextmanager
def local_servers(store: Path) -> Iterator[tuple[SmtpSink, ZaloServer]]:
    smtp, zalo = SmtpSink(store=store / "smtp").start(), ZaloServer(store=store / "zalo").start()
    try:
        yield smtp, zalo
    finally:
        smtp.stop()
        zalo.stop()


def configure(out: Path, smtp: SmtpSink, zalo: ZaloServer, portal_port: int) -> None:
    """Point the application at the demo database, the local servers and the portal (before anything is cached)."""
    from config import get_settings
    from models.db import default_engine

    os.environ.update(
        THIDUA_DATA_DIR=str(out),
        THIDUA_PUBLIC_URL=f"http://127.0.0.1:{portal_port}",
        THIDUA_DATABASE_URL=f"sqlite:///{out / 'thidua.db'}",
        THIDUA_SMTP_HOST="127.0.0.1",
        THIDUA_SMTP_PORT=str(smtp.port),
        THIDUA_ZALO_OAUTH_URL=zalo.url,
        THIDUA_ZALO_OPENAPI_URL=zalo.url,
        THIDUA_ZALO_BUSINESS_URL=zalo.url,
        THIDUA_ZALO_APP_SECRET=zalo.app_secret,
        THIDUA_ZALO_ZNS_TEMPLATE_ID=sorted(zalo.template_ids)[0],
    )
    get_settings.cache_clear()
    default_engine.cache_clear()


def seed(session: Session, out: Path) -> None:
    """Unit directories and the facts the appraisal needs."""
    from config import get_settings
    from services.imports import import_scores, import_units
    from services.plans import find_plan

    settings = get_settings()
    for code in (PLAN, PHASE_PLAN):
        import_units(session, settings.plans_dir / "units" / f"{code}.csv", code, find_plan(code).group_names)
    session.flush()
    units = session.exec(select(Unit).where(Unit.plan == PLAN).order_by(Unit.code)).all()
    par = {u.code: 97.5 - 0.5 * i for i, u in enumerate(units)}
    out_of_race = {code for code, steps in BEHAVIOUR.items() if not steps or steps[-1][0] > date(2025, 12, 1)}
    contenders = [u.code for u in units if u.code not in out_of_race | {DISCIPLINED, NO_INITIATIVE} and par[u.code] >= 90]
    par[contenders[6]] = par[contenders[5]]  # a tie at the sixth and last seat: the council decides
    path = out / "chi-so-cchc-2025.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["unit_code", "par_index", "initiatives_recognized", "discipline", "excellent_group"])
        for unit in units:
            discipline = "khien_trach" if unit.code == DISCIPLINED else "none"
            initiatives = 0 if unit.code == NO_INITIATIVE else 1
            writer.writerow(csv_row([unit.code, f"{par[unit.code]:.2f}", initiatives, discipline, int(par[unit.code] >= 96)]))
    import_scores(session, path, find_plan(PLAN), YEAR)


def _handed_in(code: str, index: int, day: date) -> list[tuple[str, tuple[str, ...]]]:
    """(deliverable, documents) a simulated unit hands in on `day`."""
    steps = BEHAVIOUR.get(code, [(EARLY_DAYS[index % 2], ALL_DOCS)])
    dossier = [("ho_so_khen_thuong", docs) for when, docs in steps if when == day]
    complete_on = steps[-1][0] if steps and set(ALL_DOCS) <= {d for _, docs in steps for d in docs} else None
    report_on = REPORTS.get(code, complete_on)
    return dossier + ([("bao_cao_ket_qua", ("bao_cao_ket_qua",))] if report_on == day else [])


def through_links(units: list[Unit], day: date, portal: Portal, smtp: SmtpSink, timeline: Timeline) -> None:
    """Units of `THROUGH_LINKS` open the link of their latest reminder and upload what they hand in on `day`."""
    from services.plans import find_plan

    plan = find_plan(PLAN)
    portal.set_time(datetime(day.year, day.month, day.day, 10, 30, tzinfo=TZ))
    for i, unit in enumerate(units):
        handed = _handed_in(unit.code, i, day) if unit.code in THROUGH_LINKS else []
        link = latest_link(smtp, unit.focal_email or "") if handed else None
        for code, docs in handed:
            deliverable = plan.deliverable(code)
            assert deliverable is not None and link is not None
            names = {d.code: d.name for d in deliverable.document_list}
            banners, state = hand_in(link, f"{code}/{deliverable.due[0]}", {d: names[d] for d in docs})
            line = f"{unit.name} tự nộp {deliverable.name.lower()} qua đường dẫn riêng trong tin nhắn ({len(docs)} tài liệu)"
            timeline.add(day, f"{line}: trang của đơn vị báo «{banners[-1].rstrip('.')}», «{state}»")


def receipts_on(session: Session, day: date, timeline: Timeline) -> None:
    """Record what simulated units (and the standing agency) hand in on `day` (at 09:00), except those that hand in
    through their links."""
    from services.plans import find_plan
    from services.receipts import record_receipt
    from services.runtime import message_renderer

    plan = find_plan(PLAN)
    at = datetime(day.year, day.month, day.day, 9, tzinfo=TZ)
    units = session.exec(select(Unit).where(Unit.plan == PLAN).order_by(Unit.code)).all()
    handed = [(u.code, u.name, d, docs) for i, u in enumerate(units) if u.code not in THROUGH_LINKS for d, docs in _handed_in(u.code, i, day)]
    if day == AGENCY_SUBMITS:
        handed.append((AGENCY, plan.standing_agency.name, "trinh_khen_thuong", ("to_trinh_chu_tich",)))
    for code, name, deliverable, docs in handed:
        receipt = record_receipt(session, plan, YEAR, code, docs, at, renderer=message_renderer(session), deliverable=deliverable)
        state, labels = receipt.state, {d.code: d.name for d in receipt.occurrence.deliverable.document_list}
        missing = "; ".join(labels[c] for c in state.missing)
        words = "đã đủ" + (" (trễ hạn)" if state.late else "") if state.complete else f"còn thiếu {missing}"
        timeline.add(day, f"Nhận {lower_first(receipt.occurrence.name)} của {name}: {words}")
    session.commit()


def replay_days(days: list[date], units: list[Unit], portal: Portal, smtp: SmtpSink, timeline: Timeline) -> None:
    """Each day: what units hand in (recorded, or uploaded through their links), the administrator's date, the
    daily dispatcher."""
    from flows.daily import daily
    from models.db import session_scope
    from models.queries.cycle import set_admin_date
    from services.plans import find_plan

    awaited: set[str] = set()
    for day in days:
        with session_scope() as session:
            receipts_on(session, day, timeline)
            if day == date(2025, 12, 1):
                set_admin_date(session, find_plan(PLAN), YEAR, "par_announcement", ANNOUNCEMENT)
                timeline.add(day, f"Quản trị viên đặt ngày công bố Chỉ số CCHC: {long_date(ANNOUNCEMENT)}")
        through_links(units, day, portal, smtp, timeline)
        portal.set_time(datetime(day.year, day.month, day.day, 7, tzinfo=TZ))
        for result in daily(as_of=day):
            for line in result["lines"]:
                entry = f"[{result_heading(result)}] {line}"
                if result["flow"] != "guidance" or entry not in awaited:  # guidance awaited: told once
                    timeline.add(day, entry)
                    awaited.add(entry)
        settled_task_runs(poll_s=0.2, readings=2)  # the temporary server records a day's task runs before the next day writes


def outbox_counts(session: Session) -> Counter[str]:
    rows = session.exec(
        select(OutboxMessage.kind, func.count()).where(OutboxMessage.status == OutboxStatus.sent).group_by(OutboxMessage.kind)
    ).all()
    return Counter(dict(rows))


def run(out: Path, echo: Callable[[str], None]) -> dict[str, Any]:
    """Replay the year; return the summary the JSON line reports."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    timeline = Timeline()
    portal_port = free_port()
    with local_servers(out / "sinks") as (smtp, zalo):
        configure(out, smtp, zalo, portal_port)
        from config import get_settings
        from models.db import default_engine, session_scope
        from models.queries.cycle import load_state
        from models.queries.units import directory
        from notifications.channels.zalo import bootstrap_token
        from services.plans import find_plan

        echo(
            f"Chạy thử kế hoạch {PLAN}, chu kỳ {YEAR}: dữ liệu trong {out}, SMTP 127.0.0.1:{smtp.port}, Zalo {zalo.url}, "
            f"cổng thông tin đơn vị http://127.0.0.1:{portal_port}"
        )
        bootstrap_token(default_engine(), get_settings(), *zalo.issue_tokens(), expires_in=90000)
        with session_scope() as session:
            seed(session, out)
            units = list(session.exec(select(Unit).where(Unit.plan == PLAN).order_by(Unit.code)).all())
        handing_days = {d for steps in BEHAVIOUR.values() for d, _ in steps} | {d for d in REPORTS.values() if d}
        days = sorted({*KEY_DAYS, *EARLY_DAYS, *handing_days})
        with running_portal(out, portal_port, datetime(2025, 1, 2, 7, tzinfo=TZ)) as portal:
            replay_days(days, units, portal, smtp, timeline)
        echo(timeline.render())
        with session_scope() as session:
            state = load_state(session, find_plan(PLAN), YEAR, date(2025, 12, 31))
            dossier = state.dossier.key if state.dossier else ""
            counts = outbox_counts(session)
            units = directory(session, PLAN)
        gone = [(u, reason) for u in units.values() if (reason := gone_reason(u, units, date(2025, 12, 31), on="cuối năm"))]
        late = [s.unit for s in state.units if dossier in s.deliveries and s.deliveries[dossier].state.late]
        duplicates = sum(n - 1 for n in Counter(smtp.message_ids()).values() if n > 1)
        duplicates += sum(n - 1 for n in Counter(m.key for m in zalo.messages).values() if n > 1)
        summary = {
            "plan": PLAN,
            "year": YEAR,
            "units": sum(1 for s in state.units if s.unit.code != AGENCY),
            "units_at_launch": sum(u.exists_on(KEY_DAYS[0]) for u in units.values()),
            "sent": {"email": len(smtp.messages), "zalo": len(zalo.messages)},
            "reminders": counts["reminder"] + counts["deadline_day"],
            "escalations": counts["escalation_head"] + counts["escalation_agency"] + counts["escalation_chairman"],
            "late_units": sorted(u.code for u in late),
            "duplicates": duplicates,
            "through_links": sorted(s.unit.code for s in state.units if s.unit.code in THROUGH_LINKS and s.deliveries[dossier].state.complete),
        }
    outputs = sorted(p for p in (out / "outputs").rglob("*") if p.is_file()) if (out / "outputs").exists() else []
    merged = "".join(f"; {u.name} ({u.code}) {reason.split(';')[0]}" for u, reason in gone)
    echo(
        f"\nTổng kết: {summary['units']} đơn vị cuối năm ({summary['units_at_launch']} lúc phát động{merged}); "
        f"đã gửi {summary['sent']['email']} email và {summary['sent']['zalo']} tin Zalo; "
        f"{summary['reminders']} lượt nhắc, {summary['escalations']} lượt báo cáo; "
        f"hồ sơ trễ hạn: {', '.join(f'{u.name} ({u.code})' for u in sorted(late, key=lambda u: u.code)) or 'không'}; "
        f"tin trùng: {summary['duplicates']}; tự nộp đủ hồ sơ qua đường dẫn riêng: {len(summary['through_links'])} đơn vị."
    )
    if outputs:
        echo("Kết quả thẩm định và báo cáo:\n" + "\n".join(f"  {p}" for p in outputs))
    return summary
