"""peer-store: a growable product-key expert memory (PEER, He 2024) and its layer.

    from peer_store import PEERConfig, PEERLayer, make_optimizer
"""

from importlib import import_module

# Names are imported on first use, so `import peer_store.db` (the registry and the CLI's
# database commands) does not pay for importing torch.
_EXPORTS = {
    "PEERConfig": "peer_store.config",
    "ConfigError": "peer_store.errors",
    "PeerError": "peer_store.errors",
    "ShapeError": "peer_store.errors",
    "StoreError": "peer_store.errors",
    "load_memory": "peer_store.files",
    "load_segment": "peer_store.files",
    "save_memory": "peer_store.files",
    "save_segment": "peer_store.files",
    "sparse_allreduce_hook": "peer_store.distributed",
    "expert_mixture": "peer_store.kernel",
    "PEERLayer": "peer_store.layer",
    "Routing": "peer_store.layer",
    "ExpertMemory": "peer_store.memory",
    "PEEROptimizer": "peer_store.optim",
    "make_optimizer": "peer_store.optim",
    "split_parameters": "peer_store.optim",
    "ExpertTable": "peer_store.segment",
    "Segment": "peer_store.segment",
}


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'peer_store' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_EXPORTS))


__all__ = sorted(_EXPORTS)
__version__ = "0.1.0"
