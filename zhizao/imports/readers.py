"""Reading spreadsheets row by row, whatever the extension says.

The content decides the reader (magic bytes, not the file name):
- ZIP (`PK`) holding `xl/workbook.xml` → .xlsx/.xlsm, read with python-calamine; an OpenDocument
  spreadsheet likewise.
- OLE/CFB (`D0 CF 11 E0`) → either a legacy .xls (python-calamine reads it) or an encrypted .xlsx
  (Excel stores password-protected workbooks in a CFB container holding an `EncryptedPackage`): refused
  with 文件已加密.
- Anything else that is text → CSV, decoded as UTF-8 (with or without BOM), else GB18030 (a superset of
  GBK and GB2312, what Chinese Excel writes by default).

Cells come back as Python values: str, float, bool, date/datetime, or None for an empty cell. Formulas are
read as the value Excel last computed and stored with the file; a formula that was never computed (a file
written by a program and not opened in Excel since) has no value and is reported as an error
(`formula_cells_without_value`).
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from zhizao.errors import InvalidInput
from zhizao.office.archives import check_archive

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")

Cell = str | float | bool | date | datetime | None


class UnusableFile(InvalidInput):
    """The file cannot be read as a table at all (not a spreadsheet, encrypted, corrupt, no header).

    The CLI exits with status 2 for this, and 1 for ordinary validation errors."""


@dataclass
class Table:
    """Rows of one sheet. `rows()` can be called again (each call reads the file afresh)."""

    path: Path
    file_type: str  # xlsx | xls | ods | csv
    sheet_name: str = ""
    encoding: str = ""
    merged_ranges: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    _sheet_index: int = 0
    _delimiter: str = ","
    _loaded: Any = None

    def _sheet(self) -> Any:
        """The sheet, loaded once (calamine holds a sheet's cells in its own compact memory)."""
        if self._loaded is None:
            import python_calamine as pc

            workbook = pc.CalamineWorkbook.from_path(str(self.path))
            try:
                self._loaded = workbook.get_sheet_by_index(self._sheet_index)
            finally:
                workbook.close()
        return self._loaded

    def estimated_rows(self) -> int:
        """Rows in the sheet (workbooks) or lines in the file (CSV), for a progress bar."""
        if self.file_type == "csv":
            lines = 0
            with self.path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    lines += chunk.count(b"\n")
            return lines
        return int(self._sheet().height)

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        """(spreadsheet row number, 1-based; cells) for every row, empty rows included."""
        if self.file_type == "csv":
            yield from _csv_rows(self.path, self.encoding, self._delimiter)
        else:
            yield from _workbook_rows(self._sheet())


def sniff_type(path: Path) -> str:
    """xlsx | ods | xls | csv by content; raises UnusableFile for what is none of these."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
    except OSError as exc:
        raise UnusableFile(f"无法读取文件: {exc.strerror or exc}") from exc
    if not head:
        raise UnusableFile("文件为空")
    if head.startswith(ZIP_MAGIC):
        try:
            check_archive(path)  # before anything inflates an entry: a zip bomb stops here
        except InvalidInput as exc:
            raise UnusableFile(exc.message) from exc
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "xl/workbook.xml" in names:
                    return "xlsx"
                if "mimetype" in names and b"spreadsheet" in archive.read("mimetype"):
                    return "ods"
        except zipfile.BadZipFile as exc:
            raise UnusableFile("文件已损坏，无法作为Excel工作簿打开，请在Excel中重新保存后再导入") from exc
        raise UnusableFile("文件是压缩包而不是Excel工作簿 (.xlsx)")
    if head.startswith(CFB_MAGIC):
        if _ENCRYPTED_MARK in path.read_bytes():
            raise UnusableFile("文件已加密（设置了打开密码），请在Excel中取消密码后另存再导入")
        return "xls"
    if b"\x00" in head:
        raise UnusableFile("文件不是电子表格（既不是Excel工作簿，也不是CSV文本）")
    return "csv"


def open_table(path: Path) -> Table:
    """Open `path` as a table. For workbooks, the first visible sheet is used."""
    file_type = sniff_type(path)
    if file_type == "csv":
        encoding = detect_encoding(path)
        return Table(path, "csv", encoding=encoding, _delimiter=_delimiter(path, encoding))
    return _open_workbook(path, file_type)


def detect_encoding(path: Path) -> str:
    """utf-8-sig when the whole file decodes as UTF-8, else gb18030 (checked incrementally, flat memory)."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise UnusableFile("无法识别文件编码，请另存为UTF-8或GBK编码的CSV")


def _delimiter(path: Path, encoding: str) -> str:
    with path.open(encoding=encoding, newline="") as handle:
        first = handle.readline()
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(path: Path, encoding: str, delimiter: str) -> Iterator[tuple[int, list[Cell]]]:
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            for number, row in enumerate(reader, start=1):
                yield number, [cell if cell.strip() != "" else None for cell in row]
        except csv.Error as exc:
            raise UnusableFile(f"CSV格式错误: {exc}") from exc


def _open_workbook(path: Path, file_type: str) -> Table:
    import python_calamine as pc

    try:
        workbook = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError as exc:
        raise UnusableFile("文件已加密（设置了打开密码），请在Excel中取消密码后另存再导入") from exc
    except Exception as exc:  # calamine raises several error types for damaged files
        raise UnusableFile("文件已损坏，无法作为Excel工作簿打开，请在Excel中重新保存后再导入") from exc
    try:
        for index, meta in enumerate(workbook.sheets_metadata):
            if str(meta.visible).endswith("Visible") and str(meta.typ).endswith("WorkSheet"):
                sheet = workbook.get_sheet_by_index(index)
                merged = [(start, end) for start, end in (sheet.merged_cell_ranges or [])]
                return Table(
                    path,
                    file_type,
                    sheet_name=meta.name,
                    merged_ranges=merged,
                    _sheet_index=index,
                    _loaded=sheet,
                )
    except Exception as exc:
        raise UnusableFile("文件已损坏，无法读取工作表") from exc
    finally:
        workbook.close()
    raise UnusableFile("工作簿中没有可见的工作表")


def _workbook_rows(sheet: Any) -> Iterator[tuple[int, list[Cell]]]:
    first_row, first_col = sheet.start or (0, 0)
    pad: list[Cell] = [None] * first_col
    plain = _PLAIN
    for offset, row in enumerate(sheet.iter_rows()):
        yield first_row + offset + 1, pad + [v if type(v) in plain else _cell(v) for v in row]


_PLAIN = frozenset({float, int, bool, date, datetime})  # returned as they are; str ("" → None), time: _cell


def _cell(value: Any) -> Cell:
    if value == "" or value is None:
        return None
    if isinstance(value, time | timedelta):
        return str(value)
    return value


_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


def formula_cells_without_value(path: Path, sheet_name: str) -> list[str]:
    """Cell references (e.g. "C5") of formulas with no stored result in an .xlsx sheet.

    A quick byte scan first: most files have no formulas at all and are not parsed further."""
    from xml.etree.ElementTree import iterparse

    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        return []
    with archive:
        member = _sheet_member(archive, sheet_name)
        if member is None:
            return []
        with archive.open(member) as handle:
            tail = b""
            found = False
            while chunk := handle.read(1 << 20):
                if _FORMULA.search(tail + chunk):
                    found = True
                    break
                tail = chunk[-8:]
        if not found:
            return []
        missing: list[str] = []
        with archive.open(member) as handle:
            for _event, element in iterparse(handle):
                if element.tag.endswith("}c"):
                    has_formula = any(child.tag.endswith("}f") for child in element)
                    value = next((c for c in element if c.tag.endswith("}v") or c.tag.endswith("}is")), None)
                    if has_formula and (value is None or ((value.text or "") == "" and not len(value))):
                        missing.append(element.get("r", "?"))
                    element.clear()
        return missing


def _sheet_member(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    from xml.etree.ElementTree import fromstring

    try:
        workbook = fromstring(archive.read("xl/workbook.xml"))
        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, SyntaxError):
        return None
    rel_id = None
    for element in workbook.iter():
        if element.tag.endswith("}sheet") and element.get("name") == sheet_name:
            rel_id = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
    for element in rels.iter():
        if element.get("Id") == rel_id:
            target = element.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    return None
