"""A realistic message context, for `thidua notify test`, the benchmark and the tests."""

from dataclasses import replace
from datetime import date
from typing import Any

from thidua.cycle.drafts import MessageContext, MessageKind

SAMPLE = MessageContext(
    kind=MessageKind.reminder,
    plan_code="loc-ninh-2024-2025",
    plan_title="Phong trào thi đua cải cách hành chính huyện Lộc Ninh",
    issuer="UBND huyện Lộc Ninh",
    year=2025,
    unit_code="xa-loc-thai",
    unit_name="UBND xã Lộc Thái",
    recipient_name="Bà Nguyễn Thị Hường",
    deliverable="Hồ sơ đề nghị khen thưởng",
    milestone_label="hạn nộp hồ sơ đề nghị khen thưởng",
    deadline=date(2025, 12, 1),
    days_left=3,
    missing_documents=("Tờ trình", "Biên bản họp xét"),
    contact_name="Phòng Nội vụ huyện Lộc Ninh",
    contact_email="phongnoivu@locninh.example.vn",
    contact_phone="0271 3566 123",
)


def sample_context(**changes: Any) -> MessageContext:
    """`SAMPLE` with `changes` applied."""
    return replace(SAMPLE, **changes)
