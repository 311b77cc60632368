"""Render .docx files to PDF and PNG pages with LibreOffice headless and pdftoppm, to look at a layout.

    .venv/bin/python scripts/render_docx.py out/to-trinh.docx [more.docx ...] [--out DIR] [--dpi 80]

Writes DIR/<name>.pdf and DIR/<name>-<page>.png (DIR defaults to each file's folder) and prints the PNG paths.
Times New Roman is not free software: Liberation Serif (Debian package fonts-liberation2) has the same metrics
and the Vietnamese letters, and fontconfig substitutes it, so lines break where they would in Word.
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

INSTALL = "sudo apt-get install -y libreoffice-writer-nogui poppler-utils fonts-liberation2"
SERIF = ("Times New Roman", "Liberation Serif", "Tinos")  # Times New Roman and its metric-compatible twins


def fail(message: str) -> NoReturn:
    print(f"Lỗi: {message}", file=sys.stderr)
    sys.exit(1)


def check_tools() -> str:
    """The soffice command; exits with a message naming the Debian packages when a tool or the font is missing."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        fail(f"không tìm thấy LibreOffice (lệnh soffice). Trên Debian 12, cài bằng:\n  {INSTALL}")
    if shutil.which("pdftoppm") is None:
        fail(f"không tìm thấy pdftoppm (gói poppler-utils). Trên Debian 12, cài bằng:\n  {INSTALL}")
    if shutil.which("fc-list") is None:
        print("Cảnh báo: không có fc-list (gói fontconfig) nên không kiểm tra được phông chữ.", file=sys.stderr)
        return soffice
    families = subprocess.run(["fc-list", ":lang=vi", "family"], capture_output=True, text=True).stdout
    if not any(name in families for name in SERIF):
        fail(
            "không có phông Times New Roman hay phông cùng kích thước (Liberation Serif) hỗ trợ tiếng Việt; "
            f"dòng chữ sẽ xuống dòng khác với Word. Trên Debian 12, cài bằng:\n  {INSTALL}"
        )
    return soffice


def render(soffice: str, docx: Path, out: Path, dpi: int) -> list[Path]:
    """`docx` → `out/<stem>.pdf` → `out/<stem>-<page>.png`; returns the PNG paths in page order."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:  # a private profile: no clash with a LibreOffice already open
        done = subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(out), str(docx)],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    pdf = out / f"{docx.stem}.pdf"
    if done.returncode != 0 or not pdf.exists():
        fail(f"LibreOffice không chuyển được {docx} sang PDF (mã {done.returncode}): {done.stderr.strip()}")
    for old in pages(out, docx.stem):
        old.unlink()
    done = subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(out / docx.stem)], capture_output=True, text=True)
    if done.returncode != 0:
        fail(f"pdftoppm không tạo được ảnh từ {pdf}: {done.stderr.strip()}")
    return pages(out, docx.stem)


def pages(out: Path, stem: str) -> list[Path]:
    """`out/<stem>-<n>.png` in page order (not the pages of another file whose name starts with `stem-`)."""
    found = (re.fullmatch(rf"{re.escape(stem)}-(\d+)\.png", p.name) for p in out.iterdir())
    return [out / m.group(0) for m in sorted((m for m in found if m), key=lambda m: int(m.group(1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description="Chuyển tệp .docx sang PDF và ảnh PNG từng trang bằng LibreOffice.")
    parser.add_argument("docx", nargs="+", type=Path, help="tệp .docx cần chuyển")
    parser.add_argument("--out", type=Path, help="thư mục ghi PDF và PNG (mặc định: thư mục của từng tệp)")
    parser.add_argument("--dpi", type=int, default=80, help="độ phân giải ảnh PNG (mặc định 80)")
    args = parser.parse_args()
    for docx in args.docx:
        if not docx.is_file():
            fail(f"không có tệp {docx}")
    soffice = check_tools()
    for docx in args.docx:
        for png in render(soffice, docx.resolve(), (args.out or docx.parent).resolve(), args.dpi):
            print(png)


if __name__ == "__main__":
    main()
