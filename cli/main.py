"""The ``peer`` app: one Typer per noun, commands registered here."""

from __future__ import annotations

import typer

from cli import compare, continual, db, distill, evaluate, export, serve, store, versions
from cli.common import OneLineErrors

app = typer.Typer(
    name="peer",
    cls=OneLineErrors,
    help="A continual-learning service around a growable PEER expert memory.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

app.command(
    "init",
    epilog="Example: peer init ./my-store --base-corpus ./python-src --method routed  "
    "(or with --db-url postgresql://user@host/peer; --config million for a million experts per PEER layer)",
)(store.init)
app.command(
    "ingest", epilog="Example: peer ingest ./plays/ --name shakespeare --steps 300 --store ./my-store"
)(continual.ingest)
app.command("rollback", epilog="Example: peer rollback 2 --store ./my-store")(continual.rollback)
app.command("generate", epilog='Example: peer generate --prompt "def main(" --tokens 120 --store ./my-store')(
    continual.generate
)
app.command("score", epilog="Example: peer score notes.txt --store ./my-store --json  (--student 1: a distilled student)")(continual.score)
app.command(
    "distill",
    epilog="Example: peer distill --version 3 --width 128 --steps 300 --store ./my-store  "
    "(then: peer score notes.txt --student 1 --store ./my-store)",
)(distill.distill)
app.command("students", epilog="Example: peer students --version 3 --store ./my-store --json")(distill.students)
app.command("versions", epilog="Example: peer versions --store ./my-store --json")(versions.versions)
app.command("show", epilog="Example: peer show 3 --store ./my-store")(versions.show)
app.command("export", epilog="Example: peer export 3 --out ./my-model --store ./my-store")(export.export)
app.command("fsck", epilog="Example: PEER_HOME=./my-store peer fsck")(store.check)
app.command("gc", epilog="Example: peer gc --store ./my-store --dry-run")(store.collect)
app.command(
    "serve", epilog="Example: peer serve --store ./my-store --port 8000  (then: curl localhost:8000/v1/versions)"
)(serve.serve)
app.command("watch", epilog="Example: peer watch ./incoming --interval 5 --store ./my-store")(serve.watch)
app.command(
    "compare",
    epilog="Example: peer compare --stream stream.txt --methods peer-grow,dense-finetune --steps 150 --out report/",
)(compare.compare)
app.add_typer(db.app, name="db")
app.add_typer(evaluate.app, name="evaluate")


if __name__ == "__main__":  # python -m cli.main, as python -m cli
    app(prog_name="peer")
