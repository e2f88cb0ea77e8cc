"""The ``peer`` app: one Typer per noun, commands registered here."""

from __future__ import annotations

import typer

from cli import db, store, versions

app = typer.Typer(
    name="peer",
    help="A continual-learning service around a growable PEER expert memory.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

app.command("init", epilog="Example: peer init ./my-store  (or with --db-url postgresql://user@host/peer)")(store.init)
app.command("versions", epilog="Example: peer versions --store ./my-store --json")(versions.versions)
app.command("show", epilog="Example: peer show 3 --store ./my-store")(versions.show)
app.command("fsck", epilog="Example: PEER_HOME=./my-store peer fsck")(store.check)
app.command("gc", epilog="Example: peer gc --store ./my-store --dry-run")(store.collect)
app.add_typer(db.app, name="db")
# Commands that train (ingest, evaluate, rollback, generate) register here as they land.
