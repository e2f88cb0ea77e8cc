"""Engines and the one session scope of the registry.

``make_engine`` turns a URL a user typed into a working engine or one
actionable error; ``session_scope`` is the only way the rest of the package
talks to the database: commit on success, roll back on any exception, and
database failures leave as ``RegistryError`` with a one-line message.

SQLite gets real transactions: the stdlib driver would otherwise commit
before every DDL statement, so a migration that fails half-way would leave
half a schema. Foreign keys are switched on, and writers wait for each other
(busy timeout) instead of failing at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from peer_store.db.errors import DatabaseUnavailable, RegistryError, RegistryReadOnly

SQLITE_BUSY_TIMEOUT_S = 30
SQLITE_READONLY = 8  # the primary result code; extended ones (a read-only folder, a read-only mount) share its low byte
PG_READ_ONLY_STATES = {"25006", "42501"}  # read_only_sql_transaction (a standby), insufficient_privilege (a role)
PG_CONNECT_TIMEOUT_S = 10
_POSTGRES_ALIASES = {"postgres", "postgresql"}


def parse_url(url: str | URL) -> URL:
    """Parse a database URL; bare ``postgresql://`` means the psycopg (3) driver."""
    try:
        parsed = make_url(url)
    except exc.ArgumentError as error:
        raise DatabaseUnavailable(
            f"not a database URL: {str(url)!r}; use e.g. postgresql://user:password@host:5432/dbname"
        ) from error
    if parsed.drivername in _POSTGRES_ALIASES:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def describe(url: str | URL) -> str:
    """The URL with its password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except exc.ArgumentError:
        return repr(str(url))


def sqlite_url(path) -> URL:
    return URL.create("sqlite", database=str(path))


def _sqlite_transactions(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # the driver stops issuing its own BEGIN/COMMIT
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        connection.exec_driver_sql("BEGIN")


def make_engine(url: str | URL) -> Engine:
    """An engine for ``url``; raises ``DatabaseUnavailable`` for a bad URL or a missing driver.

    Creating an engine does not connect: :func:`check_connection` does.
    """
    parsed = parse_url(url)
    connect_args = {}
    if parsed.get_backend_name() == "postgresql":
        connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_S
    try:
        engine = create_engine(parsed, connect_args=connect_args, pool_pre_ping=True)
    except exc.NoSuchModuleError as error:
        raise DatabaseUnavailable(
            f"no SQLAlchemy dialect for {describe(parsed)}; peer-store supports sqlite:/// and postgresql://"
        ) from error
    except ModuleNotFoundError as error:
        raise DatabaseUnavailable(
            f"the driver for {describe(parsed)} is not installed ({error.name}); "
            "for PostgreSQL run `pip install 'psycopg[binary]'`"
        ) from error
    except exc.ArgumentError as error:
        raise DatabaseUnavailable(f"bad database URL {describe(parsed)}: {error}") from error
    if parsed.get_backend_name() == "sqlite":
        _sqlite_transactions(engine)
    return engine


def first_line(error: BaseException) -> str:
    """The driver's own message without SQLAlchemy's SQL echo and background links."""
    original = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    return lines[0] if lines else type(original).__name__


def check_connection(engine: Engine) -> None:
    """Connect once; an unreachable server or a wrong password becomes one line with the fix."""
    try:
        with engine.connect():
            pass
    except exc.DBAPIError as error:
        raise DatabaseUnavailable(
            f"cannot connect to {describe(engine.url)}: {first_line(error)}; "
            "check --db-url (or PEER_DB_URL) and that the database server is running"
        ) from error


def is_read_only(error: exc.DBAPIError) -> bool:
    """Whether the database refused a write because it can only be read (by whoever runs this)."""
    original = getattr(error, "orig", None)
    code = getattr(original, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF == SQLITE_READONLY
    return getattr(original, "sqlstate", None) in PG_READ_ONLY_STATES


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit if the block returns, roll back if it raises."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except exc.DBAPIError as error:
        session.rollback()
        if is_read_only(error):
            raise RegistryReadOnly(
                f"cannot write to the registry {describe(engine.url)} ({first_line(error)}); check the permissions "
                "of the store folder and its registry, or the database role"
            ) from error
        if isinstance(error, exc.OperationalError):
            raise DatabaseUnavailable(f"database {describe(engine.url)} failed: {first_line(error)}") from error
        raise RegistryError(f"database {describe(engine.url)} refused a change: {first_line(error)}") from error
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
