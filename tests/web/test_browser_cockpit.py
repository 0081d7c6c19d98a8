"""Real-browser tests on a whole demo city (headless Chromium, Playwright): each role's home cockpit shows
the numbers the library computes for that role; a refused progress report keeps the user's text and shows
why; the main pages fit a phone's width (tables scroll in their own box) and the menu folds away."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import migrate_for_region, require_tool
from tests.web.test_browser import CHROMIUM, _free_port
from zhizao.auth.models import User
from zhizao.auth.scope import Actor
from zhizao.config import Settings
from zhizao.db.session import make_engine, session_scope
from zhizao.demo.accounts import DEMO_PASSWORD
from zhizao.demo.city import load_demo_city
from zhizao.demo.population import DemoSpec
from zhizao.enterprises.dashboard import home_summary
from zhizao.evaluation.board import evaluation_board, own_result
from zhizao.tracking.board import target_board, task_board
from zhizao.web.app import STATIC_DIR, create_app

pytestmark = pytest.mark.browser

CITY = "370200"


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """uvicorn on a SQLite file holding the demo city (registry, plans, tracking, an evaluation run);
    yields (base URL, database URL)."""
    import uvicorn

    url = f"sqlite:///{tmp_path_factory.mktemp('cockpit') / 'city.db'}"
    migrate_for_region(url, CITY)
    engine = make_engine(url)
    spec = DemoSpec(size=300, region_code=CITY, seed=11, current_year=date.today().year, through_month=3)
    with session_scope(engine) as session:
        load_demo_city(session, Actor.system(), spec, force=True)
    app = create_app(
        Settings(database_url=url, secret_key="browser-test-key", home_region=CITY), engine=engine
    )
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="none", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}", url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_tool(CHROMIUM.exists(), "/usr/bin/chromium is not installed (make browser)")
    require_tool(
        (STATIC_DIR / "vendor" / "htmx.min.js").exists(), "front-end assets are not built (make assets)"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield launched
        finally:
            launched.close()


def _actor(db_url: str, username: str) -> tuple[Actor, Any]:
    engine = make_engine(db_url)
    session = Session(engine)
    user = session.scalar(select(User).where(User.username == username))
    assert user is not None, username
    return Actor.from_user(user), session


def _login(browser: Any, base: str, username: str, **context: Any) -> Any:
    page = browser.new_context(**context).new_page()
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def _counts(page: Any, selector: str, key: str) -> dict[str, int]:
    found = {}
    for tag in page.locator(f"{selector} a.tag").all():
        found[tag.get_attribute(key) or ""] = int(tag.locator(".count").inner_text())
    return found


@pytest.mark.parametrize("username", ["admin", "analyst", "quxian"])
def test_home_cockpit_numbers_match_the_library(browser: Any, city: tuple[str, str], username: str) -> None:
    base, db_url = city
    actor, session = _actor(db_url, username)
    try:
        targets = target_board(session, actor, date.today())
        tasks = task_board(session, actor, date.today())
        evaluation = evaluation_board(session, actor)
        firms = home_summary(session, actor)
    finally:
        session.close()
    page = _login(browser, base, username)
    if targets.total:
        assert _counts(page, "#target-counts", "data-status") == targets.counts
        first = page.locator("#attention-targets tbody tr").first
        if targets.attention:  # red before yellow, each linked to its target page
            assert first.locator("a").first.get_attribute("href") == targets.attention[0].href
    else:
        assert page.locator("#tile-targets").count() == 0
    assert _counts(page, "#task-counts", "data-kind") == tasks.counts
    if tasks.unreported_units:
        assert int(page.locator("#unreported-units .count").inner_text()) == len(tasks.unreported_units)
    assert evaluation is not None
    assert _counts(page, "#class-counts", "data-class") == evaluation.counts
    # every number is a link to the list behind it, and the list holds that many
    overdue = tasks.counts["overdue"]
    page.click("#task-counts a[data-kind=overdue]")
    page.wait_for_url("**/tracking/tasks?alert=overdue")
    assert page.locator("#assignments tbody tr").count() == min(overdue, 50)
    # the enterprise tile counts the firms the role may see (a district: its own region's only)
    page.goto(f"{base}/")
    shown = {r.locator("td").first.inner_text(): int(r.locator("td a").inner_text())
             for r in page.locator("#region-counts tbody tr").all()}  # fmt: skip
    assert shown == {r.name: r.count for r in firms.by_region}


def test_home_cockpit_department_sees_its_own_assignments(browser: Any, city: tuple[str, str]) -> None:
    base, db_url = city
    actor, session = _actor(db_url, "gongxin")
    try:
        tasks = task_board(session, actor, date.today())
    finally:
        session.close()
    page = _login(browser, base, "gongxin")
    assert _counts(page, "#task-counts", "data-kind") == tasks.counts
    assert page.locator("#tile-targets").count() == 0
    assert page.locator("#tile-evaluation").count() == 0
    shown = page.locator("#urgent-tasks li").count()
    assert shown == min(len(tasks.urgent), 10)


def test_home_cockpit_enterprise_sees_its_class_and_next_steps(browser: Any, city: tuple[str, str]) -> None:
    base, db_url = city
    actor, session = _actor(db_url, "qiye")
    try:
        mine = own_result(session, actor)
    finally:
        session.close()
    assert mine is not None
    page = _login(browser, base, "qiye")
    text = page.locator("#tile-own").inner_text()
    assert mine.class_id and mine.class_id in page.locator("#own-class").inner_text()
    assert page.locator("#next-steps li").count() == len(mine.next_steps)
    assert page.locator("#own-figures tbody tr").count() > 0
    assert "演示" in text or "（虚构）" in text  # its own (fictional) firm's name
    assert page.locator("#tile-targets, #tile-tasks, #tile-enterprises").count() == 0


def _first_assignment(db_url: str, username: str, completed: bool = False) -> int:
    from zhizao.tracking.tasks import ReportStatus, list_assignments

    actor, session = _actor(db_url, username)
    try:
        views = list_assignments(session, actor)
        for view in views:
            if (view.status is ReportStatus.COMPLETED) == completed:
                return view.id
    finally:
        session.close()
    raise AssertionError("no such assignment in the demo")


def test_refused_report_keeps_the_text_and_shows_why(
    browser: Any, city: tuple[str, str], tmp_path: Path
) -> None:
    base, db_url = city
    assignment = _first_assignment(db_url, "gongxin")
    page = _login(browser, base, "gongxin")
    page.goto(f"{base}/tracking/tasks/{assignment}")
    fake = tmp_path / "照片.png"
    fake.write_bytes(b"%PDF-1.4\n%%EOF\n")  # a PDF calling itself a picture: the server refuses it
    page.fill("#report-form textarea[name=text]", "本月完成设备安装调试，进入试生产")
    page.set_input_files("#report-form input[name=files]", str(fake))
    page.click("#report-form button")
    page.locator("#report-error .notification").wait_for()
    page.wait_for_timeout(300)  # the error must stay, not flash away
    assert "不符" in page.locator("#report-error").inner_text()
    assert page.input_value("#report-form textarea[name=text]") == "本月完成设备安装调试，进入试生产"
    # a good report goes in, clears the form and shows in the history
    page.set_input_files("#report-form input[name=files]", [])
    page.click("#report-form button")
    page.locator("#history", has_text="本月完成设备安装调试").wait_for()
    assert page.input_value("#report-form textarea[name=text]") == ""
    assert page.locator("#report-error").inner_text() == ""


def test_report_on_a_completed_task_asks_before_reopening(browser: Any, city: tuple[str, str]) -> None:
    base, db_url = city
    assignment = _first_assignment(db_url, "gongxin", completed=True)
    page = _login(browser, base, "gongxin")
    page.goto(f"{base}/tracking/tasks/{assignment}")
    assert page.locator("#report-form select[name=status]").input_value() == "已完成"
    page.select_option("#report-form select[name=status]", "推进中")
    page.fill("#report-form textarea[name=text]", "补报：验收后发现问题")
    page.click("#report-form button")
    page.locator("#report-error .notification").wait_for()
    assert "确认改变已完成状态" in page.locator("#report-error").inner_text()
    assert page.input_value("#report-form textarea[name=text]") == "补报：验收后发现问题"
    page.check("#report-form input[name=reopen]")
    page.click("#report-form button")
    page.locator("#history", has_text="补报：验收后发现问题").wait_for()


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_main_pages_fit_a_phone(browser: Any, city: tuple[str, str]) -> None:
    base, db_url = city
    assignment = _first_assignment(db_url, "admin")
    actor, session = _actor(db_url, "admin")
    try:
        board = evaluation_board(session, actor)
    finally:
        session.close()
    assert board is not None
    page = _login(browser, base, "admin", **PHONE)
    menu = page.locator("#main-menu")
    assert not menu.is_visible()  # folded away behind the burger
    page.click(".navbar-burger")
    assert menu.is_visible()
    page.click(".navbar-burger")
    assert not menu.is_visible()
    for path in ["/", "/enterprises", "/tracking/tasks", f"/tracking/tasks/{assignment}", board.run_href]:
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"{path} scrolls sideways: {widths}"
        for table in page.locator("main table").all():  # a wide table scrolls in its own box
            box = table.evaluate("t => [t.getBoundingClientRect().right, getComputedStyle(t).overflowX]")
            assert box[0] <= widths[1] + 1 or box[1] in ("auto", "scroll"), path
