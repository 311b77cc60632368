import re
from email import policy
from email.parser import BytesParser

import pytest
from jinja2.exceptions import SecurityError, UndefinedError

from notifications.channels.base import Outgoing
from notifications.channels.email import EmailChannel
from notifications.render import Renderer
from notifications.samples import sample_context
from thidua.cycle.drafts import MessageKind

RENDERER = Renderer()


@pytest.mark.parametrize("kind", list(MessageKind))
def test_every_kind_names_plan_year_deadline_with_weekday_and_contact(kind: MessageKind) -> None:
    ctx = sample_context(kind=kind, late_units=("UBND xã Lộc Hưng",))
    rendered = RENDERER.render(ctx)
    assert "\n" not in rendered.subject and rendered.subject
    for expected in (ctx.plan_title, "năm 2025", "Thứ Hai, 01/12/2025", ctx.contact_name, ctx.contact_phone, ctx.contact_email):
        assert expected in rendered.text
    assert rendered.html.startswith("<!DOCTYPE html>") and "Thứ Hai, 01/12/2025" in rendered.html


def test_reminder_names_what_is_owed_and_lists_missing_documents_or_says_nothing_arrived() -> None:
    assert "Hồ sơ đề nghị khen thưởng còn thiếu: Tờ trình, Biên bản họp xét." in RENDERER.render(sample_context()).text
    assert "Hồ sơ đề nghị khen thưởng: chưa nhận." in RENDERER.render(sample_context(missing_documents=())).text
    report = RENDERER.render(sample_context(deliverable="Báo cáo kết quả thực hiện CCHC", missing_documents=())).text
    assert "chưa nhận đủ báo cáo kết quả thực hiện CCHC của UBND xã Lộc Thái" in report
    subject = RENDERER.render(sample_context()).subject
    assert subject == "[Nhắc hạn] UBND xã Lộc Thái: còn 3 ngày đến hạn nộp hồ sơ đề nghị khen thưởng (01/12/2025)"


def test_escalation_to_the_agency_lists_the_late_units() -> None:
    rendered = RENDERER.render(sample_context(kind=MessageKind.escalation_agency, days_left=3, late_units=("UBND xã A", "UBND xã B")))
    assert "- UBND xã A\n- UBND xã B" in rendered.text
    assert rendered.subject.startswith("[Báo cáo quá hạn] 2 đơn vị")


def test_a_unit_name_cannot_inject_a_header_or_markup() -> None:
    evil = "UBND xã X\r\nBcc: victim@example.com\n<script>alert(1)</script>"
    rendered = RENDERER.render(sample_context(unit_name=evil, recipient_name="A\nCc: b@example.com"))
    assert "\n" not in rendered.subject and "\r" not in rendered.subject
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    channel = EmailChannel(host="127.0.0.1", port=1, mail_from="Thi đua <td@example.vn>")
    data = channel.build(Outgoing(1, "focal@example.vn", "A\nCc: b@example.com", rendered.subject, rendered.text, rendered.html, "k"))
    parsed = BytesParser(policy=policy.default).parsebytes(data)
    assert parsed["Bcc"] is None and parsed["Cc"] is None
    assert parsed["Subject"] == rendered.subject


def test_zns_template_data_comes_from_the_same_context() -> None:
    data = RENDERER.render(sample_context()).template_data
    assert data["deadline"] == "Thứ Hai, 01/12/2025"
    assert data["unit_name"] == "UBND xã Lộc Thái"
    assert data["missing"] == "Tờ trình, Biên bản họp xét"
    assert all(isinstance(value, str) and len(value) <= 100 for value in data.values())


def test_an_authority_overrides_a_template_from_its_own_folder(tmp_path) -> None:
    (tmp_path / "reminder.j2").write_text(
        '{% extends "_base.j2" %}{% block subject %}Sở Nội vụ nhắc: {{ unit_name }}{% endblock %}'
        "{% block main %}Nội dung riêng của tỉnh.{% endblock %}",
        encoding="utf-8",
    )
    rendered = Renderer(tmp_path).render(sample_context())
    assert rendered.subject == "Sở Nội vụ nhắc: UBND xã Lộc Thái"
    assert "Nội dung riêng của tỉnh." in rendered.text and "Thứ Hai, 01/12/2025" in rendered.text
    assert Renderer(tmp_path).render(sample_context(kind=MessageKind.launch)).subject.startswith("[Thi đua CCHC 2025]")


def test_override_templates_are_strict_and_sandboxed(tmp_path) -> None:
    (tmp_path / "reminder.j2").write_text("{% block subject %}{{ no_such_field }}{% endblock %}", encoding="utf-8")
    with pytest.raises(UndefinedError):
        Renderer(tmp_path).render(sample_context())
    (tmp_path / "reminder.j2").write_text("{% block subject %}{{ unit_name.__class__.__mro__ }}{% endblock %}", encoding="utf-8")
    with pytest.raises(SecurityError):
        Renderer(tmp_path).render(sample_context())


REAL_LABELS = (  # milestone labels as plans write them: a deadline's label already starts with "hạn"
    "hạn nộp hồ sơ đề nghị khen thưởng",
    "hạn gửi hồ sơ đề nghị khen thưởng tổng kết hằng năm về Sở Nội vụ",
    "Hội đồng Thi đua, Khen thưởng Văn phòng gửi hồ sơ đề nghị về thành phố",
    "báo cáo kết quả thực hiện CCHC năm (lồng ghép báo cáo của Văn phòng)",
)


@pytest.mark.parametrize("label", REAL_LABELS)
@pytest.mark.parametrize("kind", list(MessageKind))
def test_no_message_repeats_the_word_han_whatever_the_milestone_label(kind: MessageKind, label: str) -> None:
    rendered = RENDERER.render(sample_context(kind=kind, milestone_label=label, late_units=("UBND xã Lộc Hưng",)))
    for part in (rendered.subject, rendered.text, rendered.html):
        assert not re.search(r"\bhạn\W+(chót\W+)?hạn\b", part, re.IGNORECASE), part
    assert label[1:] in rendered.text  # the milestone is still named, as written (first letter aside)
    if label[0].islower():
        assert f"{label[0].upper()}{label[1:]}: Thứ Hai, 01/12/2025." in rendered.text


def test_the_reminder_reads_naturally_with_a_deadline_label() -> None:
    rendered = RENDERER.render(sample_context(days_left=14, milestone_label="hạn nộp hồ sơ đề nghị khen thưởng"))
    assert rendered.subject == "[Nhắc hạn] UBND xã Lộc Thái: còn 14 ngày đến hạn nộp hồ sơ đề nghị khen thưởng (01/12/2025)"
    assert "Còn 14 ngày nữa là đến hạn nộp hồ sơ đề nghị khen thưởng (Thứ Hai, 01/12/2025)." in rendered.text
    assert "Hạn nộp hồ sơ đề nghị khen thưởng: Thứ Hai, 01/12/2025." in rendered.text
