"""From a file to text: .txt in UTF-8/GB18030/GBK/Big5 (detected), .docx, .html (see `webpage`), .pdf with a
text layer (see `pdftext`) and .doc/.wps (converted by LibreOffice when installed, see `legacy`).

Unusable input (empty, binary, image-only PDF, damaged file) raises `InvalidInput` with a Chinese message.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from zhizao.errors import InvalidInput
from zhizao.office.archives import check_archive
from zhizao.plans.reading.legacy import LEGACY_SUFFIXES, to_docx
from zhizao.plans.reading.pdftext import paragraphs

_HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}


def decode_bytes(data: bytes) -> str:
    """Text from bytes in any common Chinese encoding; InvalidInput for binary data."""
    if not data.strip():
        raise InvalidInput("文件为空,没有可以读取的内容。")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:4096]:
        raise InvalidInput("文件是二进制数据,不是文本、Word、网页或 PDF 文件。")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InvalidInput("无法识别文件的文字编码(支持 UTF-8、GB18030/GBK 等)。")
    encoding = best.encoding
    if encoding.replace("_", "").lower() in {"gb2312", "gbk", "hz"}:
        encoding = "gb18030"  # the superset decodes what the narrower guess would reject
    return data.decode(encoding, errors="replace")


def _docx_text(data: bytes) -> str:
    from docx import Document
    from lxml.etree import XMLSyntaxError

    check_archive(data)  # before python-docx inflates anything: a zip bomb stops here
    try:
        # python-docx's parser leaves entities unresolved and libxml2 caps entity amplification, so an
        # entity bomb (billion laughs) ends here as a syntax error, in milliseconds
        document = Document(io.BytesIO(data))
        return "\n".join(_docx_lines(document))
    except (zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError) as exc:
        raise InvalidInput("Word 文件已损坏或不是 .docx 格式。") from exc


def _docx_lines(document: Any) -> Iterator[str]:
    from docx.table import Table

    for item in document.iter_inner_content():  # paragraphs and tables in document order
        if isinstance(item, Table):
            yield from (_docx_row(row) for row in item.rows)
        else:
            yield item.text


def _docx_row(row: object) -> str:
    """A table row as tab-separated cells; a cell merged across columns counts once, and a row that is one
    merged cell (a group row such as 一、工业经济运行) is a line of its own."""
    cells: list[str] = []
    seen: list[object] = []
    for cell in row.cells:  # type: ignore[attr-defined]
        if any(cell._tc is other for other in seen):
            continue
        seen.append(cell._tc)
        cells.append(cell.text.replace("\n", " ").strip())
    return cells[0] if len(cells) == 1 else "\t".join(cells)


def _html_text(data: bytes) -> str:
    from zhizao.plans.reading.webpage import page_text

    return page_text(decode_bytes(data))


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise InvalidInput("PDF 文件已损坏,无法读取。") from exc
    if not any(page.strip() for page in pages):
        raise InvalidInput("PDF 没有文字层(可能是扫描件或图片),请先做文字识别(OCR)再上传。")
    return paragraphs(pages)


def read_bytes(data: bytes, name: str = "") -> str:
    """Text of a file's bytes; `name` (its file name) helps choose the reader."""
    suffix = Path(name).suffix.lower()
    if not data:
        raise InvalidInput("文件为空,没有可以读取的内容。")
    if data.startswith(b"%PDF"):
        return _pdf_text(data)
    if data.startswith(b"PK\x03\x04"):
        if suffix in {".docx", ".docm"} or b"word/" in data[:2000] or suffix == "":
            return _docx_text(data)
        raise InvalidInput("不支持的压缩文件格式,请上传 .docx、.txt、.html 或 .pdf 文件。")
    if suffix in LEGACY_SUFFIXES or data.startswith(b"\xd0\xcf\x11\xe0"):
        return _docx_text(to_docx(data, suffix))  # .doc/.wps through LibreOffice, else a clear message
    if suffix in _HTML_SUFFIXES or data.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        return _html_text(data)
    return decode_bytes(data)  # .txt, or any other name whose content is text


def read_source(path: Path) -> str:
    """Text of the file at `path`."""
    if not path.exists() or not path.is_file():
        raise InvalidInput(f"找不到文件:{path}")
    return read_bytes(path.read_bytes(), path.name)
