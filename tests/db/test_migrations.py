from alembic import command
from alembic.script import ScriptDirectory

from zhizao.db import migrate


def test_check_migrations_match_models(db_url: str) -> None:
    migrate.check(db_url)  # raises when models and migrations disagree


def test_upgrade_database_is_idempotent(db_url: str) -> None:
    assert migrate.upgrade(db_url) == 0


def test_migrations_form_one_line() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, "two migrations share a parent: chain them"


def test_downgrade_and_upgrade_again(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    migrate.upgrade(url)
    command.downgrade(migrate.alembic_config(url), "base")
    migrate.upgrade(url)
    migrate.check(url)
