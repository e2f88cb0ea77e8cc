"""CHECK constraints: the models and the migrations must agree on them too.

alembic's ``compare_metadata`` (``test_models_and_migrations_agree``) does not compare CHECK constraints, so a
model whose check changed without a revision would pass it. Here the schema is built both ways on the same
server, and the constraints the server keeps (SQLite: the table's SQL; PostgreSQL: ``pg_get_constraintdef``)
are compared by name and text.
"""

from __future__ import annotations

from sqlalchemy import Engine, inspect

from peer_store.db import upgrade
from peer_store.db.engine import make_engine, sqlite_url
from peer_store.db.models import Base
from peer_store.db.schema import downgrade_engine


def check_constraints(engine: Engine) -> dict[str, set[tuple[str, str]]]:
    """table -> {(constraint name, its SQL with whitespace collapsed)} for every table but alembic's."""
    insp = inspect(engine)
    return {
        table: {(c["name"], " ".join(c["sqltext"].split())) for c in insp.get_check_constraints(table)}
        for table in insp.get_table_names()
        if table != "alembic_version"
    }


def test_check_constraints_of_models_and_migrations_agree(db_url, tmp_path):
    url = db_url or str(sqlite_url(tmp_path / "registry.db"))
    upgrade(url)
    engine = make_engine(url)
    try:
        migrated = check_constraints(engine)
        assert downgrade_engine(engine, "base") is None
        assert check_constraints(engine) == {}
        Base.metadata.create_all(engine)
        modelled = check_constraints(engine)
    finally:
        engine.dispose()
    assert "ck_versions_status" in {name for name, _ in modelled["versions"]}  # the comparison is not vacuous
    assert migrated == modelled, "the models' CHECK constraints differ from the migrations'; write a revision"
