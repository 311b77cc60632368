"""Receiving files without trusting the request: the body is parsed as it streams in (python-multipart), each
file written to a temporary file while its size is counted and its SHA-256 computed, and refused as soon as a
limit is passed; nothing is kept unless every file of the upload is accepted.

The form's guard field must come before the files: it is checked when the first file begins, so no byte
of a forged upload is stored.
"""

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_multipart.multipart import MultipartParseError, MultipartParser, parse_options_header
from starlette.requests import Request

from models.queries.portal import StoredFile
from thidua.words import file_size
from web.sniff import ACCEPTED, EXTENSIONS, sniff
from web.store import FileStore, display_name

FIELD_MAX = 4096  # bytes of a plain field (the guard token)
MAX_FILES = 20
SLACK = 64 * 1024  # what a form adds to the files' bytes (headers, boundaries)


class UploadRefused(Exception):
    """An upload refused as a whole, with the HTTP status and the reason in Vietnamese (naming the file)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass(frozen=True)
class Limits:
    per_file: int  # bytes
    total: int  # bytes this upload may add


@dataclass
class _File:
    name: str
    fd: int
    path: Path
    sha: Any = field(default_factory=hashlib.sha256)
    size: int = 0
    kind: str | None = None


class _Parts:
    """python-multipart's callbacks: fields into memory, files into temporary files, limits as bytes arrive."""

    def __init__(self, store: FileStore, limits: Limits, file_field: str, check: Callable[[dict[str, str]], None]) -> None:
        self.store, self.limits, self.file_field, self.check = store, limits, file_field, check
        self.fields: dict[str, str] = {}
        self.files: list[_File] = []
        self.total = 0
        self._checked = False
        self._reset()

    def _reset(self) -> None:
        self._headers: dict[bytes, bytes] = {}
        self._name, self._value = b"", b""
        self._header, self._header_value = b"", b""
        self._file: _File | None = None

    def callbacks(self) -> dict[str, Callable[..., None]]:
        return {
            "on_part_begin": self._reset,
            "on_header_field": lambda data, start, end: setattr(self, "_header", self._header + data[start:end]),
            "on_header_value": lambda data, start, end: setattr(self, "_header_value", self._header_value + data[start:end]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._data,
            "on_part_end": self._part_end,
        }

    def _header_end(self) -> None:
        self._headers[self._header.strip().lower()] = self._header_value.strip()
        self._header, self._header_value = b"", b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"")
        if b"filename" not in options:
            return
        if not self._checked:
            self.check(self.fields)
            self._checked = True
        if self._name.decode("utf-8", "replace") != self.file_field or len(self.files) >= MAX_FILES:
            raise UploadRefused(400, f"Biểu mẫu gửi quá nhiều tệp (tối đa {MAX_FILES} tệp một lần) hoặc sai trường tệp.")
        fd, path = self.store.incoming()
        self._file = _File(display_name(options[b"filename"].decode("utf-8", "replace")), fd, path)
        self.files.append(self._file)

    def _data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self._file is None:
            self._value += chunk
            if len(self._value) > FIELD_MAX:
                raise UploadRefused(400, "Biểu mẫu có trường quá dài.")
            return
        self._file.size += len(chunk)
        self.total += len(chunk)
        if self._file.size > self.limits.per_file:
            raise UploadRefused(413, f"Tệp «{self._file.name}» vượt quá {file_size(self.limits.per_file)} (giới hạn mỗi tệp).")
        if self.total > self.limits.total:
            raise UploadRefused(413, f"Tệp «{self._file.name}»: tổng dung lượng vượt quá phần còn lại của việc phải nộp ({file_size(self.limits.total)}).")
        self._file.sha.update(chunk)
        os.write(self._file.fd, chunk)

    def _part_end(self) -> None:
        if self._file is None:
            self.fields[self._name.decode("utf-8", "replace")] = self._value.decode("utf-8", "replace")
            return
        os.close(self._file.fd)
        self._file.fd = -1
        if self._file.size == 0:
            raise UploadRefused(400, f"Tệp «{self._file.name}» rỗng (0 byte) hoặc chưa chọn tệp nào.")
        found = sniff(self._file.path)
        if found.kind is None:
            raise UploadRefused(415, f"Tệp «{self._file.name}» không được nhận: {found.reason}. Chỉ nhận {ACCEPTED}.")
        self._file.kind = found.kind

    def discard(self) -> None:
        for f in self.files:
            if f.fd >= 0:
                os.close(f.fd)
            f.path.unlink(missing_ok=True)


async def receive_files(
    request: Request, store: FileStore, limits: Limits, file_field: str, check: Callable[[dict[str, str]], None]
) -> tuple[dict[str, str], list[StoredFile]]:
    """The plain fields and the files of a multipart upload, each file checked and stored; raises UploadRefused
    (nothing kept) when a limit is passed, a file is empty or not of an accepted type. `check(fields)` runs before
    the first file byte is stored and raises to refuse the upload."""
    _, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if not boundary:
        raise UploadRefused(400, "Yêu cầu không phải biểu mẫu gửi tệp (multipart/form-data).")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limits.total + SLACK:
        raise UploadRefused(413, f"Các tệp gửi lên vượt quá phần còn lại của việc phải nộp ({file_size(limits.total)}).")
    parts = _Parts(store, limits, file_field, check)
    parser = MultipartParser(boundary, parts.callbacks())
    try:
        try:
            async for chunk in request.stream():
                parser.write(chunk)
            parser.finalize()
        except MultipartParseError:
            raise UploadRefused(400, "Biểu mẫu gửi tệp bị hỏng; hãy tải lại trang và gửi lại.") from None
        if not parts.files:
            raise UploadRefused(400, "Chưa chọn tệp nào để nộp.")
        stored = [
            StoredFile(store.keep(f.path, f.sha.hexdigest(), EXTENSIONS[f.kind]), f.name, f.kind, f.size)
            for f in parts.files
            if f.kind is not None
        ]
    except BaseException:
        parts.discard()
        raise
    return parts.fields, stored
