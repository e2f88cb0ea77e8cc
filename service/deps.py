"""What the routers depend on (FastAPI ``Depends``): the :class:`Service` of the app, and who may read or write.

    @router.get("/v1/versions", dependencies=[Reads])
    def versions(service: ServiceDep) -> list[dict]: ...

The app holds its service in ``app.state.service`` (set by :func:`service.app.create_app`), so a router
module needs nothing from the app factory: a new endpoint is one router file.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials

from service.core import Service
from service.http import BEARER, check_bearer


def get_service(request: Request) -> Service:
    return request.app.state.service


ServiceDep = Annotated[Service, Depends(get_service)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]


def may_read(service: ServiceDep, credentials: Credentials) -> None:
    """Reads need the token only when the server was started with ``--auth-reads``."""
    check_bearer(credentials, None if service.options.open_reads else service.options.token)


def may_write(service: ServiceDep, credentials: Credentials) -> None:
    check_bearer(credentials, service.options.token)


Reads = Depends(may_read)
Writes = Depends(may_write)


def at_most(value: int | None, limit: int, loc: tuple[str, ...]) -> None:
    """Refuse ``value`` above a limit of the server's options as the request's own validation would (the
    models are module-level, so a per-server bound is checked here)."""
    if value is not None and value > limit:
        raise RequestValidationError([{"loc": loc, "msg": f"Input should be less than or equal to {limit} (a "
                                                          "limit of this server)", "type": "less_than_equal"}])


__all__ = ["Reads", "ServiceDep", "Writes", "at_most", "get_service", "may_read", "may_write"]
