"""Every Vietnamese label and format of the product in one place: dates, numbers, states and steps.

Labels are keyed by the plain string value of their code (a `StrEnum` member looks up the same), so
this module depends on nothing else of the core.
"""

from datetime import date

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def weekday(day: date) -> str:
    """`Thứ Hai` … `Chủ Nhật`."""
    return WEEKDAYS[day.weekday()]


def ddmmyyyy(day: date) -> str:
    """`01/12/2025`."""
    return day.strftime("%d/%m/%Y")


def long_date(day: date) -> str:
    """`Thứ Hai, 01/12/2025`."""
    return f"{weekday(day)}, {ddmmyyyy(day)}"


def percent(value: float) -> str:
    """`92,5%`: a PAR INDEX the Vietnamese way, decimal comma, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",") + "%"


ROLL = {
    "next_working_day": "chuyển sang ngày làm việc tiếp theo (Điều 148 Bộ luật Dân sự 2015)",
    "previous_working_day": "đưa về ngày làm việc liền trước để bảo đảm đủ thời hạn",
    "none": "giữ nguyên ngày, không chuyển",
}

NOMINEE = {"collective": "tập thể", "individual": "cá nhân"}

DISCIPLINE = {
    "none": "không",
    "khien_trach": "Khiển trách",
    "canh_cao": "Cảnh cáo",
    "giang_chuc": "Giáng chức",
    "cach_chuc": "Cách chức",
    "buoc_thoi_viec": "Buộc thôi việc",
}

OUTCOME = {
    "proposed": "đề nghị khen thưởng",
    "tie": "đồng hạng tại ranh giới chỉ tiêu — Hội đồng quyết định",
    "over_quota": "ngoài chỉ tiêu",
    "other_form": "đã được đề nghị hình thức khác",
}

MILESTONE_STATUS = {"scheduled": "đã lên lịch", "pending": "chờ quản trị viên nhập ngày", "awaiting_guidance": "chờ hướng dẫn"}

DELIVERY = {"complete": "đã đủ", "partial": "còn thiếu", "not_started": "chưa nộp"}

ESCALATION_LEVEL = {0: "—", 1: "đã báo Thủ trưởng", 2: "đã báo cơ quan thường trực", 3: "đã báo cáo Chủ tịch"}

MESSAGE = {
    "launch": "Thông báo phát động",
    "reminder": "Nhắc hạn",
    "deadline_day": "Nhắc đúng ngày hạn",
    "escalation_head": "Báo Thủ trưởng đơn vị chậm nộp",
    "escalation_agency": "Báo cơ quan thường trực danh sách đơn vị chậm nộp",
    "escalation_chairman": "Báo cáo Chủ tịch danh sách đơn vị chậm nộp",
    "dossier_received": "Xác nhận đã nhận hồ sơ",
    "dossier_incomplete": "Báo hồ sơ còn thiếu",
    "admin_alert": "Cảnh báo sự cố gửi thông báo",
}

FLOW = {
    "notify": "thông báo, nhắc hạn và báo cáo chậm nộp",
    "appraisal": "thẩm định",
    "annual_review": "tổng kết năm",
    "phase_summary": "sơ kết giai đoạn",
}

OUTBOX_STATUS = {
    "pending": "chờ gửi",
    "sending": "đang gửi",
    "sent": "đã gửi",
    "failed": "lỗi",
    "deferred": "tạm hoãn",
    "expired": "hết hiệu lực, không gửi",
}

WAITING_WITH_ERROR = "chờ gửi lại sau lỗi"  # `outbox list --status waiting`: not sent yet, last try failed

SEND_RESULT = {
    "sent": "đã gửi",
    "transient": "lỗi tạm thời, sẽ thử lại",
    "deferred": "tạm hoãn",
    "recipient": "người nhận không nhận được",
    "unavailable": "kênh tạm không dùng được, sẽ gửi lại",
    "config": "lỗi cấu hình",
    "skipped": "chưa gửi",
}


def step_words(code: str) -> str:
    """A ladder step in words: `remind-7d` → `nhắc trước 7 ngày`, `escalate-3wd-standing_agency` → `báo cơ quan thường trực`."""
    if code == "deadline-day":
        return "nhắc đúng ngày hạn"
    if code.startswith("remind-"):
        return f"nhắc trước {code.removeprefix('remind-').removesuffix('d')} ngày"
    target = code.rpartition("-")[2]
    return ESCALATION_STEP.get(target, code)


ESCALATION_STEP = {
    "unit_head": "báo Thủ trưởng đơn vị",
    "standing_agency": "báo cơ quan thường trực",
    "chairman": "báo cáo Chủ tịch",
}

OS_ERRORS = {
    "EACCES": "không có quyền truy cập",
    "EPERM": "không được phép",
    "ENOENT": "không có tệp hoặc thư mục này",
    "ENOTDIR": "một phần của đường dẫn không phải thư mục",
    "EISDIR": "đây là thư mục, không phải tệp",
    "EEXIST": "đã có tệp trùng tên",
    "ENOSPC": "ổ đĩa đã đầy",
    "EDQUOT": "đã hết hạn mức dung lượng",
    "EROFS": "ổ đĩa chỉ cho phép đọc",
    "ENAMETOOLONG": "tên tệp quá dài",
    "EMFILE": "mở quá nhiều tệp cùng lúc",
    "EIO": "lỗi đọc ghi ổ đĩa",
}
"""The operating system's errors by errno name (`errno.errorcode`), as a file operation reports them."""


def os_error(code: str | None, fallback: str) -> str:
    """The reason of an OS error in Vietnamese (`EACCES` → `không có quyền truy cập`), or `fallback` in brackets."""
    return OS_ERRORS.get(code or "", f"lỗi hệ thống ({fallback})")
