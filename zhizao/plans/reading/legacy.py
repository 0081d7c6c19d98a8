"""Old binary word-processor files (.doc from Word 97–2003, .wps from WPS Office) converted to .docx with
LibreOffice run headless, when it is installed (`make office`); without it, a clear message to save the file
as .docx. The conversion runs in a temporary folder with a profile of its own (so runs never share a lock)
and a time limit."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from zhizao.errors import InvalidInput

LEGACY_SUFFIXES = (".doc", ".wps", ".wpt", ".dot")
_TIME_LIMIT = 120  # seconds; a damaged file must not hold a worker forever
_MISSING = (
    "无法读取旧版 Word(.doc)或 WPS(.wps)文件:本机未安装 LibreOffice(管理员可运行 make office 安装)。"
    "请在 Word 或 WPS 中另存为 .docx 后再上传。"
)


def soffice() -> str | None:
    """The LibreOffice command, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_docx(data: bytes, suffix: str) -> bytes:
    """The bytes of a .docx with the same content as the old-format file `data`."""
    command = soffice()
    if command is None:
        raise InvalidInput(_MISSING)
    with tempfile.TemporaryDirectory(prefix="zhizao-doc-") as folder:
        work = Path(folder)
        source = work / f"source{suffix if suffix in LEGACY_SUFFIXES else '.doc'}"
        source.write_bytes(data)
        try:
            subprocess.run(
                [
                    command,
                    "--headless",
                    "--norestore",
                    f"-env:UserInstallation={(work / 'profile').as_uri()}",
                    "--convert-to",
                    "docx:MS Word 2007 XML",
                    "--outdir",
                    str(work / "out"),
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=_TIME_LIMIT,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            raise InvalidInput(
                "旧版 Word/WPS 文件转换失败(文件可能已损坏),请另存为 .docx 后再上传。"
            ) from exc
        converted = work / "out" / "source.docx"
        if not converted.is_file() or not converted.stat().st_size:
            raise InvalidInput("旧版 Word/WPS 文件转换失败(文件可能已损坏),请另存为 .docx 后再上传。")
        return converted.read_bytes()
