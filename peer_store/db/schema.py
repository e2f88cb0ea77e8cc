"""The registry's schema version: run the alembic migrations, refuse a schema that does not match.

The migrations are the installed ``migrations`` package, found on the import path (its folder is looked
up, the package is not imported: it imports the db, which sits below it) and never from the current
directory, so ``peer db upgrade`` works from anywhere.
A whole upgrade runs in one transaction (SQLite included, see
``engine.py``): it lands completely or not at all.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, exc

from peer_store.db.engine import check_connection, describe, first_line, make_engine
from peer_store.db.errors import DatabaseUnavailable, RegistryError, SchemaMismatch


def migrations_dir() -> Path:
    """The folder of the installed ``migrations`` package (holds env.py and versions/)."""
    spec = importlib.util.find_spec("migrations")
    if spec is None or spec.origin is None:
        raise RegistryError("the migrations package is not installed; reinstall peer-store (pip install peer-store)")
    return Path(spec.origin).resolve().parent


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


@cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    heads = _script().get_heads()
    assert len(heads) == 1, f"the migrations have {len(heads)} heads {heads}; merge them (alembic merge)"
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for a database that was never migrated."""
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except exc.DBAPIError as error:
        raise DatabaseUnavailable(
            f"cannot read the schema version of {describe(engine.url)}: {first_line(error)}; "
            "check --db-url (or PEER_DB_URL) and that the database server is running"
        ) from error


def is_known(revision: str) -> bool:
    return any(script.revision == revision for script in _script().walk_revisions())


def _refuse_newer(engine: Engine, revision: str | None) -> None:
    if revision is not None and not is_known(revision):
        raise SchemaMismatch(
            f"the database {describe(engine.url)} has schema revision {revision}, newer than this "
            f"peer-store knows (head {head_revision()}); upgrade peer-store (pip install -U peer-store)"
        )


def check_schema(engine: Engine) -> None:
    """Raise ``SchemaMismatch`` unless the database is exactly at this code's head revision."""
    revision = current_revision(engine)
    _refuse_newer(engine, revision)
    if revision != head_revision():
        at = "no peer-store schema" if revision is None else f"schema revision {revision}"
        raise SchemaMismatch(
            f"the database {describe(engine.url)} has {at}, this peer-store needs {head_revision()}; "
            "run `peer db upgrade`"
        )


def upgrade_engine(engine: Engine, revision: str = "head") -> str:
    """Migrate the database behind ``engine`` to ``revision`` in one transaction; returns the new revision."""
    check_connection(engine)
    _refuse_newer(engine, current_revision(engine))
    cfg = alembic_config()
    try:
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)
    except exc.DBAPIError as error:
        raise RegistryError(
            f"upgrading {describe(engine.url)} failed and was rolled back, nothing changed: {first_line(error)}; "
            "fix what the database reports (e.g. a foreign table of the same name) and run `peer db upgrade` again"
        ) from error
    return current_revision(engine)


def downgrade_engine(engine: Engine, revision: str) -> str | None:
    """Migrate down to ``revision`` ("base" drops every table); for tests and rescue."""
    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)
    return current_revision(engine)


def upgrade(db_url: str, revision: str = "head") -> str:
    """Migrate the database at ``db_url`` to ``revision`` (default: this code's head)."""
    engine = make_engine(db_url)
    try:
        return upgrade_engine(engine, revision)
    finally:
        engine.dispose()
