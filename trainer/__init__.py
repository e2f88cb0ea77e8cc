"""Lightning language models with interchangeable FFN layers, their data and training.

    from trainer.config import TrainConfig
    from trainer.fit import train, evaluate

- :mod:`trainer.config`  typed configs (model, MoE, PEER, data, optimizer, run)
- :mod:`trainer.ffn`     FFN kinds by name: dense, peer, switch, soft, topk, hmoe
- :mod:`trainer.model`   the pre-norm decoder-only transformer
- :mod:`trainer.data`    corpus sources, tokenizer, packed and sharded stream
- :mod:`trainer.module`  the LightningModule and DataModule
- :mod:`trainer.sharded` PEER expert tables split by rows over the ranks of a DDP run
- :mod:`trainer.fit`     ``train(config) -> TrainResult`` and ``evaluate``

Importing this package imports neither Lightning nor torch (``LanguageModel`` is imported on first use), so a
command can check its input before paying for them; ``trainer.module``, ``trainer.sharded`` and ``trainer.fit``
import Lightning.
"""

from importlib import import_module

from trainer.config import DataConfig, ModelConfig, OptimConfig, TrainConfig
from trainer.ffn_config import MoEConfig, PEERFFNConfig
from trainer.errors import CorpusError


def __getattr__(name: str):
    if name == "LanguageModel":
        return import_module("trainer.model").LanguageModel
    raise AttributeError(f"module 'trainer' has no attribute {name!r}")


__all__ = [
    "CorpusError",
    "DataConfig",
    "LanguageModel",
    "ModelConfig",
    "MoEConfig",
    "OptimConfig",
    "PEERFFNConfig",
    "TrainConfig",
]
