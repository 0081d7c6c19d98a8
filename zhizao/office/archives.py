"""The check every reader of a zip-based file (.xlsx, .ods, .docx) calls before it opens one.

A zip bomb is a small file that unpacks to gigabytes: a sheet XML of a billion spaces deflates 1000 to 1.
`check_archive` refuses one from the archive's own directory (entry count, total unpacked size, the ratio
of the whole file and of each large entry) and then, because the directory can lie, inflates every entry
with a cap of the size it states (+1 byte): an entry that turns out longer is refused too. Memory stays
flat (1 MB chunks) and the work is bounded by the limits, whatever the file holds.

The limits are settings (`ZHIZAO_ARCHIVE_MAX_*`, docs/settings.md); a refusal is an `InvalidInput` with the
numbers, so the web shows it on the form and the CLI prints it.
"""

from __future__ import annotations

import copy
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from zhizao.config import get_settings
from zhizao.errors import InvalidInput

_END_SEARCH = 22 + 65_535  # the end record and the longest comment it may carry
_ENTRY_BYTES = 300  # directory bytes allowed per entry: a 46-byte record, a name, extra fields
RATIO_FLOOR = 1024 * 1024  # an entry that unpacks to less cannot hurt, whatever its ratio
_CHUNK = 1024 * 1024
BOMB = "文件解压后过大，疑似压缩炸弹，已拒绝"


@dataclass(frozen=True)
class ArchiveLimits:
    max_entries: int = 10_000
    max_unpacked_bytes: int = 500 * 1024 * 1024
    max_ratio: int = 100

    @classmethod
    def from_settings(cls) -> ArchiveLimits:
        settings = get_settings()
        return cls(
            settings.archive_max_entries, settings.archive_max_unpacked_bytes, settings.archive_max_ratio
        )


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.1f} KB"


def check_archive(source: Path | bytes, limits: ArchiveLimits | None = None) -> None:
    """Refuse (InvalidInput) a zip-based file that holds too many entries or unpacks too far.

    A file that is not a zip archive at all passes: telling a damaged file apart is the reader's job."""
    limits = limits or ArchiveLimits.from_settings()
    packed = len(source) if isinstance(source, bytes) else source.stat().st_size
    with io.BytesIO(source) if isinstance(source, bytes) else source.open("rb") as raw:
        _check_end_record(raw, limits)
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        archive = zipfile.ZipFile(handle)
    except zipfile.BadZipFile:
        return
    with archive:
        entries = archive.infolist()
        _check_directory(entries, packed, limits)
        try:
            for entry in entries:
                _check_entry_size(archive, entry)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            raise InvalidInput("压缩文件已损坏，无法读取") from exc


def _check_end_record(raw: BinaryIO, limits: ArchiveLimits) -> None:
    """Entry count and directory size from the end record, before the directory itself is parsed (a
    million tiny entries would cost hundreds of MB of parsed entries)."""
    raw.seek(0, io.SEEK_END)
    size = raw.tell()
    raw.seek(max(0, size - _END_SEARCH))
    tail = raw.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return  # not a zip archive: the reader's to refuse
    entries, directory = struct.unpack_from("<HI", tail, at + 10)
    if at >= 20 and tail[at - 20 : at - 16] == b"PK\x06\x07":  # zip64: the real numbers are elsewhere
        raw.seek(struct.unpack_from("<Q", tail, at - 12)[0])
        record = raw.read(56)
        if len(record) == 56 and record[:4] == b"PK\x06\x06":
            entries, directory = struct.unpack_from("<QQ", record, 32)
    if entries > limits.max_entries:
        raise InvalidInput(f"{BOMB}：压缩包内有 {entries} 个条目（上限 {limits.max_entries}）")
    if directory > limits.max_entries * _ENTRY_BYTES:
        raise InvalidInput(f"{BOMB}：压缩包目录有 {_mb(directory)}，条目过多（上限 {limits.max_entries} 个）")


def _check_directory(entries: list[zipfile.ZipInfo], packed: int, limits: ArchiveLimits) -> None:
    if len(entries) > limits.max_entries:
        raise InvalidInput(f"{BOMB}：压缩包内有 {len(entries)} 个条目（上限 {limits.max_entries}）")
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > limits.max_unpacked_bytes:
        raise InvalidInput(
            f"{BOMB}：{_mb(packed)} 的文件解压后为 {_mb(unpacked)}（上限 {_mb(limits.max_unpacked_bytes)}）"
        )
    if unpacked > RATIO_FLOOR and unpacked > packed * limits.max_ratio:
        raise InvalidInput(
            f"{BOMB}：{_mb(packed)} 的文件解压后为 {_mb(unpacked)}，"
            f"压缩比 {unpacked // max(packed, 1)}:1（上限 {limits.max_ratio}:1）"
        )
    for entry in entries:
        if entry.file_size > RATIO_FLOOR and entry.file_size > entry.compress_size * limits.max_ratio:
            raise InvalidInput(
                f"{BOMB}：条目 {entry.filename[:80]} 压缩后 {_mb(entry.compress_size)}，"
                f"解压后 {_mb(entry.file_size)}，压缩比 {entry.file_size // max(entry.compress_size, 1)}:1"
                f"（上限 {limits.max_ratio}:1）"
            )


def _check_entry_size(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    """Inflate `entry` up to one byte past the size its directory states; more bytes mean a lie."""
    if entry.is_dir() or entry.flag_bits & 0x1:  # encrypted entries are the reader's to refuse
        return
    probe = copy.copy(entry)
    probe.file_size = entry.file_size + 1
    probe.CRC = None  # type: ignore[assignment]  # no checksum: the stream stops at the cap, not at its end
    seen = 0
    with archive.open(probe) as stream:
        while chunk := stream.read(_CHUNK):
            seen += len(chunk)
            if seen > entry.file_size:
                raise InvalidInput(
                    f"{BOMB}：条目 {entry.filename[:80]} 实际解压后超过目录所写的 {entry.file_size} 字节"
                )
