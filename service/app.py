"""The HTTP API over one store: :func:`create_app` assembles the routers of :mod:`service.routers` around a
:class:`service.core.Service`.

    from service.core import Service, ServeOptions

    service = Service("my-store", options=ServeOptions(token="..."))
    service.start()                       # fail what a killed server left, load the current version
    app = create_app(service)             # uvicorn runs it; its lifespan starts and stops the threads

Every answer computed by a model names the version that computed it (a ``version`` field, or
``system_fingerprint`` on the OpenAI-compatible paths, and the ``X-Peer-Version`` header).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from service.core import Service
from service.http import BodyLimit, install_error_handlers
from service.metrics import Timing
from service.routers import ROUTERS


def create_app(service: Service) -> FastAPI:
    """The app: the routers, the error shapes, the body limits and request metrics, and a lifespan that runs
    the service's threads while the app serves."""

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        service.run_threads()
        try:
            yield
        finally:
            await run_in_threadpool(service.stop)

    app = FastAPI(
        title="peer-store", lifespan=lifespan,
        description="A continual-learning service over one store: its versions, routed scoring and generation, "
                    "the forgetting report, and ingest jobs that grow the store.",
    )
    app.state.service = service
    for router in ROUTERS:
        app.include_router(router)
    install_error_handlers(app)
    options = service.options
    app.add_middleware(BodyLimit, limit_for=lambda path: options.max_upload if path == "/v1/ingest" else options.max_body)
    paths = {route.path for router in [app.router, *ROUTERS] for route in router.routes if hasattr(route, "path")}
    app.add_middleware(Timing, metrics=service.metrics, known=paths)
    return app


__all__ = ["create_app"]
