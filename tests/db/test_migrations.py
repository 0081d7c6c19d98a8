from zhizao.db import migrate


def test_check_migrations_match_models(db_url: str) -> None:
    migrate.check(db_url)  # raises when models and migrations disagree


def test_upgrade_database_is_idempotent(db_url: str) -> None:
    assert migrate.upgrade(db_url) == 0
