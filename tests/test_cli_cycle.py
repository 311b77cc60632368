"""Administrator commands: record a dossier, set the announcement, see the status."""

import json
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from cli import app
from models import Cycle, OutboxMessage, Submission

runner = CliRunner()
PLAN = ["--plan", "loc-ninh-2024-2025", "--year", "2025"]


def import_units() -> None:
    result = runner.invoke(app, ["units", "import", str(Path("plans/units/loc-ninh-2024-2025.csv"))])
    assert result.exit_code == 0, result.output


def test_receive_records_a_late_dossier_and_confirms_what_is_missing(app_engine: Engine) -> None:
    import_units()
    args = ["dossier", "receive", *PLAN, "--unit", "ln-ub-loc-thai", "--doc", "to_trinh", "--at", "2025-12-03T10:00"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "còn thiếu" in result.stdout and "Báo cáo thành tích" in result.stdout
    result = runner.invoke(app, [*args[:-4], "--doc", "bien_ban", "--doc", "bao_cao_thanh_tich", "--at", "2025-12-04T08:00"])
    assert "đã đủ — trễ hạn" in result.stdout
    with Session(app_engine) as session:
        dossier = session.exec(select(Submission)).one()
        steps = {m.step for m in session.exec(select(OutboxMessage))}
    assert dossier.completed_at is not None  # recorded as late, never dropped
    assert steps == {"receipt-missing-bien_ban-bao_cao_thanh_tich", "receipt-complete"}


def test_receive_rejects_unknown_documents_and_units_and_writes_nothing(app_engine: Engine) -> None:
    import_units()
    result = runner.invoke(app, ["dossier", "receive", *PLAN, "--unit", "khong-co", "--doc", "to_trinh", "--doc", "giay_phep"])
    assert result.exit_code == 2
    assert '--unit: "khong-co"' in result.stderr and '--doc: "giay_phep"' in result.stderr
    merged = runner.invoke(app, ["dossier", "receive", *PLAN, "--unit", "ln-ub-loc-thinh", "--doc", "to_trinh", "--at", "2025-11-20T09:00"])
    assert merged.exit_code == 2 and "sáp nhập vào ln-ub-loc-thanh" in merged.stderr
    with Session(app_engine) as session:
        assert session.exec(select(Submission)).all() == []


def test_set_announcement_then_calendar_of_the_cycle(app_engine: Engine) -> None:
    result = runner.invoke(app, ["cycle", "set-announcement", *PLAN, "--date", "2025-12-24"])
    assert result.exit_code == 0 and "Thứ Tư, 24/12/2025" in result.stdout
    bad = runner.invoke(app, ["cycle", "set-announcement", *PLAN, "--date", "2025-02-30"])
    assert bad.exit_code == 2 and "tháng 2 năm 2025 chỉ có 28 ngày" in bad.stderr
    with Session(app_engine) as session:
        assert session.exec(select(Cycle)).one().admin_dates == {"par_announcement": "2025-12-24"}
    import_units()
    status = runner.invoke(app, ["status", *PLAN, "--as-of", "2025-12-02", "--json"])
    data = json.loads(status.stdout)
    units = [u for u in data["units"] if u["unit"] != "co-quan-thuong-truc"]  # the standing agency owes its own
    assert len(units) == 25  # the merged commune no longer exists on 02/12/2025
    dossiers = [next(d for d in u["deliverables"] if d["code"] == "ho_so_khen_thuong") for u in units]
    assert {d["status"] for d in dossiers} == {"not_started"} and all(d["late"] for d in dossiers)


def test_zalo_token_is_stored_once_authorised(app_engine: Engine) -> None:
    from models import ZaloToken

    # tokens come from standard input (issue 11: never from arguments visible in `ps`)
    for access in ("acc-1", "acc-2"):
        result = runner.invoke(app, ["notify", "zalo-token"], input=f"{access}\nref-{access}\n")
        assert result.exit_code == 0, result.output
    with Session(app_engine) as session:
        (token,) = session.exec(select(ZaloToken)).all()
    assert (token.access_token, token.refresh_token, token.version) == ("acc-2", "ref-acc-2", 1)


def test_admin_dates_must_fall_in_their_window(app_engine: Engine) -> None:
    args = ["cycle", "set-date", "--plan", "loc-ninh-2024-2025", "--year", "2025", "--milestone", "annual_review"]
    outside = runner.invoke(app, [*args, "--date", "2027-06-01"])
    assert outside.exit_code == 2 and "01/01/2026–31/03/2026" in outside.stderr
    inside = runner.invoke(app, [*args, "--date", "2026-02-22"])  # a Sunday after Tết: rolls to Monday 23/02
    assert inside.exit_code == 0 and "Chủ Nhật, 22/02/2026 (ngày nghỉ: tính là Thứ Hai, 23/02/2026)." in inside.stdout
    status = runner.invoke(app, ["calendar", "plans/loc-ninh-2024-2025.yaml", "--year", "2025", "--json"])
    assert status.exit_code == 0
    outside_year = runner.invoke(app, ["status", "--plan", "loc-ninh-2024-2025", "--year", "2031"])
    assert outside_year.exit_code == 2 and "2024–2025" in outside_year.stderr


def test_receipts_in_the_future_or_on_impossible_days_are_refused(app_engine: Engine) -> None:
    base = ["dossier", "receive", "--plan", "loc-ninh-2024-2025", "--year", "2025", "--unit", "x", "--doc", "to_trinh"]
    future = runner.invoke(app, [*base, "--at", "2099-01-01T08:00"])
    assert future.exit_code == 2 and "tương lai" in future.stderr
    impossible = runner.invoke(app, [*base, "--at", "2025-02-30T08:00"])
    assert impossible.exit_code == 2 and "tháng 2 năm 2025 chỉ có 28 ngày" in impossible.stderr
