"""Every Vietnamese label and format of the product in one place: dates, numbers, states and steps.

Labels are keyed by the plain string value of their code (a `StrEnum` member looks up the same), so
this module depends on nothing else of the core but Vietnam's timezone.
"""

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from errno import errorcode

from thidua.dates import TZ

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


def local_time(instant: datetime) -> str:
    """`01/12/2025 08:30`, Vietnam time."""
    return instant.astimezone(TZ).strftime("%d/%m/%Y %H:%M")


DECIMALS = 2  # a number is shown with the decimals it was given, up to this many, unless more are needed


@dataclass(frozen=True)
class Scale:
    """The numbers shown together (a ranking, a threshold and the values checked against it), sorted, distinct."""

    values: tuple[Decimal, ...]


def scale(values: Iterable[float]) -> Scale:
    """The numbers of one table or document, so that each is shown with enough decimals to tell it from the others."""
    return Scale(tuple(sorted({_given(v) for v in values})))


def _given(value: float) -> Decimal:
    """The number as it was written: 91.504 stays 91.504 (the shortest repr), not its binary expansion."""
    return Decimal(repr(float(value)))


def _decimals(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return max(0, -int(exponent))


def _rounded(number: Decimal, decimals: int) -> Decimal:
    return number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def decimals(value: float, among: Scale | Iterable[float] = ()) -> int:
    """How many decimals `value` is shown with: those it was given, at most 2, and more while it would read the
    same as a different number of `among` (89.999 beside 90 → 3; 91.504 beside 91.501 → 3)."""
    given = _given(value)
    values = (among if isinstance(among, Scale) else scale(among)).values
    at = bisect_left(values, given)
    neighbours = [values[i] for i in (at - 1, at, at + 1) if 0 <= i < len(values) and values[i] != given]
    have = _decimals(given)
    shown = min(have, DECIMALS)
    while shown < have and any(_rounded(given, shown) == _rounded(n, shown) for n in neighbours):
        shown += 1
    return shown


def number(value: float, among: Scale | Iterable[float] = (), *, full: bool = False) -> str:
    """`91,5`, `91,50`, `91,504`: the Vietnamese decimal comma, with the decimals of `decimals` (or, `full`, every
    decimal it was given: what a person typed, echoed in an error)."""
    given = _given(value)
    return f"{given.normalize() if full else _rounded(given, decimals(value, among)):f}".replace(".", ",")


def percent(value: float, among: Scale | Iterable[float] = ()) -> str:
    """`92,5%`: a PAR INDEX (or any percentage) as a council reads it, never equal in print to a different number
    of `among` — the other values of its table, the threshold it is checked against."""
    return number(value, among) + "%"


def clock_date(local: datetime) -> str:
    """`14:05, Thứ Ba, 25/11/2025`: a local (Vietnam) time, as a receipt states it."""
    return f"{local:%H:%M}, {long_date(local.date())}"


def file_size(size: int) -> str:
    """`1,2 MB`, `350 KB`: a file's size the Vietnamese way."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f}".removesuffix(".0").replace(".", ",") + " MB"
    return f"{max(size // 1000, 1)} KB"


ROLL = {
    "next_working_day": "chuyển sang ngày làm việc tiếp theo (Điều 148 Bộ luật Dân sự 2015)",
    "previous_working_day": "đưa về ngày làm việc liền trước để bảo đảm đủ thời hạn",
    "none": "giữ nguyên ngày, không chuyển",
}

NOMINEE = {"collective": "tập thể", "individual": "cá nhân"}

BASIS = {
    "par_index": "Chỉ số CCHC",
    "council_score": "điểm bình xét",
    "council_order": "thứ tự bình xét của Hội đồng",
}

CERTIFICATE = {"bang_khen": "Bằng khen", "giay_khen": "Giấy khen"}
"""The award forms printed as certificates (a flag is not), by the title printed on them."""

ACTION = {"choose": "chọn khi đồng hạng", "add": "bổ sung vào danh sách", "withdraw": "rút khỏi danh sách"}

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
    "chosen": "đồng hạng, được Hội đồng chọn",
    "not_chosen": "đồng hạng, Hội đồng không chọn",
    "added": "Hội đồng bổ sung",
    "withdrawn": "Hội đồng rút khỏi danh sách",
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
    "document_rejected": "Báo tài liệu bị trả lại",
}

AUDIT_ACTION = {
    "upload": "nộp tệp",
    "receive": "ghi nhận đã nhận",
    "register": "đăng ký thi đua",
    "nominate": "đề nghị cá nhân",
    "accept": "chấp nhận tài liệu",
    "reject": "trả lại tài liệu",
    "revoke": "thu hồi đường dẫn",
    "download": "tải tệp",
}

DOCUMENT_STATUS = {"received": "đã nhận, chờ xem xét", "accepted": "đã chấp nhận", "rejected": "bị trả lại"}

FLOW = {
    "notify": "thông báo, nhắc hạn và báo cáo chậm nộp",
    "appraisal": "thẩm định",
    "annual_review": "tổng kết năm",
    "phase_summary": "sơ kết giai đoạn",
}

RESULT = {  # what a line of the daily summary is about (also the Prefect tag of a cycle flow's runs)
    "notify": "nhắc hạn",
    "appraisal": "thẩm định",
    "annual_review": "tổng kết năm",
    "phase_summary": "sơ kết giai đoạn",
    "outbox": "hộp thư đi",
    "guidance": "chờ hướng dẫn",
    "plans": "tệp kế hoạch",
}


def result_heading(result: dict[str, object]) -> str:
    """`Lộc Ninh 2025 · nhắc hạn`, or `loc-ninh-2024-2025 · 2025 · nhắc hạn` without a plan name, for a flow's result."""
    what = RESULT.get(str(result["flow"]), str(result["flow"]))
    name = result.get("title") or f"{result['plan']} · {result['year']}"
    return f"{name} · {what}"


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
    "ECONNREFUSED": "máy chủ từ chối kết nối (không có dịch vụ nào nghe ở cổng này)",
    "ECONNRESET": "máy chủ đóng kết nối giữa chừng",
    "ETIMEDOUT": "quá thời gian chờ kết nối",
    "EHOSTUNREACH": "không tới được máy chủ (mạng)",
    "ENETUNREACH": "không tới được mạng của máy chủ",
}
"""The operating system's errors by errno name (`errno.errorcode`), as a file or network operation reports them."""


def os_error(code: str | None, fallback: str) -> str:
    """The reason of an OS error in Vietnamese (`EACCES` → `không có quyền truy cập`), or `fallback` in brackets."""
    return OS_ERRORS.get(code or "", f"lỗi hệ thống ({fallback})")


def os_reason(error: BaseException) -> str | None:
    """The Vietnamese reason of the first OS error with an errno in `error` or what caused it (a library's connection
    error wraps the system's `ECONNREFUSED`), if there is one."""
    link: BaseException | None = error
    while link is not None:
        if isinstance(link, OSError) and link.errno:
            return os_error(errorcode.get(link.errno), str(link))
        link = link.__cause__ or link.__context__
    return None


def upper_first(value: str) -> str:
    """`value` with its first letter capitalised and the rest unchanged (Jinja's `capitalize` lowercases the rest)."""
    return value[:1].upper() + value[1:]


def lower_first(value: str) -> str:
    """`value` with its first letter in lower case, to sit inside a sentence (`Hồ sơ …` → `hồ sơ …`)."""
    return value[:1].lower() + value[1:]
