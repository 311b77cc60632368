"""Forms without JavaScript, protected against cross-site forgery: a signed hidden token bound to who is acting
(a unit's link, an administrator's session) and to the form's purpose, valid for 6 hours; and the browser's
`Sec-Fetch-Site` / `Origin` must name this site. Small forms are read with a size limit.
"""

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from hmac import compare_digest
from urllib.parse import parse_qsl, urlsplit

from itsdangerous import BadData, SignatureExpired, TimestampSigner
from starlette.requests import Request

FORM_SALT = "thidua.form.v1"
FORM_AGE_S = 6 * 3600
FORM_MAX = 64 * 1024
GUARD_FIELD = "bao_ve"  # the hidden field, first in every form


class FormRefused(Exception):
    """A form refused before anything is done, with the reason in Vietnamese."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _bound(who: str) -> str:
    return hashlib.sha256(who.encode()).hexdigest()[:24]


class FormGuard:
    """Makes and checks the hidden tokens of forms: `<who>|<purpose>|<nonce>` with a timestamp and an HMAC
    (itsdangerous' TimestampSigner, SHA-256), `who` as a digest."""

    def __init__(self, keys: Sequence[bytes]) -> None:
        self._signer = TimestampSigner(list(keys), salt=FORM_SALT, digest_method=hashlib.sha256)

    def token(self, who: str, purpose: str) -> str:
        """The token of a form `purpose` shown to `who` (a link's identity, an administrator's session)."""
        return self._signer.sign(f"{_bound(who)}|{purpose}|{secrets.token_urlsafe(6)}").decode()

    def check(self, who: str, purpose: str, token: str | None) -> None:
        """Raise FormRefused unless `token` was made for `who` and `purpose` in the last 6 hours."""
        if not token:
            raise FormRefused(403, "Biểu mẫu thiếu mã bảo vệ. Hãy mở lại trang và gửi lại.")
        try:
            value = self._signer.unsign(token, max_age=FORM_AGE_S).decode()
        except SignatureExpired:
            raise FormRefused(403, "Biểu mẫu đã mở quá 6 giờ. Hãy tải lại trang rồi gửi lại.") from None
        except (BadData, ValueError, UnicodeDecodeError):
            raise FormRefused(403, "Mã bảo vệ biểu mẫu không hợp lệ. Hãy mở lại trang và gửi lại.") from None
        bound, _, rest = value.partition("|")
        made_for = rest.rpartition("|")[0]
        if not (compare_digest(bound, _bound(who)) and made_for == purpose):
            raise FormRefused(403, "Mã bảo vệ biểu mẫu không dùng được cho biểu mẫu này. Hãy mở lại trang và gửi lại.")


def check_origin(request: Request, public_url: str | None) -> None:
    """Raise FormRefused when the browser says the form was posted from another site."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        raise FormRefused(403, "Biểu mẫu được gửi từ một trang khác, không được nhận.")
    origin = request.headers.get("origin")
    if origin is None or fetch_site is not None:
        return
    own = urlsplit(public_url or str(request.base_url))
    if origin.rstrip("/") != f"{own.scheme}://{own.netloc}" and origin != f"{request.url.scheme}://{request.url.netloc}":
        raise FormRefused(403, "Biểu mẫu được gửi từ một trang khác, không được nhận.")


async def read_form(request: Request) -> Mapping[str, list[str]]:
    """The fields of a small URL-encoded form (each name to its values in order); FormRefused past 64 KB."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > FORM_MAX:
            raise FormRefused(413, "Biểu mẫu quá lớn.")
    fields: dict[str, list[str]] = {}
    for name, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        fields.setdefault(name, []).append(value)
    return fields


def first(fields: Mapping[str, list[str]], name: str) -> str:
    """The first value of field `name` ('' if none)."""
    return (fields.get(name) or [""])[0]
