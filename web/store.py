"""The uploads folder: files stored under the SHA-256 of their content, so no name a unit sends reaches the disk.

A file being received goes to `.incoming/` first; once the whole upload is accepted it moves to
`<first two hex digits>/<sha256>.<ext>` (the same content keeps the same name: storing it twice is harmless).
"""

import os
import re
import tempfile
import unicodedata
from pathlib import Path

STORED_NAME = re.compile(r"^[0-9a-f]{64}\.(pdf|docx|xlsx|jpg|png)$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
NAME_MAX = 150


def display_name(raw: str) -> str:
    """The name a unit's device gave a file, safe to show: NFC, without a folder or control characters, ≤ 150
    characters (the extension kept)."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(_CONTROL.sub(" ", name).split())
    if len(name) > NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        name = stem[: NAME_MAX - len(ext) - 1] + dot + ext if dot and len(ext) <= 8 else name[:NAME_MAX]
    return name or "tệp"


class FileStore:
    """The uploads folder of this installation."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._incoming = root / ".incoming"
        self._incoming.mkdir(parents=True, exist_ok=True)

    def incoming(self) -> tuple[int, Path]:
        """A new temporary file for a file being received (descriptor, path)."""
        fd, name = tempfile.mkstemp(dir=self._incoming, prefix=".part-")
        return fd, Path(name)

    def keep(self, temporary: Path, digest: str, extension: str) -> str:
        """Move a received file to its content-derived name; returns that name."""
        name = f"{digest}.{extension}"
        target = self.path(name)
        target.parent.mkdir(exist_ok=True)
        os.replace(temporary, target)
        return name

    def path(self, stored_name: str) -> Path:
        """Where a stored file is; ValueError for anything that is not a content-derived name."""
        if not STORED_NAME.match(stored_name):
            raise ValueError(f"không phải tên tệp đã lưu: {stored_name!r}")
        return self.root / stored_name[:2] / stored_name
