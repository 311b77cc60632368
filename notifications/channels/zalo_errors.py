"""How each Zalo error code is handled. The ONE table of Zalo error numbers in the code base.

Sources are in `shared/ZALO.md`. Codes marked UNCONFIRMED there (the whole OA list, and every ZNS
code from -113 on) are UNCONFIRMED here too: verify them on developers.zalo.me before relying on
them. Only -100 … -112 are confirmed from zalo.cloud's ZNS error page. An unknown code is treated
as transient: retried with capped backoff and shown to the administrator — never dropped, never failed.
"""

from enum import StrEnum


class ZaloError(StrEnum):
    transient = "transient"  # retry with backoff
    token = "token"  # access token invalid/expired: refresh, then retry once
    quota = "quota"  # defer to the next day
    hours = "hours"  # outside sending hours: defer to the next morning
    recipient = "recipient"  # permanent for this recipient: fail, fall back to email
    config = "config"  # app, permission or template: stop the batch, alert the administrator


ZALO_ERRORS: dict[int, tuple[ZaloError, str]] = {
    # ZNS, confirmed (zalo.cloud/zns/guidelines/handle-error-code)
    -100: (ZaloError.transient, "lỗi không xác định, thử lại sau"),
    -101: (ZaloError.config, "ứng dụng không hợp lệ"),
    -102: (ZaloError.config, "ứng dụng không tồn tại"),
    -103: (ZaloError.config, "ứng dụng chưa được kích hoạt"),
    -104: (ZaloError.config, "app secret key không hợp lệ"),
    -105: (ZaloError.config, "ứng dụng chưa liên kết OA"),
    -106: (ZaloError.config, "phương thức không được hỗ trợ"),
    -107: (ZaloError.config, "message ID không hợp lệ"),
    -108: (ZaloError.recipient, "số điện thoại không hợp lệ"),
    -109: (ZaloError.config, "template ID không hợp lệ"),
    -110: (ZaloError.recipient, "phiên bản Zalo của người nhận không hỗ trợ"),
    -111: (ZaloError.config, "template data rỗng"),
    -112: (ZaloError.config, "template data không hợp lệ"),
    # ZNS, UNCONFIRMED numbers
    -114: (ZaloError.recipient, "người dùng không hoạt động hoặc từ chối nhận tin"),
    -115: (ZaloError.quota, "hết hạn mức hoặc số dư ZNS"),
    -117: (ZaloError.config, "OA/ứng dụng không có quyền dùng template"),
    -118: (ZaloError.recipient, "tài khoản Zalo không tồn tại"),
    -124: (ZaloError.token, "access token không hợp lệ"),
    -131: (ZaloError.config, "template chưa được duyệt"),
    -133: (ZaloError.hours, "ngoài khung giờ được gửi"),
    -139: (ZaloError.recipient, "người dùng từ chối nhận loại tin này"),
    -141: (ZaloError.recipient, "người dùng từ chối nhận tin từ OA"),
    -144: (ZaloError.quota, "OA đã hết hạn mức gửi trong ngày"),
    # OA API v3, all UNCONFIRMED
    -32: (ZaloError.transient, "vượt giới hạn tần suất gọi API"),
    -211: (ZaloError.quota, "hết hạn mức tin OA"),
    -213: (ZaloError.recipient, "người dùng chưa quan tâm OA"),
    -216: (ZaloError.token, "access token không hợp lệ"),
    -219: (ZaloError.config, "ứng dụng đã bị gỡ hoặc vô hiệu hóa"),
    -220: (ZaloError.token, "access token đã hết hạn hoặc bị thu hồi"),
    -221: (ZaloError.config, "tài khoản OA không hợp lệ"),
    -223: (ZaloError.config, "OA chưa cấp quyền API này"),
    -224: (ZaloError.config, "OA cần gói dịch vụ trả phí"),
    -227: (ZaloError.recipient, "người dùng bị khóa hoặc không hoạt động quá 45 ngày"),
    -230: (ZaloError.recipient, "người dùng không tương tác với OA trong 7 ngày qua"),
    -232: (ZaloError.recipient, "người dùng chưa tương tác hoặc tương tác đã hết hạn"),
    -234: (ZaloError.hours, "không được gửi tin trong khung 22:00–06:00"),
    -240: (ZaloError.config, "API gửi tin v2 đã ngừng hoạt động"),
    -244: (ZaloError.recipient, "người dùng đã chặn loại tin này từ OA"),
    -320: (ZaloError.config, "ứng dụng cần liên kết Zalo Cloud Account"),
    -321: (ZaloError.quota, "Zalo Cloud Account hết tiền"),
}


def classify(code: int) -> tuple[ZaloError, str]:
    """What to do with error `code`, and its meaning in Vietnamese."""
    return ZALO_ERRORS.get(code, (ZaloError.transient, "mã lỗi chưa biết"))
