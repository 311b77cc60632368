"""Small real files of each type the unit portal accepts (PDF, DOCX, XLSX, PNG), for the demo, the benchmark and
the tests; a PDF can be padded to a given size (comment lines after its end, as an incremental update would)."""

import io
import zlib
from pathlib import Path


def sample_pdf(title: str, size: int = 0) -> bytes:
    """A one-page PDF showing `title` (ASCII letters shown, others replaced), at least `size` bytes long."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    if size > len(out):
        line = b"%" + b"x" * 126 + b"\n"
        padding = line * ((size - len(out)) // len(line) + 1)
        out += padding + b"%%EOF\n"
    return bytes(out)


def sample_docx(title: str) -> bytes:
    """A Word document with `title` as its only paragraph."""
    from docx import Document

    document = Document()
    document.add_paragraph(title)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def sample_xlsx(title: str) -> bytes:
    """An Excel workbook with `title` in A1."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = title  # type: ignore[index]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sample_png(width: int = 8, height: int = 8) -> bytes:
    """A grey PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    pixels = zlib.compress(b"".join(b"\x00" + b"\x80" * width for _ in range(height)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def write_sample(folder: Path, name: str, content: bytes) -> Path:
    """Write `content` to `folder/name` (the name may be Vietnamese); returns the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return path
