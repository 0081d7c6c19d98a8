"""One real browser (headless Chromium from Debian, driven by Playwright): log in and see the enterprise
list, with htmx and ECharts loaded from /static, and the API docs, all under the app's CSP (nothing refused).
Runs against uvicorn on a free loopback port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import add_enterprise, migrate_for_region, require_tool
from tests.web.conftest import PASSWORD, add_user
from zhizao.config import Settings
from zhizao.db.session import make_engine, session_scope
from zhizao.web.app import STATIC_DIR, create_app

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """uvicorn in a background thread, on a temporary SQLite database with two enterprises and a user."""
    import uvicorn

    url = f"sqlite:///{tmp_path / 'browser.db'}"
    migrate_for_region(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        add_user(session, "hd", "district", region_code="370211")
        add_enterprise(session, name="黄岛浏览器测试机械有限公司", region_code="370211")
        add_enterprise(session, name="崂山不应可见电子有限公司", region_code="370212")
    app = create_app(Settings(database_url=url, secret_key="browser-test-key"), engine=engine)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="none", lifespan="off")
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uvicorn_server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uvicorn_server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uvicorn_server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()


def test_login_and_see_enterprise_list(server: str) -> None:
    require_tool(CHROMIUM.exists(), "/usr/bin/chromium is not installed (make browser)")
    assets = (STATIC_DIR / "vendor" / "htmx.min.js").exists()
    require_tool(assets, "front-end assets are not built (make assets)")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page()
            console: list[str] = []  # the CSP must not block anything the pages use
            page.on("console", lambda message: console.append(message.text))
            page.goto(f"{server}/enterprises")
            assert "/login" in page.url
            page.fill("#username", "hd")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{server}/enterprises")
            table = page.locator("#enterprise-results")
            assert "黄岛浏览器测试机械有限公司" in table.inner_text()
            assert "崂山不应可见电子有限公司" not in page.content()
            # htmx replaces the table as one types, without reloading the page.
            page.evaluate("window.__marker = 1")
            page.fill("#q", "不存在的企业")
            # (locator waits, not wait_for_function: that evaluates a string, which the CSP rightly refuses)
            page.locator("#enterprise-results", has_text="没有").wait_for()
            assert page.evaluate("window.__marker") == 1
            # Sorting is kept when the filter changes.
            page.fill("#q", "")
            expect(page.locator("#enterprise-results tbody a")).to_have_count(1)
            page.click("#enterprise-results th a >> text=成立日期")
            page.wait_for_url("**sort=established_on**")
            page.select_option("select[name=above_scale]", "true")
            page.wait_for_url("**above_scale=true**")
            assert "sort=established_on" in page.url
            assert page.evaluate("window.__marker") == 1
            # The home page draws its charts (ECharts renders into a canvas).
            page.goto(f"{server}/")
            page.wait_for_selector("[data-chart='chart-regions'] canvas")
            # The API docs: Swagger UI from /static/vendor renders the app's own description.
            page.goto(f"{server}/docs")
            page.wait_for_selector(".swagger-ui .info .title")
            assert "/api/v1/enterprises" in page.content()
            assert [text for text in console if "Content Security Policy" in text] == []
        finally:
            browser.close()
