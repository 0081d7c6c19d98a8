"""Web fixtures: the app built on the test engine, its per-request sessions on the test's connection (so
every test rolls back), a client, and helpers that create users and log in through the real form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from zhizao.auth.models import User
from zhizao.auth.scope import Actor
from zhizao.auth.users import create_user
from zhizao.config import Settings
from zhizao.web.app import create_app

PASSWORD = "correct-horse-9"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(engine: Engine, session: Session, tmp_path: Path) -> FastAPI:
    # files the app keeps (uploads, jobs' results) go to the test's own folder, not the working directory
    app = create_app(Settings(secret_key="test-secret-key", upload_dir=tmp_path / "uploads"), engine=engine)
    app.state.session_factory = sessionmaker(
        bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    # 127.0.0.1: a loopback address, so the session cookie is sent over plain HTTP.
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
        yield client


def add_user(session: Session, username: str, role: str, **options: object) -> User:
    return create_user(session, Actor.system(), username, PASSWORD, role, **options)  # type: ignore[arg-type]


def csrf_from(client: TestClient, path: str = "/login") -> str:
    match = _CSRF.search(client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> httpx.Response:
    token = csrf_from(client)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


@pytest.fixture
def as_user(client: TestClient, session: Session):  # type: ignore[no-untyped-def]
    """Create a user with `role` (and options) and log the client in as them."""

    def _as(role: str, username: str | None = None, **options: object) -> TestClient:
        add_user(session, username or f"{role}-user", role, **options)
        response = login(client, username or f"{role}-user")
        assert response.status_code == 303, response.text
        return client

    return _as
