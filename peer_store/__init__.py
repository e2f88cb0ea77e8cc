"""peer-store: a growable product-key expert memory (PEER, He 2024) and its layer.

    from peer_store import PEERConfig, PEERLayer, make_optimizer
"""

from peer_store.config import PEERConfig
from peer_store.errors import ConfigError, PeerError, ShapeError, StoreError
from peer_store.files import load_memory, load_segment, save_memory, save_segment
from peer_store.kernel import expert_mixture
from peer_store.layer import PEERLayer, Routing
from peer_store.memory import ExpertMemory
from peer_store.optim import PEEROptimizer, make_optimizer, split_parameters
from peer_store.segment import ExpertTable, Segment

__all__ = [
    "ConfigError",
    "ExpertMemory",
    "ExpertTable",
    "PEERConfig",
    "PEERLayer",
    "PEEROptimizer",
    "PeerError",
    "Routing",
    "Segment",
    "ShapeError",
    "StoreError",
    "expert_mixture",
    "load_memory",
    "load_segment",
    "make_optimizer",
    "save_memory",
    "save_segment",
    "split_parameters",
]
__version__ = "0.1.0"
