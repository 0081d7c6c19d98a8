"""Benchmark: the enterprise list at a province's scale, over HTTP, against a real `zhizao serve`.

    zhizao demo --size 1000000 --registry-only          # on PostgreSQL (ZHIZAO_DATABASE_URL)
    .venv/bin/python benchmarks/web_scale.py --database-url postgresql+psycopg://... [--clients 20]
        [--seconds 30] [--preview-rows 1048575] [--preview-seconds 120]

1. The list mix (first page, name fragments, credit-code prefixes, region/division/scale filters, every
   sort both ways, later pages, the counts API), first in-process through the library against the old way
   of querying (ILIKE '%…%' on name and code, a full count(*) per page) as the baseline of the same run,
   then over HTTP by one client and by `--clients` concurrent clients (an administrator and a district
   officer): p50/p95/p99 and requests/s.
2. `GET /login` while another user previews a `--preview-rows`-row workbook (a job in a worker process):
   p50/p95 beside the idle figures of the same run. The preview is watched for `--preview-seconds` at most.
Loopback only; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from zhizao.auth.models import User
from zhizao.auth.scope import Actor
from zhizao.auth.users import create_user
from zhizao.db.session import make_engine
from zhizao.enterprises import registry
from zhizao.enterprises.models import Enterprise
from zhizao.reference.models import Industry

PASSWORD = "bench-password-2024"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
SORTS = ("name", "credit_code", "region", "industry", "established_on")
REPO = Path(__file__).resolve().parents[1]


def _users(url: str, district: str) -> None:
    engine = make_engine(url)
    with Session(engine) as session:
        for username, role, options in (
            ("bench-admin", "admin", {}),
            ("bench-district", "district", {"region_code": district}),
            ("bench-viewer", "analyst", {}),
        ):
            if session.scalar(select(User.id).where(User.username == username)) is None:
                create_user(session, Actor.system(), username, PASSWORD, role, **options)  # type: ignore[arg-type]
        session.commit()
    engine.dispose()


def _samples(url: str) -> tuple[list[str], list[str], list[str], list[str]]:
    """Name fragments, credit-code prefixes, regions and divisions found in the data."""
    engine = make_engine(url)
    with Session(engine) as session:
        rows = session.execute(
            select(Enterprise.name, Enterprise.credit_code, Enterprise.region_code).limit(2000)
        ).all()
        divisions = list(session.scalars(select(Industry.division).distinct().limit(30)))
    engine.dispose()
    names = [r.name.replace("（虚构）", "") for r in rows]
    fragments = [n[i : i + random.choice((2, 3, 4))] for n in names[:200] for i in (0, 2) if len(n) > 5]
    prefixes = [r.credit_code[: random.choice((6, 8, 10))] for r in rows[:200]]
    regions = sorted({r.region_code for r in rows})
    return fragments, prefixes, regions, [d for d in divisions if d]


def _mix(samples: tuple[list[str], list[str], list[str], list[str]], rng: random.Random) -> str:
    fragments, prefixes, regions, divisions = samples
    kind = rng.randrange(9)
    if kind == 0:
        return "/enterprises"
    if kind == 1:
        return f"/enterprises?q={rng.choice(fragments)}"
    if kind == 2:
        return f"/enterprises?q={rng.choice(prefixes)}"
    if kind == 3:
        return f"/enterprises?region_code={rng.choice(regions)}"
    if kind == 4:
        return f"/enterprises?division={rng.choice(divisions)}&above_scale=true"
    if kind == 5:
        return f"/enterprises?sort={rng.choice(SORTS)}&desc={rng.choice(('true', 'false'))}"
    if kind == 6:
        return f"/enterprises?page={rng.randrange(2, 50)}&sort={rng.choice(SORTS)}"
    if kind == 7:
        return "/api/v1/counts"
    return f"/api/v1/enterprises?q={rng.choice(fragments)}&region_code={rng.choice(regions)}"


def _old_way(session: Session, actor: Actor, query: registry.EnterpriseQuery) -> None:
    """The list as it was queried before: ILIKE '%…%' on name and code, a full count per page."""
    clauses = [registry._scope(actor)]
    if query.q:
        pattern = f"%{query.q}%"
        clauses.append(or_(Enterprise.name.ilike(pattern), Enterprise.credit_code.ilike(pattern)))
    if query.region_code:
        clauses.append(Enterprise.region_code.like(f"{query.region_code[:4]}%"))
    session.scalar(
        select(func.count())
        .select_from(Enterprise)
        .join(Industry, Industry.code == Enterprise.industry_code)
        .where(*clauses)
    )
    stmt = registry._ordered(registry._base_select().where(*clauses), query)
    session.execute(stmt.limit(query.per_page).offset((query.page - 1) * query.per_page)).all()


def _in_process(url: str, samples: tuple[list[str], list[str], list[str], list[str]], n: int) -> None:
    fragments, prefixes, regions, _divisions = samples
    rng = random.Random(7)
    queries = [registry.EnterpriseQuery()]
    queries += [registry.EnterpriseQuery(q=rng.choice(fragments)) for _ in range(n)]
    queries += [registry.EnterpriseQuery(q=rng.choice(prefixes)) for _ in range(n)]
    queries += [registry.EnterpriseQuery(region_code=rng.choice(regions)) for _ in range(n)]
    queries += [registry.EnterpriseQuery(sort=rng.choice(SORTS)) for _ in range(n)]  # type: ignore[arg-type]
    engine = make_engine(url)
    admin = Actor.system()
    results: dict[str, list[float]] = {"old way (ILIKE, full count)": [], "now (indexes, capped count)": []}
    with Session(engine) as session:
        for query in queries:
            for label, call in (
                ("old way (ILIKE, full count)", lambda q=query: _old_way(session, admin, q)),
                (
                    "now (indexes, capped count)",
                    lambda q=query: registry.search_enterprises(session, admin, q),
                ),
            ):
                started = time.perf_counter()
                call()
                results[label].append(time.perf_counter() - started)
        deep = _deep_pages(session, admin)
    engine.dispose()
    print(f"\nIn process, the library, one caller, {len(queries)} list queries each:")
    for label, times in results.items():
        _line(label, times, sum(times))
    print(f"\nA deep page (row {DEEP_ROW:,} onwards), every sort both ways:")
    for label, times in deep.items():
        _line(label, times, sum(times))


DEEP_ROW = 200_000  # where a user paging by "下一页" (or a page jump) would be after 10,000 pages


def _deep_pages(session: Session, actor: Actor) -> dict[str, list[float]]:
    """The page at DEEP_ROW by OFFSET (the way before) beside the same page by key (from the cursor of
    the row before it, as "下一页" gives it), for every sort both ways; the rows are checked to be equal."""
    from zhizao.enterprises.paging import cursor_of

    results: dict[str, list[float]] = {"deep page by OFFSET (before)": [], "deep page by key (now)": []}
    for sort in SORTS:
        for desc in (False, True):
            query = registry.EnterpriseQuery(sort=sort, desc=desc)  # type: ignore[arg-type]
            stmt = registry._ordered(registry._base_select().where(registry._scope(actor)), query)
            started = time.perf_counter()
            rows = session.execute(stmt.limit(21).offset(DEEP_ROW - 1)).all()
            results["deep page by OFFSET (before)"].append(time.perf_counter() - started)
            if len(rows) < 21:
                continue
            after = cursor_of(rows[0], registry._SORT_COLUMNS[sort]).encode()
            keyed = query.model_copy(update={"after": after, "page": DEEP_ROW // 20 + 1})
            started = time.perf_counter()
            page = registry.search_enterprises(session, actor, keyed)
            results["deep page by key (now)"].append(time.perf_counter() - started)
            assert [e.id for e in page.items] == [r.id for r in rows[1:]], (sort, desc)
    return results


def _line(label: str, times: list[float], seconds: float) -> None:
    times = sorted(times)
    q = statistics.quantiles(times, n=100) if len(times) >= 100 else None

    def pct(p: int) -> float:
        return (q[p - 1] if q else times[min(len(times) - 1, int(p / 100 * len(times)))]) * 1000

    print(
        f"  {label:32} n={len(times):5}  p50 {statistics.median(times) * 1000:7.1f} ms  p95 {pct(95):7.1f} ms"
        f"  p99 {pct(99):7.1f} ms  {len(times) / seconds:7.1f} req/s"
    )


def _serve(url: str, home: str, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "ZHIZAO_DATABASE_URL": url,
        "ZHIZAO_HOME_REGION": home,
        "ZHIZAO_SECRET_KEY": "benchmark-secret-key-web-scale",
        "ZHIZAO_UPLOAD_DIR": str(folder / "uploads"),
        "ZHIZAO_UPLOAD_MAX_BYTES": str(200 * 1024 * 1024),
        "PYTHONPATH": str(REPO),
    }
    command = [sys.executable, "-m", "zhizao", "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, cwd=folder, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240  # a loaded machine starts the server slowly
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/login", timeout=10).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("zhizao serve did not start")


def _login(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    token = TOKEN.search(client.get("/login").text)
    form = {"username": username, "password": PASSWORD, "csrf_token": token.group(1) if token else ""}
    response = client.post("/login", data=form)
    if response.status_code != 303:
        raise SystemExit(f"login of {username} failed: {response.status_code}")
    return client


def _clients(base: str, samples: tuple[list[str], ...], clients: int, seconds: float) -> None:
    times: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    users = ["bench-admin", "bench-district"]
    sessions = [_login(base, users[n % 2]) for n in range(clients)]

    def run(n: int) -> None:
        rng = random.Random(n)
        deadline = time.monotonic() + seconds
        for _ in range(100_000):
            if time.monotonic() >= deadline:
                break
            path = _mix(samples, rng)  # type: ignore[arg-type]
            started = time.perf_counter()
            status = sessions[n].get(path).status_code
            elapsed = time.perf_counter() - started
            with lock:
                times.append(elapsed)
                if status != 200:
                    errors.append(status)

    started = time.perf_counter()
    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    _line(f"{clients} client(s), list mix", times, time.perf_counter() - started)
    if errors:
        print(f"  non-200 answers: {len(errors)} ({sorted(set(errors))})")
    for client in sessions:
        client.close()


def _sample_logins(base: str, seconds: float, keep_going: Callable[[], bool]) -> list[float]:
    times: list[float] = []
    deadline = time.monotonic() + seconds
    with httpx.Client(base_url=base, timeout=60) as anonymous:
        while time.monotonic() < deadline and keep_going() and len(times) < 10_000:
            started = time.perf_counter()
            anonymous.get("/login")
            times.append(time.perf_counter() - started)
            time.sleep(0.05)
    return times


def _preview(base: str, rows: int, seconds: float) -> None:
    sys.path.insert(0, str(REPO))
    from tests.web.test_no_freeze import large_xlsx  # the same generated workbook as the test

    print(f"\nGET /login while another user previews a {rows:,}-row workbook:")
    idle = _sample_logins(base, 5, lambda: True)
    _line("idle", idle, sum(idle) + 0.05 * len(idle))
    data = large_xlsx(rows)
    uploader = _login(base, "bench-viewer")
    token = TOKEN.search(uploader.get("/imports/new").text)
    files = {"file": ("指标.xlsx", data, "application/octet-stream")}
    form = {"csrf_token": token.group(1) if token else "", "kind": "figures"}
    started = time.perf_counter()
    response = uploader.post("/imports", data=form, files=files, timeout=600)
    print(
        f"  upload of {len(data) / 1e6:.0f} MB answered in {time.perf_counter() - started:.2f} s "
        f"({response.status_code} → {response.headers.get('location', '')})"
    )
    job = response.headers.get("location", "")
    state: dict[str, object] = {"done": False, "outcome": ""}

    def watch() -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and job:
            answer = uploader.get(job, headers={"HX-Request": "true"})
            if answer.headers.get("HX-Redirect") or "任务未完成" in answer.text:
                state["done"] = True
                state["outcome"] = (
                    "failed: " + answer.text if "任务未完成" in answer.text else "preview ready"
                )
                return
            time.sleep(1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    busy = _sample_logins(base, seconds, lambda: not state["done"])
    watcher.join()
    _line("during the preview", busy, sum(busy) + 0.05 * len(busy))
    took = time.perf_counter() - started
    outcome = re.sub(r"<[^>]+>|\s+", " ", str(state["outcome"]))[:200]
    print(f"  preview {'finished' if state['done'] else 'still running'} after {took:.0f} s {outcome}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a database with the demo loaded")
    parser.add_argument("--home-region", default="370200")
    parser.add_argument("--district", default="370211", help="the district officer's region")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--in-process", type=int, default=20, help="queries of each kind in process")
    parser.add_argument("--preview-rows", type=int, default=1_048_575)
    parser.add_argument("--preview-seconds", type=float, default=120.0)
    args = parser.parse_args()
    random.seed(1)
    _users(args.database_url, args.district)
    samples = _samples(args.database_url)
    if args.in_process:
        _in_process(args.database_url, samples, args.in_process)
    with tempfile.TemporaryDirectory() as folder:
        process, base = _serve(args.database_url, args.home_region, Path(folder))
        try:
            print(f"\nOver HTTP against zhizao serve ({base}), {args.seconds:.0f} s each:")
            _clients(base, samples, 1, args.seconds)
            _clients(base, samples, args.clients, args.seconds)
            if args.preview_rows:
                _preview(base, args.preview_rows, args.preview_seconds)
        finally:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
