"""Alembic environment: runs on the connection ``peer_store.db.schema`` passes in, or on ``-x db_url=...``."""

from alembic import context

from peer_store.db.engine import make_engine
from peer_store.db.models import Base

config = context.config


def _configure(**kwargs) -> None:
    context.configure(
        target_metadata=Base.metadata,
        compare_type=True,
        transactional_ddl=True,  # SQLite too: engine.py makes its transactions real
        **kwargs,
    )


def run_online(connection) -> None:
    # SQLite cannot ALTER most things: batch mode rebuilds the table instead.
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_online(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("db_url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("no database: pass -x db_url=sqlite:///path.db (or postgresql://...)")
    if context.is_offline_mode():
        _configure(url=url, literal_binds=True, render_as_batch=url.startswith("sqlite"))
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            run_online(connection)
    finally:
        engine.dispose()


main()
