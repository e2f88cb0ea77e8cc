"""The product as a service: an HTTP API over a store (``peer serve``) and a folder watcher (``peer watch``).

- :mod:`service.app`     the FastAPI app: the routers of :mod:`service.routers` (one per resource, the
                         OpenAI-compatible API and the dashboard among them), assembled
- :mod:`service.core`    the Service behind them: options, served versions, the job runner, metrics
- :mod:`service.deps`    what routers depend on: the service, who may read or write
- :mod:`service.server`  ``peer serve``: uvicorn, where it may bind, graceful shutdown
- :mod:`service.models`  the served versions, swapped atomically when a newer one is ready
- :mod:`service.completions` completions as OpenAI describes them: stop strings, finish reasons, logprobs
- :mod:`service.jobs`    ingest jobs, one at a time in a worker thread, under the store's writer lock
- :mod:`service.watch`   ``peer watch``: each corpus dropped into a folder becomes a version, once
- :mod:`service.spool`   uploads spooled into the store before a job is accepted
- :mod:`service.http`    bearer tokens, body limits, errors as status codes and one line (OpenAI's shape on its paths)
- :mod:`service.metrics` ``GET /metrics`` in the Prometheus text format

Arrows point down: cli -> service -> continual -> trainer -> peer_store.
"""
