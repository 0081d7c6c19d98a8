"""Render .docx files to PDF with LibreOffice and read back where each line of text landed (pdftotext
-bbox-layout): what the office program did with the layout, not what the XML asks for."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import require_tool

XHTML = "{http://www.w3.org/1999/xhtml}"
PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Line:
    text: str  # the words of the line, joined without spaces
    left: float  # points from the page's left edge
    top: float  # points from the page's top edge
    bottom: float


def render_pdf(documents: dict[str, bytes], tmp_path: Path) -> dict[str, Path]:
    """Each named .docx converted to PDF by one LibreOffice run; name -> the PDF."""
    soffice = shutil.which("soffice")
    require_tool(soffice is not None, "LibreOffice (soffice) is not installed (make office)")
    assert soffice is not None
    sources = []
    for name, data in documents.items():
        source = tmp_path / f"{name}.docx"
        source.write_bytes(data)
        sources.append(str(source))
    result = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *sources],
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    pdfs = {name: tmp_path / f"{name}.pdf" for name in documents}
    missing = [str(path) for path in pdfs.values() if not path.exists()]
    assert not missing, (missing, result.stderr)
    return pdfs


def page_lines(pdf: Path) -> list[list[Line]]:
    """The lines of each page, top to bottom."""
    pdftotext = shutil.which("pdftotext")
    require_tool(pdftotext is not None, "pdftotext is not installed (make office: poppler-utils)")
    assert pdftotext is not None
    xhtml = subprocess.run(
        [pdftotext, "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xhtml, count=1))
    pages = []
    for page in root.iter(f"{XHTML}page"):
        lines = [
            Line(
                "".join(word.text or "" for word in line.iter(f"{XHTML}word")),
                float(line.get("xMin", 0)),
                float(line.get("yMin", 0)),
                float(line.get("yMax", 0)),
            )
            for line in page.iter(f"{XHTML}line")
        ]
        pages.append(sorted(lines, key=lambda line: (line.top, line.left)))
    return pages
