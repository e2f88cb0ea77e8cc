"""``peer serve`` and ``peer watch``: the store as an HTTP service, and a folder whose new corpora become versions.

Each parses its options and calls :mod:`service`.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated

import typer

from cli.common import (
    DbUrlOption, FollowLinksOption, MaxCorpusBytesOption, StoreOption, interrupt_is_one_line, open_store, reports_errors, say,
    until_stopped,
)
from peer_store.errors import ConfigError
from trainer.data.reading import DEFAULT_MAX_CORPUS_BYTES, ReadLimits

WatchInterval = Annotated[
    float, typer.Option("--interval", help="Seconds between looks; a file is read once it has not changed for one.")
]


@reports_errors
def serve(
    store: StoreOption = None,
    db_url: DbUrlOption = None,
    host: Annotated[str, typer.Option(help="Address to bind; anything but loopback needs --token-file.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token_file: Annotated[
        Path | None,
        typer.Option(help="A file holding the bearer token that write endpoints (ingest) require.", show_default=False),
    ] = None,
    open_reads: Annotated[
        bool, typer.Option("--open-reads/--auth-reads", help="Whether reads (versions, score, generate, jobs, "
                                                             "metrics) are open or need the token too.")
    ] = True,
    watch: Annotated[
        Path | None,
        typer.Option(help="Also ingest each new corpus dropped into this folder (as `peer watch`).", show_default=False),
    ] = None,
    watch_interval: Annotated[float, typer.Option(help="Seconds between looks at --watch.")] = 2.0,
    max_body: Annotated[
        int, typer.Option(help="Largest JSON request body (score, generate, completions), bytes.")
    ] = 1 << 20,
    max_upload: Annotated[int, typer.Option(help="Largest corpus upload (POST /v1/ingest), bytes.")] = 64 << 20,
    max_steps: Annotated[int, typer.Option(help="Most training steps an ingest request may ask for.")] = 100_000,
    max_tokens: Annotated[
        int, typer.Option(help="Most tokens a generate or completion request may ask for (per choice).")
    ] = 2048,
    max_score_tokens: Annotated[
        int, typer.Option(help="Most tokens a score request may hold: a bound on the time one request takes.")
    ] = 65536,
    max_request_seconds: Annotated[
        float, typer.Option(help="Seconds a score or generate request may compute before it is stopped (503).")
    ] = 60.0,
    max_corpus_bytes: MaxCorpusBytesOption = DEFAULT_MAX_CORPUS_BYTES,
    follow_links: Annotated[
        bool, typer.Option("--follow-links", help="Let --watch read symbolic links out of its folder.")
    ] = False,
) -> None:
    """Serve a store over HTTP: versions, routed score and generate, the forgetting report, ingest jobs (one
    at a time, under the store's lock), an OpenAI-compatible API (/v1/models, /v1/completions) and a
    dashboard at /. A newly ready version is served without a restart; requests in flight finish on the
    version they started with. SIGTERM or Ctrl-C stops it gracefully."""
    if store is None:
        open_store(store, db_url)  # the one-line "no store given"
    if not open_reads and token_file is None:
        raise ConfigError("--auth-reads needs --token-file: without a token there is nothing to check reads against; "
                          "pass --token-file FILE")
    from service.server import check_bind, check_port, read_token, serve as run_serve

    limits = ReadLimits(max_bytes=max_corpus_bytes, follow_links=follow_links)
    token = None if token_file is None else read_token(token_file)
    check_port(port)
    check_bind(host, token)  # these refusals come before torch and FastAPI load
    with interrupt_is_one_line("the server stopped"):  # while it starts; uvicorn handles them once it runs
        from service.core import ServeOptions

        options = ServeOptions(
            token=token, open_reads=open_reads, max_body=max_body,
            max_upload=max_upload, max_steps=max_steps, max_tokens=max_tokens,
            max_score_tokens=max_score_tokens, max_request_s=max_request_seconds, watch=watch,
            watch_interval=watch_interval, limits=limits,
        )
        run_serve(store, db_url=db_url, host=host, port=port, options=options, say=say)


@reports_errors
def watch(
    folder: Annotated[Path, typer.Argument(help="The folder to watch: each file or subfolder in it is one corpus.",
                                           show_default=False)],
    interval: WatchInterval = 2.0,
    steps: Annotated[
        int | None, typer.Option(help="Training steps per corpus (default: the store config's).", show_default=False)
    ] = None,
    max_corpus_bytes: MaxCorpusBytesOption = DEFAULT_MAX_CORPUS_BYTES,
    follow_links: FollowLinksOption = False,
    store: StoreOption = None,
    db_url: DbUrlOption = None,
) -> None:
    """Ingest each new corpus dropped into FOLDER, in name order, once each (by content fingerprint), after it
    has stopped changing. Runs until SIGTERM or Ctrl-C (an ingest under way then fails and the previous version
    stays current); a restart, even after kill -9, repeats nothing, and an ingest that was cut off runs again.
    Nothing outside FOLDER is read: a symbolic link out of it is skipped unless --follow-links."""
    limits = ReadLimits(max_bytes=max_corpus_bytes, follow_links=follow_links)
    from service.jobs import JobRunner
    from service.watch import Watcher

    with open_store(store, db_url) as opened:
        runner = JobRunner(opened, say=say, limits=limits)
        watcher = Watcher(folder, runner, interval=interval, steps=steps, say=say)
        runner.recover()
        runner.start()
        try:
            with until_stopped():
                watcher.run(threading.Event())
        finally:
            runner.stop(timeout=30)
    say(f"stopped watching {folder}")
