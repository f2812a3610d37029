"""Migrations go up, down and up again on both databases, and match the models."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

import cvlens.models
from cvlens.platform import migrations
from tests.conftest import Database, _sync_url


def _sync_engine(database: Database):  # type: ignore[no-untyped-def]
    args = {"options": f"-csearch_path={database.schema}"} if database.schema else {}
    return create_engine(_sync_url(database.url), connect_args=args)


def _run(database: Database, action: str, revision: str) -> None:
    engine = _sync_engine(database)
    with engine.begin() as connection:
        config = migrations.alembic_config(connection=connection)
        getattr(command, action)(config, revision)
    engine.dispose()


def _tables(database: Database) -> set[str]:
    engine = _sync_engine(database)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(database: Database) -> None:
    expected = set(cvlens.models.Base.metadata.tables)
    assert _tables(database) == expected
    _run(database, "downgrade", "base")
    assert _tables(database) == set()
    _run(database, "upgrade", "head")
    assert _tables(database) == expected


def test_models_and_migrations_do_not_drift(database: Database) -> None:
    engine = _sync_engine(database)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        diff = compare_metadata(context, cvlens.models.Base.metadata)
    engine.dispose()
    assert diff == []
