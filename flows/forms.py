"""The administrator's forms in the Prefect UI: each action takes one model, whose fields carry Vietnamese titles
and descriptions (Prefect shows a top-level parameter only by its Python name) and whose choices are
Vietnamese values (Prefect shows an enum's values, not labels).

A form's values are checked against the chosen plan by the same rules as the CLI; a refusal names the form's
field, the value and the valid choices, and the run ends Failed with that message.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from thidua.appraisal.model import Action
from thidua.cycle.decide import CycleFlow
from thidua.errors import InvalidInput


class CycleForm(BaseModel):
    """A plan and one of its yearly cycles."""

    model_config = ConfigDict(extra="forbid")

    ke_hoach: str = Field(title="Kế hoạch", description="Mã kế hoạch, ví dụ loc-ninh-2024-2025 (thidua plan check plans/*.yaml)", min_length=1)
    nam: int = Field(title="Năm", description="Năm của chu kỳ thi đua", ge=2000, le=2100)


class ReceiptForm(CycleForm):
    """Tài liệu một đơn vị vừa nộp."""

    don_vi: str = Field(title="Đơn vị", description="Mã đơn vị trong danh mục (thidua units list); cơ quan thường trực: co-quan-thuong-truc")
    tai_lieu: list[str] = Field(
        default_factory=list, title="Tài liệu đã nhận", description="Mã từng tài liệu, ví dụ to_trinh; để trống với việc không có tài liệu"
    )
    viec_phai_nop: str | None = Field(None, title="Việc phải nộp", description="Mã việc phải nộp; để trống: hồ sơ đề nghị khen thưởng")
    han: str | None = Field(None, title="Hạn", description="Chỉ khi việc có nhiều hạn trong năm: loại mốc hạn, ví dụ report_q3")
    luc_nhan: datetime | None = Field(None, title="Thời điểm nhận", description="Để trống: bây giờ")


class RegistrationForm(CycleForm):
    """Một đơn vị đăng ký thi đua."""

    don_vi: str = Field(title="Đơn vị", description="Mã đơn vị trong danh mục (thidua units list)")
    ca_nhan: list[str] = Field(default_factory=list, title="Cá nhân đăng ký", description="Mỗi dòng: Họ và tên: Chức vụ")


class AnnouncementForm(CycleForm):
    """Ngày Hội nghị công bố Chỉ số cải cách hành chính."""

    ngay: date = Field(title="Ngày công bố Chỉ số CCHC", description="Hạn thẩm định được tính lại từ ngày này")


class RerunChoice(StrEnum):
    """Bước của chu kỳ."""

    notify = "Thông báo, nhắc hạn và báo cáo chậm nộp đến hạn trong ngày"
    appraisal = "Thẩm định"
    annual_review = "Tổng kết năm"
    phase_summary = "Sơ kết giai đoạn"

    @property
    def flow(self) -> CycleFlow:
        return CycleFlow[self.name]


class RerunForm(CycleForm):
    """Chạy lại một bước của chu kỳ (không gửi lại tin đã gửi)."""

    buoc: RerunChoice = Field(title="Bước", description="Bước cần chạy lại")
    ngay: date | None = Field(None, title="Ngày", description="Chạy như vào ngày này; để trống: hôm nay")


class Decision(StrEnum):
    """Quyết định của Hội đồng."""

    choose = "Chọn trong các đối tượng đồng hạng"
    add = "Bổ sung đối tượng vào danh sách"
    withdraw = "Rút đối tượng khỏi danh sách"

    @property
    def action(self) -> Action:
        return Action[self.name]


class CouncilForm(CycleForm):
    """Quyết định của Hội đồng Thi đua - Khen thưởng."""

    quyet_dinh: Decision = Field(title="Quyết định")
    hinh_thuc: str = Field(title="Hình thức khen thưởng", description="Mã hình thức trong kế hoạch, ví dụ giay_khen")
    doi_tuong: list[str] = Field(title="Đối tượng", description="Tập thể: mã đơn vị; cá nhân: mã đơn vị:Họ và tên", min_length=1)
    ly_do: str = Field(title="Lý do", description="Lý do của Hội đồng, ghi vào nhật ký quyết định", min_length=1)
    nguoi_ghi: str = Field(title="Người ghi nhận", description="Ví dụ: Thư ký Hội đồng", min_length=1)


FIELD_TITLES = {  # the CLI option an error names → the form field the administrator filled in
    "--plan": "Kế hoạch",
    "--year": "Năm",
    "--unit": "Đơn vị",
    "--doc": "Tài liệu đã nhận",
    "--deliverable": "Việc phải nộp",
    "--due": "Hạn",
    "--person": "Cá nhân đăng ký",
    "--date": "Ngày",
    "--plan/--year": "Kế hoạch, Năm",
    "--award": "Hình thức khen thưởng",
    "--choose": "Đối tượng",
    "--add": "Đối tượng",
    "--withdraw": "Đối tượng",
    "--reason": "Lý do",
    "--by": "Người ghi nhận",
}


class FormRefused(ValueError):
    """What the administrator must correct in the form, one line per field."""


@contextmanager
def refusals() -> Iterator[None]:
    """Turn invalid input into a refusal that names the form's fields (the run ends Failed with it)."""
    try:
        yield
    except InvalidInput as invalid:
        lines = [f"{FIELD_TITLES.get(e.field, e.field)}: “{e.value}” — {e.reason}" for e in invalid.errors]
        raise FormRefused("Biểu mẫu chưa đúng, không có gì được ghi:\n" + "\n".join(lines)) from None
