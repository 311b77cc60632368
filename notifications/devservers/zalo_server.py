"""A local HTTP server that speaks the three Zalo endpoints we use, with switches to inject each error class.

Endpoints: `POST /v4/oa/access_token` (refresh; single-use refresh tokens, rotated on every call),
`POST /v3.0/oa/message/cs` (OA text to a follower), `POST /message/template` (ZNS). Point
`zalo_oauth_url`, `zalo_openapi_url` and `zalo_business_url` at `server.url`.

From code: `with ZaloServer(app_secret="s") as zalo: access, refresh = zalo.issue_tokens()`, then flip
switches on `zalo.faults`. As a process: `python -m notifications.devservers.zalo_server --port 0
--store DIR --app-secret S --template-id T` prints `ready 127.0.0.1:PORT` and a JSON line with a first
token pair; `POST /_control` (JSON of `Faults` fields) flips switches, `GET /_messages` lists what arrived.

The error numbers below are what the real API is reported to return; see `notifications/zalo_errors.py`.
"""

import argparse
import hashlib
import itertools
import json
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from notifications.devservers import LOOPBACK, RecordingServer, free_port, run_until_stopped
from notifications.render import ZNS_LINK, ZNS_PARAMETERS

STORE_FILE = "zalo.jsonl"
_PHONE = re.compile(r"84\d{9}")


@dataclass
class Faults:
    """Error switches; each applies to every request until switched off (except `fail_5xx`, a countdown)."""

    invalid_phones: set[str] = field(default_factory=set)  # ZNS -108
    non_followers: set[str] = field(default_factory=set)  # OA -213
    quota_exhausted: bool = False  # ZNS -144, OA -211
    outside_hours: bool = False  # ZNS -133, OA -234
    template_approved: bool = True  # ZNS -131 when False
    fail_5xx: int = 0  # the next N message requests answer HTTP 503
    token_5xx: int = 0  # the next N token refreshes answer HTTP 503 (the token endpoint is down)
    delay_s: float = 0.0  # every message request waits this long before answering


@dataclass(frozen=True)
class ZaloReceived:
    """One message the server accepted; `key` is the ZNS tracking_id, or a hash of recipient and text for OA."""

    path: str
    recipient: str
    key: str
    text: str | None
    template_id: str | None
    template_data: dict[str, str] | None
    message_id: str


class ZaloServer(RecordingServer):
    """The fake Zalo API on 127.0.0.1; thread-safe; records messages and token refreshes."""

    store_file = STORE_FILE

    def __init__(self, *, port: int = 0, app_secret: str = "dev-secret", template_ids: tuple[str, ...] = ("1001",), store: Path | None = None) -> None:
        super().__init__(store)
        self.port = port or free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
        self.app_secret = app_secret
        self.template_ids = set(template_ids)
        # what the approved template declares, name → required (the personal link is optional)
        self.template_parameters: dict[str, bool] = {name: True for name in ZNS_PARAMETERS} | {ZNS_LINK: False}
        self.faults = Faults()
        self.messages: list[ZaloReceived] = []
        self.refreshes: list[tuple[str, bool]] = []  # (refresh token presented, accepted)
        self.token_outages = 0  # refresh requests answered 503 (the token was not looked at)
        self._access: set[str] = set()
        self._refresh: set[str] = set()
        self._ids = itertools.count(1)
        self._lock = threading.RLock()
        self._httpd = ThreadingHTTPServer((LOOPBACK, self.port), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="zalo-server", daemon=True)

    def issue_tokens(self) -> tuple[str, str]:
        """A new valid (access token, refresh token) pair, as the one-off OA authorisation gives."""
        with self._lock:
            pair = (f"acc-{secrets.token_hex(12)}", f"ref-{secrets.token_hex(12)}")
            self._access.add(pair[0])
            self._refresh.add(pair[1])
            return pair

    def expire_access_tokens(self) -> None:
        """Every access token issued so far is rejected from now on (refresh tokens stay valid)."""
        with self._lock:
            self._access.clear()

    def reused_refresh_tokens(self) -> list[str]:
        """Refresh tokens presented more than once (must stay empty)."""
        with self._lock:
            counts: dict[str, int] = {}
            for token, _ in self.refreshes:
                counts[token] = counts.get(token, 0) + 1
        return [token for token, count in counts.items() if count > 1]

    def revoke_refresh_tokens(self) -> None:
        """Every refresh token issued so far is refused from now on (the OA withdrew its authorisation)."""
        with self._lock:
            self._refresh.clear()

    def _refresh_tokens(self, headers: Any, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            if self.faults.token_5xx > 0:
                self.faults.token_5xx -= 1
                self.token_outages += 1
                return 503, {"error": -1, "message": "Service unavailable"}
        if headers.get("secret_key") != self.app_secret:
            return 200, {"error": -14002, "error_name": "Invalid secret key"}  # simulated code
        token = form.get("refresh_token", "")
        with self._lock:
            ok = form.get("grant_type") == "refresh_token" and token in self._refresh
            self.refreshes.append((token, ok))
            if not ok:
                # simulated code; the presented token is echoed, as some APIs do, so masking is exercised
                return 200, {"error": -14014, "error_name": "Invalid refresh token", "error_description": f"{token} is invalid or used"}
            self._refresh.discard(token)
            access, refresh = self.issue_tokens()
        return 200, {"access_token": access, "refresh_token": refresh, "expires_in": "90000"}

    def _message(self, path: str, headers: Any, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        faults = self.faults
        if faults.delay_s:
            time.sleep(faults.delay_s)
        with self._lock:
            zns = path == "/message/template"
            if refusal := self._refusal(zns, headers):
                return refusal
            message_id = f"msg-{next(self._ids)}"
            accepted = self._zns(body, message_id) if zns else self._oa(body, message_id)
            if isinstance(accepted, dict):
                return 200, accepted
            received, data = accepted
            self.messages.append(received)
            self._write(asdict(received))
        return 200, {"error": 0, "message": "Success", "data": data}

    def _refusal(self, zns: bool, headers: Any) -> tuple[int, dict[str, Any]] | None:
        """The server-wide answer that refuses any message now (outage, token, quota, hours), if any."""
        faults = self.faults
        if faults.fail_5xx > 0:
            faults.fail_5xx -= 1
            return 503, {"error": -1, "message": "Service unavailable"}
        if headers.get("access_token") not in self._access:
            return 200, {"error": -124 if zns else -216, "message": "Access token is invalid"}
        if faults.quota_exhausted:
            return 200, {"error": -144 if zns else -211, "message": "Out of quota"}
        if faults.outside_hours:
            return 200, {"error": -133 if zns else -234, "message": "Outside allowed sending time"}
        return None

    def _zns(self, body: dict[str, Any], message_id: str) -> tuple[ZaloReceived, dict[str, Any]] | dict[str, Any]:
        """A ZNS template message, or the error body that refuses it."""
        phone = str(body.get("phone", ""))
        if not _PHONE.fullmatch(phone) or phone in self.faults.invalid_phones:
            return {"error": -108, "message": "Phone number invalid"}
        if str(body.get("template_id")) not in self.template_ids:
            return {"error": -109, "message": "Template ID invalid"}
        if not self.faults.template_approved:
            return {"error": -131, "message": "Template is not approved"}
        given, declared = set(body.get("template_data") or {}), self.template_parameters
        if given - set(declared) or {name for name, required in declared.items() if required} - given:
            return {"error": -112, "message": "Template data invalid"}
        received = ZaloReceived("/message/template", phone, str(body.get("tracking_id", "")), None, str(body["template_id"]), dict(body.get("template_data") or {}), message_id)
        quota = {"dailyQuota": "500", "remainingQuota": "499"}
        return received, {"msg_id": message_id, "sent_time": str(int(time.time() * 1000)), "quota": quota}

    def _oa(self, body: dict[str, Any], message_id: str) -> tuple[ZaloReceived, dict[str, Any]] | dict[str, Any]:
        """An OA consultation message to a follower, or the error body that refuses it."""
        user_id = str((body.get("recipient") or {}).get("user_id", ""))
        if not user_id or user_id in self.faults.non_followers:
            return {"error": -213, "message": "User has not followed the OA"}
        text = str((body.get("message") or {}).get("text", ""))
        key = hashlib.sha256(f"{user_id}\x1f{text}".encode()).hexdigest()[:32]
        received = ZaloReceived("/v3.0/oa/message/cs", f"user:{user_id}", key, text, None, None, message_id)
        return received, {"message_id": message_id, "user_id": user_id}

    def template_info(self, headers: Any, template_id: str) -> tuple[int, dict[str, Any]]:
        """`GET /template/info/v2`: a ZNS template's details (status ENABLE once approved)."""
        with self._lock:
            if headers.get("access_token") not in self._access:
                return 200, {"error": -124, "message": "Access token is invalid"}
        if template_id not in self.template_ids:
            return 200, {"error": -109, "message": "Template ID invalid"}
        status = "ENABLE" if self.faults.template_approved else "PENDING_REVIEW"
        params = [{"name": name, "require": True, "type": "STRING", "maxLength": 100, "minLength": 0, "acceptNull": False}
                  for name in self.template_parameters]  # fmt: skip
        for param in params:
            param["require"] = self.template_parameters[param["name"]]
        data = {"templateId": template_id, "templateName": "Nhắc hạn thi đua", "status": status, "listParams": params,
                "timeout": 7200000, "previewUrl": "", "templateQuality": "HIGH", "templateTag": "2", "price": "200"}  # fmt: skip
        return 200, {"error": 0, "message": "Success", "data": data}

    def control(self, switches: dict[str, Any]) -> None:
        """Set `Faults` fields by name (lists become sets), as `POST /_control` does."""
        names = {item.name for item in fields(Faults)}
        with self._lock:
            for name, value in switches.items():
                if name not in names:
                    raise KeyError(name)
                setattr(self.faults, name, set(value) if isinstance(value, list) else value)

    def _serve(self) -> None:
        self._thread.start()

    def _shutdown(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def _control(server: ZaloServer, path: str, headers: Any, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    server.control(body)
    return 200, {"error": 0}


def _new_tokens(server: ZaloServer, path: str, headers: Any, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    access, refresh = server.issue_tokens()
    return 200, {"access_token": access, "refresh_token": refresh, "expires_in": "90000"}


_POST_ROUTES: dict[str, Callable[[ZaloServer, str, Any, dict[str, Any]], tuple[int, dict[str, Any]]]] = {
    "/v3.0/oa/message/cs": ZaloServer._message,
    "/message/template": ZaloServer._message,
    "/_control": _control,
    "/_tokens": _new_tokens,
}


def _handler(server: ZaloServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep test and demo output clean
            pass

        def _reply(self, status: int, body: Any) -> None:
            raw = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path == "/_messages":
                with server._lock:
                    return self._reply(200, [asdict(message) for message in server.messages])
            if url.path == "/template/info/v2":
                template_id = parse_qs(url.query).get("template_id", [""])[0]
                return self._reply(*server.template_info(self.headers, template_id))
            self._reply(404, {"error": -404, "message": "Not found"})

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                if self.path == "/v4/oa/access_token":
                    form = {key: values[0] for key, values in parse_qs(raw.decode()).items()}
                    return self._reply(*server._refresh_tokens(self.headers, form))
                route = _POST_ROUTES.get(self.path)
                if route is not None:
                    return self._reply(*route(server, self.path, self.headers, json.loads(raw or b"{}")))
            except (ValueError, KeyError) as exc:
                return self._reply(400, {"error": -400, "message": f"Bad request: {exc}"})
            self._reply(404, {"error": -404, "message": "Not found"})

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description="Máy chủ Zalo giả lập trên 127.0.0.1 (OAuth v4, OA v3, ZNS).")
    parser.add_argument("--port", type=int, default=0, help="cổng; 0 = chọn cổng trống")
    parser.add_argument("--store", type=Path, help=f"thư mục ghi {STORE_FILE}")
    parser.add_argument("--app-secret", default="dev-secret")
    parser.add_argument("--template-id", action="append", default=None, help="template ZNS đã duyệt (lặp lại được)")
    args = parser.parse_args()
    zalo = ZaloServer(port=args.port, app_secret=args.app_secret, template_ids=tuple(args.template_id or ["1001"]), store=args.store)

    def first_tokens(_: object) -> str:
        access, refresh = zalo.issue_tokens()
        return json.dumps({"access_token": access, "refresh_token": refresh, "expires_in": "90000"})

    run_until_stopped(zalo, lambda _: f"ready {LOOPBACK}:{zalo.port}", first_tokens)

if __name__ == "__main__":
    main()
