"""Settings: one pydantic-settings class, read from the environment and `.env`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting zhizao reads. Each field is documented in docs/settings.md (a test checks)."""

    model_config = SettingsConfigDict(env_prefix="ZHIZAO_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///var/zhizao.db",
        description="SQLAlchemy URL of the application database (SQLite file or PostgreSQL).",
    )
    secret_key: str | None = Field(
        default=None,
        description="Server key (CSRF tokens); unset: a random key generated once and kept in a 0600 file.",
    )
    data_dir: Path | None = Field(
        default=None,
        description="Where the generated key file lives when the database is not a SQLite file.",
    )
    analytics: Literal["duckdb", "pyspark"] = Field(
        default="duckdb", description="Ibis backend that runs analytics (evaluation)."
    )
    demo_mode: bool = Field(
        default=False, description="Set by `zhizao demo`: marks data as synthetic and allows demo accounts."
    )
    session_max_age: int = Field(
        default=8 * 3600, description="Seconds a login session lasts at most (absolute timeout)."
    )
    session_idle_timeout: int = Field(
        default=3600, description="Seconds without a request after which a login session ends."
    )
    login_max_failures: int = Field(
        default=5, description="Failed logins on one account from one address before that address waits."
    )
    login_lockout_seconds: int = Field(
        default=300, description="First wait after too many failures; doubles with each further failure."
    )
    login_lockout_max_seconds: int = Field(
        default=24 * 3600, description="Longest wait for one address (on one account or on all)."
    )
    login_address_max_failures: int = Field(
        default=20, description="Failed logins from one address (any accounts) before that address waits."
    )
    login_account_max_failures: int = Field(
        default=10, description="Failed logins on one account (any addresses) before everyone waits briefly."
    )
    login_account_max_delay: int = Field(
        default=60, description="Longest wait on one account for every address (short, so no lock-out)."
    )
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

    job_workers: int = Field(
        default=1,
        ge=0,
        description="Worker processes that run long work (import previews, evaluations) off the web "
        "request; 0 runs it inside the request.",
    )

    home_region: str | None = Field(
        default=None,
        description="GB/T 2260 code of the region the installation serves (province, prefecture or county); "
        "unset means the whole country.",
    )

    @field_validator("home_region", mode="before")
    @classmethod
    def _known_region(cls, value: object) -> object:
        """A 6-digit code the shipped region table holds (checked at start, not at the first query)."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        from zhizao.reference import regions

        code = str(value).strip()
        if not (len(code) == 6 and code.isdigit()):
            raise ValueError(f"ZHIZAO_HOME_REGION 应为6位行政区划代码，实际为 {code!r}")
        record = regions.get(code)
        if record is None:
            raise ValueError(f"ZHIZAO_HOME_REGION={code} 不是行政区划表中的代码")
        if not record.in_use:
            successor = regions.current_code(code)
            instead = f"，现行代码为 {successor}" if successor else ""
            name = f"ZHIZAO_HOME_REGION={code}（{record.name}）"
            raise ValueError(f"{name}已于{record.valid_to}年撤销{instead}")
        return code


@lru_cache
def get_settings() -> Settings:
    return Settings()
