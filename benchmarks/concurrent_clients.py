"""Benchmark: twenty users at once on the web app over HTTP (uvicorn, a temporary SQLite file or a
PostgreSQL URL), each logging in, correcting the same figure and reading the enterprise page in a loop.

    .venv/bin/python benchmarks/concurrent_clients.py [--clients 20] [--seconds 30] [--database-url URL]

Prints the requests by kind and status, their p50/p95/max time, how many failed with a server error or
"database is locked", and whether the figure's history is a true chain (each old value is the previous new
value). Not part of the test suite (tests/db/test_concurrent_clients.py is the library-level version).
"""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import select

from zhizao.auth.scope import Actor
from zhizao.auth.users import create_user
from zhizao.config import Settings
from zhizao.db import migrate
from zhizao.db.session import make_engine, session_scope
from zhizao.enterprises import credit_code
from zhizao.enterprises.models import Enterprise
from zhizao.imports.models import FigureChange
from zhizao.web.app import create_app

PASSWORD = "bench-password-2024"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _prepare(url: str, clients: int) -> int:
    migrate.upgrade(url)
    engine = make_engine(url)
    system = Actor.system()
    with session_scope(engine) as session:
        firm = Enterprise(
            credit_code=credit_code.complete("91370211MA0000001"),
            name="并发测试制造有限公司（虚构）",
            region_code="370211",
            industry_code="3360",
        )
        session.add(firm)
        session.flush()
        for n in range(clients):
            create_user(session, system, f"bench{n}", PASSWORD, "admin")
        firm_id = firm.id
    engine.dispose()
    return firm_id


def _serve(url: str) -> tuple[uvicorn.Server, int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(Settings(database_url=url))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, port


def _client(n: int, base: str, firm: int, seconds: float, out: list[tuple[str, int, float, bool]]) -> None:
    def call(kind: str, method: str, path: str, **kwargs: object) -> httpx.Response:
        start = time.perf_counter()
        response = http.request(method, path, **kwargs)  # type: ignore[arg-type]
        out.append(
            (kind, response.status_code, time.perf_counter() - start, "database is locked" in response.text)
        )
        return response

    with httpx.Client(base_url=base, timeout=120) as http:
        deadline = time.monotonic() + seconds
        step = 0
        while time.monotonic() < deadline:
            if step % 10 == 0:
                http.cookies.clear()
                token = TOKEN.search(call("login page", "GET", "/login").text)
                form = {
                    "username": f"bench{n}",
                    "password": PASSWORD,
                    "csrf_token": token.group(1) if token else "",
                }
                call("login", "POST", "/login", data=form)
                page = call("enterprise page", "GET", f"/enterprises/{firm}")
                found = TOKEN.search(page.text)
                csrf = found.group(1) if found else ""
            form = {
                "indicator_id": "tax",
                "year": "2024",
                "value": str(n * 10_000 + step),
                "note": "并发",
                "csrf_token": csrf,
            }
            call("correction", "POST", f"/enterprises/{firm}/figures/correct", data=form)
            call("enterprise page", "GET", f"/enterprises/{firm}")
            step += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--database-url", default=None, help="an empty database (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        firm = _prepare(url, args.clients)
        server, port = _serve(url)
        results: list[tuple[str, int, float, bool]] = []
        threads = [
            threading.Thread(
                target=_client, args=(n, f"http://127.0.0.1:{port}", firm, args.seconds, results)
            )
            for n in range(args.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        server.should_exit = True
        _report(results)
        _check_history(url)


def _report(results: list[tuple[str, int, float, bool]]) -> None:
    by_kind: dict[str, list[float]] = defaultdict(list)
    statuses = Counter((kind, status) for kind, status, _t, _l in results)
    for kind, _status, seconds, _locked in results:
        by_kind[kind].append(seconds)
    for kind, times in sorted(by_kind.items()):
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        codes = ", ".join(f"{s}: {c}" for (k, s), c in sorted(statuses.items()) if k == kind)
        print(
            f"{kind:16} n={len(times):5}  p50 {statistics.median(times) * 1000:7.0f} ms  "
            f"p95 {p95 * 1000:7.0f} ms  max {times[-1] * 1000:7.0f} ms  ({codes})"
        )
    errors = sum(1 for _k, status, _t, _l in results if status >= 500)
    locked = sum(1 for *_rest, is_locked in results if is_locked)
    print(f"requests {len(results)}, server errors {errors}, 'database is locked' {locked}")


def _check_history(url: str) -> None:
    engine = make_engine(url)
    with session_scope(engine) as session:
        rows = session.execute(
            select(FigureChange.old_value, FigureChange.new_value).order_by(FigureChange.id)
        ).all()
    engine.dispose()
    wrong = sum(1 for k in range(1, len(rows)) if rows[k].old_value != rows[k - 1].new_value)
    print(f"figure history: {len(rows)} entries, {wrong} with an old value that was not there")


if __name__ == "__main__":
    main()
