"""Who may do what, how much they may send, and how errors look, for the service's HTTP layer.

- :func:`check_bearer` checks ``Authorization: Bearer <token>`` in constant time (401 otherwise).
- :class:`BodyLimit` refuses a body above its route's limit with 413 before the app reads it
  (``Content-Length``) or as soon as the stream passes the limit (chunked bodies).
- :func:`sse` writes one server-sent event (the streams end with ``data: [DONE]``, as OpenAI's do).
- :func:`install_error_handlers` turns a ``PeerError`` into its status and one line
  (``{"detail": "..."}``), and a validation error into 422 naming the field. On the
  OpenAI-compatible paths (:data:`OPENAI_PATHS`) every error has OpenAI's shape instead
  (``{"error": {"message", "type", "param", "code"}}``, validation errors as 400), so
  OpenAI clients raise their usual exceptions.
"""

from __future__ import annotations

import hmac
import sys
import time
import json
from collections.abc import Callable
from typing import Any

import anyio
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from peer_store.db.errors import JobNotFound, StoreLocked, VersionNotFound, VersionStateError
from peer_store.errors import ConfigError, PeerError
from service.spool import UnsupportedMedia
from trainer.errors import CorpusError, CorpusTooLarge, DuplicateCorpus


class Conflict(PeerError):
    """The request clashes with what the store holds or is doing (a corpus ingested or queued already)."""


class Unsupported(PeerError):
    """The request asks for something this server cannot do with this store (chat without a chat template)."""


STATUS: list[tuple[type[PeerError], int]] = [  # the first match wins
    (VersionNotFound, 404),
    (JobNotFound, 404),
    (DuplicateCorpus, 409),
    (Conflict, 409),
    (StoreLocked, 409),
    (VersionStateError, 409),
    (UnsupportedMedia, 415),
    (Unsupported, 400),
    (CorpusTooLarge, 413),
    (CorpusError, 422),
    (ConfigError, 422),
]


def status_of(error: PeerError) -> int:
    """The HTTP status of an error a user can act on; 503 for the rest (the registry or the store's files)."""
    return next((code for kind, code in STATUS if isinstance(error, kind)), 503)


def one_line(text: str) -> str:
    return " ".join(str(text).split())


BEARER = HTTPBearer(auto_error=False, description="The token of the server's --token-file.")


def check_bearer(credentials: HTTPAuthorizationCredentials | None, token: str | None) -> None:
    """Let a request through with the right bearer token, compared in constant time (any if ``token`` is None)."""
    if token is None:
        return
    given = b"" if credentials is None else credentials.credentials.encode()
    if not hmac.compare_digest(given, token.encode()):
        raise HTTPException(401, "missing or wrong bearer token: send Authorization: Bearer <token>",
                            headers={"WWW-Authenticate": "Bearer"})


class RequestStopped(PeerError):
    """A request's work was stopped: it ran past the server's time limit, or its client went away."""


def request_check(request: Request, limit_s: float) -> Callable[[], None]:
    """For work that runs in a worker thread for ``request`` (scoring, sampling): a check to call between
    steps, which raises :class:`RequestStopped` once ``limit_s`` seconds have passed or the client has
    disconnected, so a request nobody waits for stops costing the server."""
    deadline = time.monotonic() + limit_s

    def check() -> None:
        if time.monotonic() > deadline:
            raise RequestStopped(f"the request took longer than this server's limit of {limit_s:g} s "
                                 "(--max-request-seconds); send less")
        if anyio.from_thread.run(request.is_disconnected):
            raise RequestStopped("the client went away; the request's work was stopped")

    return check


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int):
        super().__init__(413, f"the request body is larger than this server's limit of {limit:,} bytes; "
                              "send less (the limits are options of `peer serve`)")


class BodyLimit:
    """ASGI middleware: at most ``limit_for(path)`` bytes of request body.

    An error sent before the body was read (a 401 from the token check) first reads the rest of a body within
    the limit: a server that closes the connection while the client is still sending makes the client see
    "connection reset" instead of the answer (urllib, requests); curl alone reads the answer anyway. Only
    errors wait so: a stream's own disconnect listener may be reading, and a request without a body has
    nothing to drain."""

    def __init__(self, app, limit_for: Callable[[str], int]):
        self.app, self.limit_for = app, limit_for

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.limit_for(scope["path"])
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                return await _send_json(send, scope["path"], 400, "Content-Length is not a number")
            if int(declared) > limit:
                return await _send_json(send, scope["path"], 413, BodyTooLarge(limit).detail)
        seen, ended = 0, declared in (None, b"0") and b"transfer-encoding" not in headers  # ended: no body at all

        async def limited():
            nonlocal seen, ended
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                ended = not message.get("more_body", False)
                if seen > limit:
                    raise BodyTooLarge(limit)  # FastAPI lets an HTTPException from body reading through
            elif message["type"] == "http.disconnect":
                ended = True
            return message

        async def answering(message):
            nonlocal seen, ended
            is_error = message["type"] == "http.response.start" and message["status"] >= 400
            while is_error and not ended and seen <= limit:
                unread = await receive()  # what is left of a bounded body, read and dropped
                seen += len(unread.get("body", b""))
                ended = unread["type"] != "http.request" or not unread.get("more_body", False)
            await send(message)

        await self.app(scope, limited, answering)


OPENAI_PATHS = ("/v1/models", "/v1/completions", "/v1/chat/completions")
OPENAI_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
                404: "not_found_error", 409: "conflict_error", 413: "invalid_request_error",
                415: "invalid_request_error", 422: "invalid_request_error"}


def is_openai(path: str) -> bool:
    return path.startswith(OPENAI_PATHS)


def error_body(path: str, status: int, message: str, *, param: str | None = None,
               code: str | None = None) -> dict[str, Any]:
    """The JSON of an error answer: ``{"detail": ...}``, or OpenAI's shape on its paths."""
    if not is_openai(path):
        return {"detail": message}
    return {"error": {"message": message, "type": OPENAI_TYPES.get(status, "server_error"), "param": param,
                      "code": code}}


async def _send_json(send, path: str, status: int, detail: str) -> None:
    body = json.dumps(error_body(path, status, detail)).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def _field(loc) -> str:
    return ".".join(str(part) for part in loc) or "body"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(PeerError)
    async def peer_error(request: Request, error: PeerError) -> JSONResponse:
        status = status_of(error)
        code = "model_not_found" if isinstance(error, VersionNotFound) else None
        return JSONResponse(error_body(request.url.path, status, one_line(error), code=code), status_code=status)

    @app.exception_handler(StarletteHTTPException)  # the app's and the router's own (no route: 404)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        unread = unreadable_json(error.__cause__) if error.status_code == 400 else None
        if unread is not None:  # FastAPI's generic 400 for JSON that parses in no Python: say why, as a 422
            return _invalid(request, [{"field": "body", "message": unread}])
        return JSONResponse(error_body(request.url.path, error.status_code, str(error.detail)),
                            status_code=error.status_code, headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        return _invalid(request, [{"field": _field(e["loc"]), "message": e["msg"]} for e in error.errors()])


def unreadable_json(cause: BaseException | None) -> str | None:
    """Why a JSON body could not be read (bytes that are not UTF-8, nesting past the parser's depth, an integer
    of more digits than Python converts), or None for any other cause."""
    if isinstance(cause, UnicodeDecodeError):
        return f"the body is not UTF-8 (byte {cause.start}); send JSON as UTF-8 text"
    if isinstance(cause, RecursionError):
        return "the JSON is nested too deeply to read; send a flatter body"
    if isinstance(cause, ValueError) and "integer string conversion" in str(cause):
        return f"the JSON holds an integer of more than {sys.get_int_max_str_digits()} digits; send a smaller number"
    return None


def _invalid(request: Request, problems: list[dict[str, str]]) -> JSONResponse:
    """A 422 naming each field and what is wrong with it (OpenAI's 400 on its paths)."""
    detail = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
    if is_openai(request.url.path):
        field = problems[0]["field"] if problems else "body"
        param = None if field == "body" else field.removeprefix("body.")
        return JSONResponse(error_body(request.url.path, 400, detail, param=param), status_code=400)
    return JSONResponse({"detail": detail, "errors": problems}, status_code=422)


def sse(data: dict[str, Any] | str) -> bytes:
    """One server-sent event holding ``data`` (JSON, or a bare word such as ``[DONE]``)."""
    return f"data: {data if isinstance(data, str) else json.dumps(data)}\n\n".encode()


__all__ = ["BEARER", "BodyLimit", "BodyTooLarge", "Conflict", "OPENAI_PATHS", "RequestStopped", "Unsupported",
           "check_bearer", "error_body", "install_error_handlers", "is_openai", "one_line", "request_check", "sse",
           "status_of"]
