"""Issue 10: what an administrator records (`thidua dossier receive`, the Prefect form flows/admin.py record_dossier,
both through services.receipts.record_receipt) and what a unit uploads through its link land in the same records:
one submission, one list of documents, one state — on the unit's page, in `thidua status`, and for the ladder."""

import json
import re
from datetime import date, timedelta

import pytest
from portal_fixture import OTHER, PLAN, UNIT, YEAR, PortalUnderTest, portal_under_test  # noqa: F401
from sqlmodel import Session, select
from typer.testing import CliRunner

from cli import app
from documents.samples import sample_pdf
from models import OutboxMessage, Submission, SubmittedDocument
from models.db import session_scope
from models.queries.cycle import load_state
from services.plans import find_plan
from services.receipts import record_receipt
from services.runtime import message_renderer
from thidua.cycle.decide import agenda, batch

DOSSIER = "ho_so_khen_thuong/submission_deadline"
DOCS = ("to_trinh", "bien_ban", "bao_cao_thanh_tich")
ADMIN = "quản trị viên (dòng lệnh)"  # what `thidua dossier receive` records as its source
LINK = f"đơn vị {UNIT} (đường dẫn riêng)"
# the dossier's ladder after Thursday 20/11/2025: reminders 7 and 3 days before, the deadline day (Monday
# 01/12/2025), escalations +1, +3, +5 working days
LADDER_DAYS = (date(2025, 11, 24), date(2025, 11, 28), date(2025, 12, 1), date(2025, 12, 2), date(2025, 12, 4), date(2025, 12, 8))


def _card(page: str, key: str) -> str:
    """The section of the unit's page for one occurrence."""
    return page.split(f'id="{key.replace("/", "-")}"', 1)[1].split("</section>", 1)[0]


@pytest.mark.parametrize(
    "who",
    [("link", "admin", "link"), ("admin", "link", "admin")],
    ids=["the-unit-completes", "the-administrator-completes"],
)
def test_an_administrators_receipt_and_the_units_upload_make_one_dossier(portal: PortalUnderTest, who: tuple[str, ...]) -> None:
    plan, link = find_plan(PLAN), portal.link()
    times = []
    for doc, by in zip(DOCS, who, strict=True):
        times.append(portal.clock.now)
        if by == "link":
            assert portal.upload(link, doc, [(f"{doc}.pdf", sample_pdf(doc))]).status_code == 303
        else:  # what `thidua dossier receive` does (the Prefect form likewise, with its own source)
            with session_scope(portal.engine) as session:
                record_receipt(session, plan, YEAR, UNIT, [doc], portal.clock.now, renderer=message_renderer(session), source=ADMIN)
        portal.clock.now += timedelta(minutes=10)  # 14:05, 14:15, 14:25 on Thursday 20/11/2025

    # one submission holding every document, each with who recorded it
    with Session(portal.engine) as session:
        (submission,) = session.exec(select(Submission).where(Submission.unit_code == UNIT, Submission.deliverable == "ho_so_khen_thuong")).all()
        documents = session.exec(select(SubmittedDocument).where(SubmittedDocument.submission_id == submission.id)).all()
        confirmations = session.exec(select(OutboxMessage.step).where(OutboxMessage.unit_code == UNIT).order_by(OutboxMessage.id)).all()
    assert {d.kind: d.source for d in documents} == {doc: LINK if by == "link" else ADMIN for doc, by in zip(DOCS, who, strict=True)}
    assert submission.completed_at is not None and submission.completed_at == times[-1]
    assert confirmations == ["receipt-missing-bien_ban-bao_cao_thanh_tich", "receipt-missing-bao_cao_thanh_tich", "receipt-complete"]

    # the unit's page: every document received (uploaded or recorded), the dossier complete, no more reminders
    card = _card(portal.client.get(link).text, DOSSIER)
    assert '<span class="badge ok">đã đủ</span>' in card and "Đã đủ. Đơn vị không còn nhận tin nhắc hạn về việc này." in card
    assert "Còn thiếu" not in card and "chưa nộp" not in card
    assert plan.dossier is not None
    names = {d.code: d.name for d in plan.dossier.document_list}
    items = {chunk.split("</strong>", 1)[0]: chunk for chunk in card.split("<li>\n<strong>")[1:]}
    assert set(items) == {names[doc] for doc in DOCS}
    for doc, by, at in zip(DOCS, who, times, strict=True):
        item = items[names[doc]]
        assert "đã nhận, chờ xem xét" in item and f"đã nhận lúc {at:%H:%M}, Thứ Năm, 20/11/2025" in item
        assert re.findall(r"<li>([\w.]+) \(", item) == ([f"{doc}.pdf"] if by == "link" else [])  # a recorded paper has no file

    # `thidua status`: the same state
    runner = CliRunner()
    shown = runner.invoke(app, ["status", "--plan", PLAN, "--year", str(YEAR), "--as-of", "2025-11-20", "--json"])
    assert shown.exit_code == 0, shown.output
    (mine,) = [u for u in json.loads(shown.stdout)["units"] if u["unit"] == UNIT]
    (dossier,) = [d for d in mine["deliverables"] if d["code"] == "ho_so_khen_thuong"]
    assert (dossier["status"], dossier["missing"], dossier["completed_on"], dossier["late"]) == ("complete", [], "2025-11-20", False)
    text = runner.invoke(app, ["status", "--plan", PLAN, "--year", str(YEAR), "--as-of", "2025-11-20"]).stdout
    (row,) = [line for line in text.splitlines() if f"({UNIT})" in line and "Hồ sơ đề nghị khen thưởng" in line]
    assert "trạng thái: đã đủ" in row and "còn thiếu" not in row

    # the ladder: no reminder or escalation of the dossier reaches the unit any more (another unit is still chased)
    reached: set[str] = set()
    with Session(portal.engine) as session:
        for day in LADDER_DAYS:
            state = load_state(session, plan, YEAR, day)
            for due in agenda(state).due:
                work = batch(state, due) if due.occurrence is not None and due.occurrence.key == DOSSIER else None
                reached |= {s.unit.code for s in work.units} if work else set()
                assert work is None or all(d.unit_code != UNIT for d in work.drafts)
    assert UNIT not in reached and OTHER in reached
