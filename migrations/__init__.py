"""Alembic environment and revisions of the peer-store registry.

An installed package, so the migrations are found next to the code that
needs them: ``peer_store.db.schema.upgrade(db_url)`` (``peer db upgrade``)
runs them. To write a new revision, change ``peer_store/db/models.py`` and run
``alembic -c migrations/alembic.ini -x db_url=sqlite:///scratch.db revision --autogenerate -m "what"``
against a database at the current head; keep one head.
"""
