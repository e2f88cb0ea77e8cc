"""``peer db``: the registry database itself."""

from __future__ import annotations

import typer

from cli.common import DbUrlOption, StoreOption, reports_errors
from peer_store.db import head_revision, upgrade_registry

app = typer.Typer(help="The registry database.", no_args_is_help=True)


@app.command(epilog="Example: peer db upgrade --store ./my-store")
@reports_errors
def upgrade(store: StoreOption = None, db_url: DbUrlOption = None) -> None:
    """Migrate the registry to this peer-store's schema (run it after upgrading peer-store)."""
    revision = upgrade_registry(store, db_url=db_url)
    typer.echo(f"registry at schema revision {revision} (this peer-store's head is {head_revision()})")
