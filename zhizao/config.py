"""Settings: one pydantic-settings class, read from the environment and `.env`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
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
    home_region: str | None = Field(
        default=None,
        description="GB/T 2260 code of the region the installation covers (unset: the whole country).",
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

    @property
    def uses_default_secret(self) -> bool:
        return self.secret_key == DEFAULT_SECRET_KEY


@lru_cache
def get_settings() -> Settings:
    return Settings()
