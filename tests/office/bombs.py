"""Zip bombs for the tests, small and fast to build: entries of spaces that deflate about 1000 to 1, and
archives whose directory lies about the sizes (patched after writing)."""

from __future__ import annotations

import io
import struct
import zipfile

from docx import Document
from openpyxl import Workbook

MB = 1024 * 1024


def xlsx_bytes(rows: list[list[object]] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows or [["统一社会信用代码", "年度"]]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx_bytes(text: str = "关于推动制造业高质量发展的实施方案") -> bytes:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def with_padding(archive: bytes, member: str, padding: int) -> bytes:
    """`archive` with `padding` spaces added to the end of `member` (streamed: memory stays small)."""
    source = zipfile.ZipFile(io.BytesIO(archive))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            with target.open(info.filename, "w", force_zip64=True) as handle:
                handle.write(source.read(info))
                if info.filename == member:
                    for _ in range(padding // MB):
                        handle.write(b" " * MB)
    return out.getvalue()


def with_sizes(archive: bytes, member: str, size: int) -> bytes:
    """`archive` whose local header and central directory both say `member` unpacks to `size` bytes
    (the data stay as they are). Only for archives without zip64 records."""
    data = bytearray(archive)
    name = member.encode()
    local = data.find(b"PK\x03\x04" + b"", 0)
    while local != -1:
        name_len = struct.unpack_from("<H", data, local + 26)[0]
        if data[local + 30 : local + 30 + name_len] == name:
            struct.pack_into("<I", data, local + 22, size)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_len] == name:
            struct.pack_into("<I", data, central + 24, size)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def xlsx_bomb(padding: int = 20 * MB) -> bytes:
    """A valid workbook whose sheet XML carries `padding` spaces: a few KB that unpack to megabytes."""
    return with_padding(xlsx_bytes(), "xl/worksheets/sheet1.xml", padding)


def docx_bomb(padding: int = 20 * MB) -> bytes:
    return with_padding(docx_bytes(), "word/document.xml", padding)


def lying_xlsx(padding: int = 20 * MB) -> bytes:
    """A workbook whose sheet unpacks to `padding` bytes more than its directory says (and whose stated
    ratio is harmless), so only inflating it shows the size."""
    plain = xlsx_bytes()
    stated = len(zipfile.ZipFile(io.BytesIO(plain)).read("xl/worksheets/sheet1.xml"))
    source = zipfile.ZipFile(io.BytesIO(plain))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            with target.open(info.filename, "w") as handle:
                handle.write(source.read(info))
                if info.filename == "xl/worksheets/sheet1.xml":
                    for _ in range(padding // MB):
                        handle.write(b" " * MB)
    return with_sizes(out.getvalue(), "xl/worksheets/sheet1.xml", stated)


LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    + "]>\n"
)


def with_member(archive: bytes, member: str, content: bytes) -> bytes:
    """`archive` with `member` replaced by `content`."""
    source = zipfile.ZipFile(io.BytesIO(archive))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == member else source.read(info))
    return out.getvalue()


def laughing_docx() -> bytes:
    """A .docx whose document XML defines the billion laughs and uses the last one in a paragraph."""
    document = zipfile.ZipFile(io.BytesIO(docx_bytes())).read("word/document.xml").decode()
    body = document[document.index("<w:document") :].replace(
        "关于推动制造业高质量发展的实施方案", "关于推动制造业高质量发展的实施方案&lol9;"
    )
    return with_member(
        docx_bytes(), "word/document.xml", (LAUGHS.replace("lolz", "w:document") + body).encode()
    )


def laughing_xlsx() -> bytes:
    """A .xlsx whose sheet XML defines the billion laughs and uses the last one in an inline string."""
    plain = xlsx_bytes([["统一社会信用代码", "年度"], ["x", 2024]])
    sheet = zipfile.ZipFile(io.BytesIO(plain)).read("xl/worksheets/sheet1.xml").decode()
    body = sheet[sheet.index("<worksheet") :]
    row = '<row r="3"><c r="A3" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData>'
    body = body.replace("</sheetData>", row, 1)
    return with_member(
        plain, "xl/worksheets/sheet1.xml", (LAUGHS.replace("lolz", "worksheet") + body).encode()
    )


def laughing_html() -> bytes:
    return (
        LAUGHS.replace("lolz", "html") + "<html><body><p>关于推动制造业高质量发展 &lol9;</p></body></html>"
    ).encode()


def zip64_end(entries: int) -> bytes:
    """Only the end of a zip64 archive that says it holds `entries` entries (the 16-bit count in the classic
    end record is 0xFFFF, the real one is in the zip64 end record)."""
    record = b"PK\x06\x06" + struct.pack("<QHHIIQQQQ", 44, 45, 45, 0, 0, entries, entries, 46 * entries, 0)
    locator = b"PK\x06\x07" + struct.pack("<IQI", 0, 0, 1)
    end = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return record + locator + end
