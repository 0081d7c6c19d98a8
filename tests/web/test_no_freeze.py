"""A long import preview does not freeze anyone else's page: on a real uvicorn server, while one user's
large .xlsx preview runs, another user's `GET /login` keeps answering fast (the p95 is printed)."""

from __future__ import annotations

import io
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import httpx
import pytest
from sqlalchemy.orm import Session

from tests.web.conftest import PASSWORD
from zhizao.auth.scope import Actor
from zhizao.auth.users import create_user
from zhizao.db import migrate
from zhizao.db.session import make_engine

ROWS = int(os.environ.get("ZHIZAO_TEST_FREEZE_ROWS", "80000"))
HEADER = [
    "统一社会信用代码",
    "企业名称",
    "年度",
    "税收实际贡献(万元)",
    "营业收入(万元)",
    "用地面积(亩)",
    "用电量(万千瓦时)",
]
_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main'
        '+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def _cell(value: object) -> str:
    if isinstance(value, str):
        return f'<c t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    return f"<c><v>{value}</v></c>"


def large_xlsx(rows: int) -> bytes:
    """A figures workbook of `rows` rows, written as XML directly (openpyxl would take minutes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main"><sheetData>'
            )
            sheet.write(("<row>" + "".join(_cell(h) for h in HEADER) + "</row>").encode())
            for i in range(rows):
                values = [f"91370211MA{i:08d}", f"企业{i}", 2024, i % 997, i % 1009 + 0.5, 12.5, 3.25]
                sheet.write(("<row>" + "".join(_cell(v) for v in values) + "</row>").encode())
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """A real uvicorn server on a free port, on a fresh SQLite database with one analyst."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        create_user(session, Actor.system(), "analyst", PASSWORD, "analyst")  # type: ignore[arg-type]
        session.commit()
    engine.dispose()
    port = _free_port()
    env = {
        **os.environ,
        "ZHIZAO_DATABASE_URL": url,
        "ZHIZAO_SECRET_KEY": "test-secret-key-for-the-freeze-test",
        "ZHIZAO_UPLOAD_DIR": str(tmp_path / "uploads"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    command = [sys.executable, "-m", "uvicorn", "zhizao.web.app:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(command, env=env, cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/login", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and process.poll() is None, "the server did not start"
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _csrf(client: httpx.Client, path: str) -> str:
    text = client.get(path).text
    return text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _login(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=120)
    token = _csrf(client, "/login")
    response = client.post("/login", data={"username": "analyst", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303, response.text
    return client


def test_answer_other_users_during_a_large_preview(server: str, tmp_path: Path) -> None:
    data = large_xlsx(ROWS)
    uploader = _login(server)
    token = _csrf(uploader, "/imports/new")
    result: dict[str, object] = {}

    def upload() -> None:
        started = time.perf_counter()
        files = {"file": ("指标.xlsx", data, "application/octet-stream")}
        response = uploader.post("/imports", data={"csrf_token": token, "kind": "figures"}, files=files)
        result["status"] = response.status_code
        result["seconds"] = time.perf_counter() - started

    worker = threading.Thread(target=upload)
    worker.start()
    time.sleep(0.5)  # the upload is sent and parsing has begun
    latencies: list[float] = []
    with httpx.Client(base_url=server, timeout=60) as other:
        while worker.is_alive():
            started = time.perf_counter()
            assert other.get("/login").status_code == 200
            latencies.append(time.perf_counter() - started)
            time.sleep(0.05)
    worker.join()
    assert result["status"] == 200, result
    p95 = statistics.quantiles(latencies, n=20)[-1] if len(latencies) >= 20 else max(latencies)
    print(
        f"\npreview of {ROWS} rows: {result['seconds']:.1f} s; GET /login meanwhile: n={len(latencies)}, "
        f"p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
    )
    assert p95 < 1.0
    assert len(latencies) >= 5, f"the preview took only {result['seconds']:.1f} s: too short to measure"
