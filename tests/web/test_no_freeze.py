"""A long import preview does not freeze anyone else's page: on a real uvicorn server, one user's large
.xlsx preview runs as a job in a worker process while another user's `GET /login` and enterprise list keep
answering fast (the p50 and p95 are printed)."""

from __future__ import annotations

import io
import os
import socket
import statistics
import subprocess
import sys
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
        create_user(session, Actor.system(), "second", PASSWORD, "analyst")  # type: ignore[arg-type]
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


def _login(base: str, username: str = "analyst") -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=120)
    token = _csrf(client, "/login")
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303, response.text
    return client


def _p95(latencies: list[float]) -> float:
    return statistics.quantiles(latencies, n=20)[-1] if len(latencies) >= 20 else max(latencies)


def test_answer_other_users_during_a_large_preview(server: str, tmp_path: Path) -> None:
    """The upload is answered at once with the job's page; the preview runs in a worker process; the page
    polls its progress and then shows the preview; meanwhile `GET /login` and another user's enterprise
    list keep answering."""
    data = large_xlsx(ROWS)
    uploader = _login(server)
    other = _login(server, "second")
    token = _csrf(uploader, "/imports/new")
    started = time.perf_counter()
    files = {"file": ("指标.xlsx", data, "application/octet-stream")}
    response = uploader.post("/imports", data={"csrf_token": token, "kind": "figures"}, files=files)
    answered = time.perf_counter() - started
    assert response.status_code == 303, response.text
    job_page = response.headers["location"]
    assert job_page.startswith("/jobs/")
    assert "导入预览" in uploader.get(job_page).text
    logins: list[float] = []
    pages: list[float] = []
    progress_seen = False
    result_url = ""
    deadline = time.monotonic() + 600
    while not result_url:
        assert time.monotonic() < deadline, "the preview did not finish in 10 minutes"
        for client, path, latencies in ((other, "/login", logins), (other, "/enterprises", pages)):
            begun = time.perf_counter()
            assert client.get(path).status_code in (200, 303)
            latencies.append(time.perf_counter() - begun)
        status = uploader.get(job_page, headers={"HX-Request": "true"})
        assert status.status_code == 200
        assert "任务未完成" not in status.text, status.text
        progress_seen = progress_seen or "已用时" in status.text
        result_url = status.headers.get("HX-Redirect", "")
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    preview = uploader.get(result_url)
    assert preview.status_code == 200
    assert "指标.xlsx" in preview.text and "重新上传" in preview.text  # the fake codes fail their checks
    print(
        f"\npreview of {ROWS} rows: upload answered in {answered:.2f} s, preview ready in {seconds:.1f} s; "
        f"meanwhile GET /login n={len(logins)} p50 {statistics.median(logins) * 1000:.0f} ms "
        f"p95 {_p95(logins) * 1000:.0f} ms; another user's /enterprises p50 "
        f"{statistics.median(pages) * 1000:.0f} ms p95 {_p95(pages) * 1000:.0f} ms"
    )
    assert answered < 10.0  # the upload itself, not the check
    assert progress_seen, "the job page never showed that it was working"
    assert _p95(logins) < 1.0
    assert len(logins) >= 5, f"the preview took only {seconds:.1f} s: too short to measure"
