"""Running Alembic from the package (no alembic.ini needed): upgrade, check, revision."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy.orm import Session

from zhizao.config import get_settings
from zhizao.db.session import make_engine
from zhizao.reference.seed import sync_reference


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("zhizao.db").joinpath("migrations")))
    config.set_main_option("sqlalchemy.url", (url or get_settings().database_url).replace("%", "%%"))
    return config


def upgrade(url: str | None = None, home_region: str | None = None) -> int:
    """Migrate the database to the newest schema and bring reference data up to date (with the template
    units of `home_region`, default the ZHIZAO_HOME_REGION setting).

    Returns the number of reference rows inserted or changed."""
    url = url or get_settings().database_url
    command.upgrade(alembic_config(url), "heads")
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            session.info["audit_disabled"] = True  # reference data is shipped, not edited
            changed = sync_reference(session, home_region)
            session.commit()
    finally:
        engine.dispose()
    return changed


def check(url: str | None = None) -> None:
    """Raise if the models and the migrations disagree (alembic check)."""
    command.check(alembic_config(url))
