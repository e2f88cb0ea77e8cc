"""The product's continual-learning procedures: growth methods, ingest, version files, routed inference.

    from continual import create_store, ingest, load_model, score_documents, sample

- :mod:`continual.config`     ContinualConfig: a store's model, method and ingest defaults
- :mod:`continual.methods`    the registry of growth methods (routed, grow, finetune): how a new version is made
                               (the study runs the same ones)
- :mod:`continual.routed`     RoutedModel: a version as one nn.Module, each token routed to one route
- :mod:`continual.router`     n-gram profiles and the router over them
- :mod:`continual.lora`       a version's low-rank deltas on the frozen backbone
- :mod:`continual.training`   windows, k-means growth, the Lightning fit, held-out evaluation
- :mod:`continual.versions`   a version's files: backbone, segments, routes, corpus snapshots
- :mod:`continual.ingest`     peer init / ingest / rollback
- :mod:`continual.accumulate` a routed ingest's choice of route: overrides, records, the line it prints (no torch)
- :mod:`continual.inference`  peer score / generate, and load_model for Python users
- :mod:`continual.students`   a distilled student read back from its store
- :mod:`continual.forgetting` the forgetting report from the registry (no torch)

Importing this package imports torch and Lightning lazily: the names below load their module on first use.
"""

from importlib import import_module

_EXPORTS = {
    "ContinualConfig": "continual.config",
    "create_store": "continual.ingest",
    "ingest": "continual.ingest",
    "rollback": "continual.ingest",
    "load_model": "continual.inference",
    "score": "continual.inference",
    "score_documents": "continual.inference",
    "sample": "continual.inference",
    "generate": "continual.inference",
    "RoutedModel": "continual.routed",
    "METHODS": "continual.methods",
    "make_method": "continual.methods",
}


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'continual' has no attribute {name!r}")


__all__ = sorted(_EXPORTS)
