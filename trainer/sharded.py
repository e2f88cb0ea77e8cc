"""The language model's expert tables sharded by rows over the ranks of a Lightning DDP run.

``TrainConfig.shard_experts`` / ``LMModule(shard_experts=True)``; the module's hooks call:

- :func:`shard_module` in ``configure_model``: Lightning has started the process group and not yet
  wrapped the module in DistributedDataParallel. Every PEER layer's tables are cut by rows over the
  ranks (:func:`peer_store.sharded.shard_peer_layers`) and kept out of DDP's gradient all-reduce;
  the optimizer, built after this hook, gives each rank's rows the row-wise sparse Adam.
- :func:`gather_tables` in ``on_save_checkpoint``: the checkpoint gets the whole tables and their
  whole per-row optimizer state, i.e. what an unsharded run would have saved. It loads into a
  :class:`~trainer.model.LanguageModel`, and resumes sharded over any number of ranks or unsharded.
- :func:`cut_tables` in ``on_load_checkpoint``: this rank's rows of such a checkpoint.

Only the popen flavour of Lightning's DDP (``strategy='ddp'``, or processes started by torchrun or
SLURM) keeps every rank's rows: ``ddp_spawn`` and ``ddp_fork`` load rank 0's state dict back into
the launching process, and FSDP / DeepSpeed would cut the tables again by their own rules.
"""

from __future__ import annotations

from typing import Any

import lightning as L
from lightning.pytorch.strategies import DDPStrategy
from torch.distributed.device_mesh import init_device_mesh

from peer_store.errors import ConfigError
from peer_store.optim import new_row_state, split_parameters
from peer_store.sharded import ShardedExpertTable, shard_peer_layers


def shard_module(module: L.LightningModule) -> list[str]:
    """Shard every PEER layer of ``module`` over the ranks of its trainer (in place); the names of the
    sharded tables' parameters, which DDP leaves alone."""
    strategy = module.trainer.strategy
    if type(strategy) is not DDPStrategy or getattr(strategy, "_start_method", "popen") != "popen":
        raise ConfigError(
            f"shard_experts runs under strategy='ddp' (one process per rank, started by Lightning, torchrun or "
            f"SLURM); this trainer uses {type(strategy).__name__}"
            + (f" with start method {strategy._start_method!r}" if isinstance(strategy, DDPStrategy) else "")
        )
    device = strategy.root_device
    mesh = init_device_mesh(device.type, (module.trainer.world_size,))
    module.to(device)  # rank 0's tables are scattered from the device the mesh lives on
    tables = shard_peer_layers(module, mesh)
    if not tables:
        raise ConfigError("shard_experts is set but the model has no PEER layer to shard; use model.ffn='peer'")
    return tables


def _tables(module: L.LightningModule) -> dict[str, ShardedExpertTable]:
    """The sharded tables by their weight's key in ``module.state_dict()``."""
    return {f"{name}.weight": m for name, m in module.named_modules() if isinstance(m, ShardedExpertTable)}


def _optimizer_slots(
    module: L.LightningModule, optimizer_state: dict[str, Any]
) -> list[tuple[int, ShardedExpertTable, float]]:
    """``(index in the optimizer state, table, beta1)`` of each sharded trainable table. The row-wise
    group lists the trainable tables in :func:`peer_store.split_parameters` order (make_optimizer)."""
    groups = [g for g in optimizer_state["param_groups"] if g.get("kind") == "table"]
    if not groups:
        return []
    (group,) = groups
    _, params = split_parameters(module)
    if len(group["params"]) != len(params):
        raise ConfigError(
            f"the checkpoint's optimizer holds {len(group['params'])} expert tables, this model trains "
            f"{len(params)}; resume from a checkpoint of the same model"
        )
    by_weight = {id(m.weight): m for m in _tables(module).values()}
    return [(i, by_weight[id(p)], group["betas"][0]) for i, p in zip(group["params"], params) if id(p) in by_weight]


def gather_tables(module: L.LightningModule, checkpoint: dict[str, Any], *, keep: bool) -> None:
    """Replace this rank's rows in ``checkpoint`` (a Lightning checkpoint being saved) by the whole tables
    and their whole row-wise optimizer state. A collective: every rank calls it, table by table; only
    ranks with ``keep`` (the one that writes the file) hold the whole tensors afterwards (on the CPU)."""
    tables = _tables(module)
    if not tables:
        return
    state = checkpoint["state_dict"]
    for key, table in tables.items():
        whole = table.gather_rows(state[key])
        if keep:
            state[key] = whole.cpu()
    for opt in checkpoint.get("optimizer_states", []):
        for index, table, beta1 in _optimizer_slots(module, opt):
            # A rank whose rows were never touched has no state yet; zeros step the same.
            mine = opt["state"].get(index) or new_row_state(table.weight, beta1)
            whole = {name: table.gather_rows(mine[name]) for name in sorted(mine)}
            if keep:  # a new dict: the optimizer's own state dict holds the live one
                opt["state"][index] = {name: t.cpu() for name, t in whole.items()}


def cut_tables(module: L.LightningModule, checkpoint: dict[str, Any]) -> None:
    """Replace the whole tables and optimizer state in ``checkpoint`` (being loaded) by this rank's rows."""
    tables = _tables(module)
    if not tables:
        return
    state = checkpoint["state_dict"]
    for key, table in tables.items():
        if key in state:
            state[key] = table.local_rows(state[key])
    for opt in checkpoint.get("optimizer_states", []):
        for index, table, _ in _optimizer_slots(module, opt):
            if index in opt["state"]:
                opt["state"][index] = {name: table.local_rows(t) for name, t in opt["state"][index].items()}
