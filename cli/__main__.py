"""``python -m cli`` runs the ``peer`` command (what the console script runs)."""

from cli.main import app

app(prog_name="peer")
