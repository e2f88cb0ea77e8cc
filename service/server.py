"""``peer serve``: the app under uvicorn, bound where it is safe to bind.

Binding anything but a loopback address needs a token: a server reachable
from other hosts must not take writes from anyone. SIGTERM and Ctrl-C stop it
gracefully: requests in flight finish, a running job stops at its next step
and is marked failed (the previous version stays current), queued jobs fail,
and the process exits 0.
"""

from __future__ import annotations

import contextlib
import ipaddress
import signal
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from peer_store.errors import ConfigError

if TYPE_CHECKING:
    import uvicorn

    from service.core import ServeOptions


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


def check_port(port: int) -> None:
    if not 0 <= port <= 65535:
        raise ConfigError(f"--port must be a TCP port, 0 to 65535 (0: any free one), got {port}")


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` (uvicorn listens on it): a port in use is one line before anything
    loads or says it is serving."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as error:
        raise ConfigError(f"cannot serve on {host!r}: {error.strerror}; pass an address such as 127.0.0.1") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart need not wait for TIME_WAIT
        sock.bind(address)
    except OSError as error:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {(error.strerror or str(error)).lower()}; pick another "
                          "--port, or stop what is using it") from None
    return sock


def check_bind(host: str, token: str | None) -> None:
    if token is None and not is_loopback(host):
        raise ConfigError(
            f"refusing to serve on {host} without a token: anyone who can reach it could ingest into the store; "
            "pass --token-file, or bind 127.0.0.1"
        )


def serve(
    store: Path | str, *, db_url: str | None = None, host: str = "127.0.0.1", port: int = 8000,
    options: ServeOptions | None = None, say: Callable[[str], None] = lambda line: None,
) -> None:
    """Serve ``store`` until SIGTERM or Ctrl-C. Startup problems (no store, a bad option) raise ``PeerError``
    before anything is bound. The app (torch, FastAPI, uvicorn) is imported only once the address is checked,
    so a refusal is quick."""
    check_port(port)
    check_bind(host, None if options is None else options.token)
    with contextlib.closing(listening_socket(host, port)) as sock:
        import uvicorn

        from service.app import create_app
        from service.core import Service, ServeOptions

        options = options or ServeOptions()
        service = Service(store, db_url=db_url, options=options, say=say)
        try:
            service.start()
            say(f"serving {service.reader.path} (version {service.versions.current_number or 'none yet'}) on "
                f"http://{host}:{sock.getsockname()[1]} (API docs at /docs)")
            server = _server(uvicorn.Config(create_app(service), log_level="info",
                                            timeout_graceful_shutdown=options.shutdown_s), closing=service.closing)
            _run(server, sock)
        finally:
            service.stop()  # a no-op after the lifespan's stop; the stop when uvicorn could not start (it says why)


def _server(config: uvicorn.Config, *, closing: threading.Event) -> uvicorn.Server:
    """uvicorn's server, which also says when it begins to shut down (``closing``), before it waits for the open
    connections to finish (streams that follow a job end then)."""
    import uvicorn

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            closing.set()
            super().handle_exit(sig, frame)

    return Server(config)


def _run(server: uvicorn.Server, sock: socket.socket) -> None:
    # uvicorn raises again the signal it stopped on, once it has stopped; the stop is done by then, so
    # that signal is let go instead of killing the process (or raising KeyboardInterrupt).
    previous = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.run(sockets=[sock])
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


__all__ = ["check_bind", "check_port", "is_loopback", "listening_socket", "read_token", "serve"]
