"""One ``APIRouter`` per resource; :func:`service.app.create_app` includes each of :data:`ROUTERS`.

- :mod:`service.routers.health`     ``/healthz`` and ``/metrics``
- :mod:`service.routers.versions`   the versions and the forgetting report
- :mod:`service.routers.inference`  routed scoring and generation
- :mod:`service.routers.jobs`       ingest jobs: submit, read, follow
- :mod:`service.routers.openai`     the OpenAI-compatible models, completions and chat completions
- :mod:`service.routers.dashboard`  the page at ``/``

A new endpoint is a function in one of these files, or a new file and one line in :data:`ROUTERS`.
"""

from service.routers import dashboard, health, inference, jobs, openai, versions

ROUTERS = [health.router, versions.router, inference.router, jobs.router, openai.router, dashboard.router]

__all__ = ["ROUTERS"]
