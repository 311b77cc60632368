"""scripts/sample_documents.py, which docs/appraisal.md tells readers to run, still writes its documents.

It builds appraisals from the pure core and writes them with `documents/` (no database, no LibreOffice); an
API it uses that moves must fail here rather than in a reader's terminal.
"""

import runpy
import sys
from pathlib import Path

import pytest
from docx import Document

SCRIPT = Path(__file__).parents[1] / "scripts" / "sample_documents.py"


def text_of(path: Path) -> str:
    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_sample_documents_script_writes_the_documents_the_appraisal_guide_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", [str(SCRIPT), str(tmp_path)])
    runpy.run_path(str(SCRIPT), run_name="__main__")

    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.docx"))
    assert written == [
        "loc-ninh/after/giay-khen-loc-ninh-2024-2025-2024.docx",
        "loc-ninh/after/quyet-dinh-loc-ninh-2024-2025-2024.docx",
        "loc-ninh/after/to-trinh-loc-ninh-2024-2025-2024.docx",
        "loc-ninh/before/to-trinh-loc-ninh-2024-2025-2024.docx",
        "mo-lao/giay-khen-mo-lao-2023-2023.docx",
        "mo-lao/quyet-dinh-mo-lao-2023-2023.docx",
        "mo-lao/to-trinh-mo-lao-2023-2023.docx",
    ]
    assert capsys.readouterr().out.splitlines() == [str(tmp_path / p) for p in written]
    # before the council: the sixth seat is tied between two units (91,501 each), the tờ trình says so
    before = text_of(tmp_path / "loc-ninh/before/to-trinh-loc-ninh-2024-2025-2024.docx")
    assert "2 tập thể đồng hạng ở vị trí cuối, chờ Hội đồng quyết định chọn 1" in before
    assert "Phòng Văn hóa và Thông tin, Phòng Tài chính - Kế hoạch (cùng Chỉ số CCHC 91,501%)" in before
    # after: the council chose u7, who gets the sixth Giấy khen; u6 gets none
    certificates = text_of(tmp_path / "loc-ninh/after/giay-khen-loc-ninh-2024-2025-2024.docx")
    assert certificates.count("GIẤY KHEN") == 6
    assert "Phòng Tài chính - Kế hoạch" in certificates and "Phòng Văn hóa và Thông tin" not in certificates
    # Mộ Lao: collectives and individuals on the council's order; the council chose Lý Thị Oanh over Cao Thị Mai
    mo_lao = text_of(tmp_path / "mo-lao/giay-khen-mo-lao-2023-2023.docx")
    assert "Lý Thị Oanh" in mo_lao and "Đinh Văn Nam" in mo_lao and "Cao Thị Mai" not in mo_lao
