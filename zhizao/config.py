"""Settings: one pydantic-settings class, read from the environment and `.env`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET_KEY = "zhizao-insecure-development-key"  # refused off loopback
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class Settings(BaseSettings):
    """Every setting zhizao reads. Each field is documented in docs/settings.md (a test checks)."""

    model_config = SettingsConfigDict(env_prefix="ZHIZAO_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///var/zhizao.db",
        description="SQLAlchemy URL of the application database (SQLite file or PostgreSQL).",
    )
    secret_key: str = Field(
        default=DEFAULT_SECRET_KEY,
        description="Key that signs session cookies; must be changed before serving off loopback.",
    )
    analytics: Literal["duckdb", "pyspark"] = Field(
        default="duckdb", description="Ibis backend that runs analytics (evaluation)."
    )
    demo_mode: bool = Field(
        default=False, description="Set by `zhizao demo`: marks data as synthetic and allows demo accounts."
    )
    session_max_age: int = Field(default=8 * 3600, description="Seconds a login session lasts.")
    login_max_failures: int = Field(
        default=5, description="Failed logins in a row before the account is locked for a while."
    )
    login_lockout_seconds: int = Field(default=300, description="How long a locked account stays locked.")
    upload_dir: Path = Field(default=Path("var/uploads"), description="Where uploaded files are stored.")
    upload_max_bytes: int = Field(
        default=50 * 1024 * 1024,
        description="Largest accepted upload (imports, documents, attachments).",
    )
    request_max_bytes: int = Field(
        default=1024 * 1024,
        description="Largest request body of a route that takes no file (login, forms, JSON).",
    )
    archive_max_entries: int = Field(
        default=10_000, description="Most entries a zip-based file (.xlsx, .docx, .ods) may hold."
    )
    archive_max_unpacked_bytes: int = Field(
        default=500 * 1024 * 1024,
        description="Largest total size a zip-based file may unpack to.",
    )
    archive_max_ratio: int = Field(
        default=100,
        description="Largest compression ratio of a zip-based file and of each entry past 1 MB unpacked.",
    )

    @property
    def uses_default_secret(self) -> bool:
        return self.secret_key == DEFAULT_SECRET_KEY


@lru_cache
def get_settings() -> Settings:
    return Settings()
