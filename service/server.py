"""``peer serve``: the app under uvicorn, bound where it is safe to bind.

Binding anything but a loopback address needs a token: a server reachable
from other hosts must not take writes from anyone. SIGTERM and Ctrl-C stop it
gracefully: requests in flight finish, a running job stops at its next step
and is marked failed (the previous version stays current), queued jobs fail,
and the process exits 0.
"""

from __future__ import annotations

import ipaddress
import signal
from collections.abc import Callable
from pathlib import Path

import uvicorn

from peer_store.errors import ConfigError
from service.app import create_app
from service.core import Service, ServeOptions


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


def read_token(path: Path) -> str:
    """The bearer token in ``path`` (surrounding whitespace dropped); refused if missing or empty."""
    try:
        token = Path(path).read_text().strip()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read the token file {path}: {error}; pass a readable text file") from None
    if not token or any(c.isspace() for c in token):
        raise ConfigError(f"the token file {path} must hold one token (no spaces), e.g. from `openssl rand -hex 32`")
    return token


def check_bind(host: str, token: str | None) -> None:
    if token is None and not is_loopback(host):
        raise ConfigError(
            f"refusing to serve on {host} without a token: anyone who can reach it could ingest into the store; "
            "pass --token-file, or bind 127.0.0.1"
        )


def serve(
    store: Path | str, *, db_url: str | None = None, host: str = "127.0.0.1", port: int = 8000,
    options: ServeOptions = ServeOptions(), say: Callable[[str], None] = lambda line: None,
) -> None:
    """Serve ``store`` until SIGTERM or Ctrl-C. Startup problems (no store, a bad option) raise ``PeerError``
    before anything is bound."""
    if not 0 <= port <= 65535:
        raise ConfigError(f"--port must be a TCP port, 0 to 65535 (0: any free one), got {port}")
    check_bind(host, options.token)
    service = Service(store, db_url=db_url, options=options, say=say)
    try:
        service.start()
        say(f"serving {service.reader.path} (version {service.versions.current_number or 'none yet'}) on "
            f"http://{host}:{port} (API docs at /docs)")
        server = uvicorn.Server(uvicorn.Config(create_app(service), host=host, port=port, log_level="info",
                                               timeout_graceful_shutdown=options.shutdown_s))
        # uvicorn raises again the signal it stopped on, once it has stopped; the stop is done by then, so
        # that signal is let go instead of killing the process (or raising KeyboardInterrupt).
        previous = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            server.run()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    finally:
        service.stop()  # a no-op after the lifespan's stop; the stop when uvicorn could not start (it says why)


__all__ = ["check_bind", "is_loopback", "read_token", "serve"]
