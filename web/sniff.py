"""What a file is, from its content (never its name): PDF, DOCX, XLSX, JPEG or PNG, or refused with the reason.

DOCX and XLSX are both ZIP files: they are told apart by the ZIP's entries and `[Content_Types].xml`,
read from the central directory only, so a ZIP bomb is refused before anything is decompressed.
"""

import zipfile
from dataclasses import dataclass
from pathlib import Path

MAX_MEMBERS = 2000
MAX_UNPACKED = 200 * 1024 * 1024  # declared uncompressed size of an office file's parts
MAX_CONTENT_TYPES = 256 * 1024
OFFICE = {
    "docx": ("word/document.xml", b"wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", b"spreadsheetml.sheet.main+xml"),
}
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "jpeg": "jpg", "png": "png"}
ACCEPTED = "PDF, Word (.docx), Excel (.xlsx), ảnh JPEG hoặc PNG"


@dataclass(frozen=True)
class Sniffed:
    """The type of a file (`pdf`, `docx`, `xlsx`, `jpeg`, `png`), or None with the reason it is refused."""

    kind: str | None
    reason: str = ""


def _office(path: Path) -> Sniffed:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED:
                return Sniffed(None, "tệp nén quá lớn khi giải nén")
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names or archive.getinfo("[Content_Types].xml").file_size > MAX_CONTENT_TYPES:
                return Sniffed(None, "tệp nén không phải tài liệu Word hay Excel")
            with archive.open("[Content_Types].xml") as part:
                types = part.read(MAX_CONTENT_TYPES + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError, RuntimeError, ValueError):
        return Sniffed(None, "tệp nén bị hỏng hoặc có mật khẩu")
    found = [kind for kind, (main, marker) in OFFICE.items() if main in names and marker in types]
    return Sniffed(found[0]) if len(found) == 1 else Sniffed(None, "tệp nén không phải tài liệu Word hay Excel")


def sniff(path: Path) -> Sniffed:
    """The type of the file at `path`, read from its first and last bytes and, for ZIPs, its entries."""
    with path.open("rb") as f:
        head = f.read(8)
        f.seek(0, 2)
        f.seek(max(f.tell() - 2048, 0))
        tail = f.read()
    if head.startswith(b"%PDF-"):
        return Sniffed("pdf") if b"%%EOF" in tail else Sniffed(None, "tệp PDF không trọn vẹn (bị cắt)")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("png")
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("jpeg")
    if head.startswith(b"PK\x03\x04"):
        return _office(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return Sniffed(None, "tệp Word/Excel định dạng cũ (.doc, .xls): hãy lưu lại dạng .docx hoặc .xlsx")
    return Sniffed(None, f"không phải {ACCEPTED}")
