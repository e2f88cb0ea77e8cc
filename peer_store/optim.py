"""Optimizer wiring: AdamW for dense weights, a row-wise sparse Adam for expert tables.

Expert tables are large (N rows) and each step touches only the rows that
were retrieved. ``torch.optim.AdamW`` on them would need dense gradients and
two N x d moment buffers, and would still move rows it never saw through
momentum and decay. The table update here:

- reads the uncoalesced sparse gradient (one row per retrieved entry), sums
  duplicates of the same row once (sort + index_add), and touches only those
  rows of the table and of the state;
- keeps one second-moment scalar and one step count per row (row-wise Adam
  with beta1 = 0 by default, as row-wise AdaGrad does for embedding tables),
  so the state is 8 bytes per expert instead of 8 * d; ``table_betas[0] > 0``
  adds a per-row momentum at N x d floats;
- applies decoupled weight decay lazily, to touched rows only.

Frozen parameters (``requires_grad=False``) are skipped and any state they
had is dropped, so frozen means no gradient, no state and no decay.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import Tensor, nn
from torch.optim.adamw import adamw

from peer_store.errors import ConfigError
from peer_store.kernel import empty_buffer
from peer_store.segment import ExpertTable, Segment


def split_parameters(module: nn.Module) -> tuple[list[nn.Parameter], list[nn.Parameter]]:
    """(dense parameters, expert-table parameters) of a module, trainable ones only."""
    table_ids = {id(m.weight) for m in module.modules() if isinstance(m, ExpertTable)}
    dense, tables = [], []
    for p in module.parameters():
        if p.requires_grad:
            (tables if id(p) in table_ids else dense).append(p)
    return dense, tables


def _sum_rows(rows: Tensor, values: Tensor) -> tuple[Tensor, Tensor, Tensor, Tensor | None]:
    """Unique rows ``[U]``, each entry's row slot ``[E]``, ``||row's summed gradient||^2`` ``[U]``,
    and the summed rows ``[U, d]`` when they were needed (else None).

    Two regimes, picked by how often rows repeat in this step:
    - few repeats (large N): norms of single rows come straight from their entry and only
      the repeated rows are summed, into a buffer the size of the repeats;
    - many repeats (small N, or skewed routing): every row is summed once (one scatter
      straight from the entries), which also makes the update U rows instead of E.
    """
    uniq, inverse, counts = torch.unique(rows, return_inverse=True, return_counts=True)  # [U], [E], [U]
    repeated = counts > 1  # [U]
    repeated_entries = int(counts[repeated].sum())
    if 4 * repeated_entries > rows.numel():
        summed = empty_buffer((uniq.numel(), values.shape[1]), values).zero_().index_add_(0, inverse, values)
        return uniq, inverse, torch.linalg.vector_norm(summed, dim=1, dtype=torch.float32).pow_(2), summed
    norms = torch.linalg.vector_norm(values, dim=1, dtype=torch.float32).pow_(2)  # [E]
    out = torch.zeros(uniq.numel(), dtype=torch.float32, device=values.device).index_add_(0, inverse, norms)
    if repeated_entries:
        slot = torch.full_like(uniq, -1)
        slot[repeated] = torch.arange(int(repeated.sum()), device=uniq.device)
        entry_slot = slot.index_select(0, inverse)  # [E], -1 for entries of single rows
        pos = (entry_slot >= 0).nonzero().squeeze(1)
        part = values.new_zeros(int(repeated.sum()), values.shape[1]).index_add_(
            0, entry_slot.index_select(0, pos), values.index_select(0, pos)
        )  # [R, d]: only the repeated rows
        out[repeated] = torch.linalg.vector_norm(part, dim=1, dtype=torch.float32).pow_(2)
    return uniq, inverse, out, None


def new_row_state(p: Tensor, beta1: float) -> dict[str, Tensor]:
    """The row-wise Adam state of table ``p [n, d]`` before its first step (a table without state
    steps as if it had this): a step count and a second moment per row, and per-row momentum
    ``[n, d]`` when ``beta1 > 0``. Every tensor is indexed by row first."""
    state = {
        "step": torch.zeros(p.shape[0], dtype=torch.int32, device=p.device),
        "exp_avg_sq": torch.zeros(p.shape[0], dtype=torch.float32, device=p.device),
    }
    if beta1 > 0:
        state["exp_avg"] = torch.zeros_like(p, dtype=torch.float32)
    return state


def _row_update(p: Tensor, grad: Tensor, state: dict, group: dict) -> None:
    """One row-wise sparse Adam step on the rows that ``grad`` touches."""
    lr, (beta1, beta2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
    if grad.is_sparse:
        rows, values = grad._indices()[0], grad._values()  # [E], [E, d] (uncoalesced)
    else:
        rows = grad.abs().sum(1).nonzero().squeeze(1)
        values = grad.index_select(0, rows)
    if not state:
        state.update(new_row_state(p, beta1))
    uniq, inverse, norm_sq, summed = _sum_rows(rows, values)  # [U], [E], [U], [U, d] | None
    step = state["step"].index_select(0, uniq) + 1  # [U]
    state["step"].index_copy_(0, uniq, step)
    v = state["exp_avg_sq"].index_select(0, uniq).mul_(beta2).add_(norm_sq / values.shape[1], alpha=1 - beta2)
    state["exp_avg_sq"].index_copy_(0, uniq, v)
    stepf = step.float()
    denom = (v / (1 - beta2**stepf)).sqrt_().add_(eps)  # [U]
    if wd:
        p.index_copy_(0, uniq, p.index_select(0, uniq).mul_(1 - lr * wd))
    if beta1 > 0:
        if summed is None:
            summed = values.new_zeros(uniq.numel(), values.shape[1]).index_add_(0, inverse, values)  # [U, d]
        m = state["exp_avg"].index_select(0, uniq).mul_(beta1).add_(summed.float(), alpha=1 - beta1)
        state["exp_avg"].index_copy_(0, uniq, m)
        p.index_add_(0, uniq, (m / ((1 - beta1**stepf) * denom).unsqueeze(1)).to(p.dtype), alpha=-lr)
        return
    # beta1 = 0: a row's update is its summed gradient / denom. That is linear, so without
    # summed rows each entry is added on its own, scaled by its row's denom.
    scale = -lr / denom  # [U]
    if summed is None:
        rows, values, scale = rows, values, scale.index_select(0, inverse)  # per entry: [E]
    else:
        rows, values = uniq, summed  # per unique row: [U]
    scale = scale.to(values.dtype)
    chunk = max(1, (32 << 20) // (values.shape[1] * values.element_size()))  # 32 MiB of scaled rows at a time
    buf = empty_buffer((min(chunk, rows.numel()), values.shape[1]), values)  # reused across chunks
    for e0 in range(0, rows.numel(), chunk):
        e1 = min(rows.numel(), e0 + chunk)
        update = torch.mul(values[e0:e1], scale[e0:e1, None], out=buf[: e1 - e0])
        p.index_add_(0, rows[e0:e1], update)  # no alpha: index_add_ with alpha is several times slower on CPU


class PEEROptimizer(torch.optim.Optimizer):
    """One optimizer for a model with PEER layers: group ``kind='dense'`` runs AdamW,
    group ``kind='table'`` runs the row-wise sparse Adam. LR schedulers, Lightning and
    ``state_dict`` see a single ordinary optimizer."""

    def __init__(self, params: Iterable[dict], *, foreach: bool | None = None):
        defaults = dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, kind="dense")
        super().__init__(list(params), defaults)
        for g in self.param_groups:
            if g["kind"] not in ("dense", "table"):
                raise ConfigError(f"param group kind must be 'dense' or 'table', got {g['kind']!r}")
        self.foreach = foreach

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            live = []
            for p in group["params"]:
                if not p.requires_grad:
                    self.state.pop(p, None)  # frozen: no state, no update, no decay
                elif p.grad is not None:
                    live.append(p)
            if not live:
                continue
            if group["kind"] == "table":
                for p in live:
                    _row_update(p, p.grad, self.state[p], group)
                continue
            for p in live:
                if p.grad.is_sparse:
                    raise ConfigError("a dense parameter got a sparse gradient; put it in a 'table' group")
                st = self.state[p]
                if not st:
                    st["step"] = torch.tensor(0.0)
                    st["exp_avg"] = torch.zeros_like(p)
                    st["exp_avg_sq"] = torch.zeros_like(p)
            beta1, beta2 = group["betas"]
            adamw(
                live,
                [p.grad for p in live],
                [self.state[p]["exp_avg"] for p in live],
                [self.state[p]["exp_avg_sq"] for p in live],
                [],
                [self.state[p]["step"] for p in live],
                foreach=self.foreach,
                amsgrad=False,
                beta1=beta1,
                beta2=beta2,
                lr=group["lr"],
                weight_decay=group["weight_decay"],
                eps=group["eps"],
                maximize=False,
            )
        return loss


def make_optimizer(
    module: nn.Module,
    *,
    lr: float = 1e-3,
    betas: tuple[float, float] = (0.9, 0.999),
    weight_decay: float = 0.01,
    table_lr: float | None = None,
    table_betas: tuple[float, float] = (0.0, 0.999),
    table_weight_decay: float = 0.0,
    eps: float = 1e-8,
) -> PEEROptimizer:
    """The right optimizer for a module with PEER layers: trainable dense weights get AdamW,
    trainable expert tables get the row-wise sparse Adam; frozen parameters get nothing.

    ``weight_decay`` applies to dense matrices only: biases, norm gains and the product
    sub-keys (shrinking them would move every retrieval) are in a group without decay.
    """
    dense, tables = split_parameters(module)
    key_ids = {id(m.sub_keys) for m in module.modules() if isinstance(m, Segment)}
    decay = [p for p in dense if p.dim() >= 2 and id(p) not in key_ids]
    no_decay = [p for p in dense if p.dim() < 2 or id(p) in key_ids]
    groups = []
    for params, wd in ((decay, weight_decay), (no_decay, 0.0)):
        if params:
            groups.append(dict(params=params, kind="dense", lr=lr, betas=betas, eps=eps, weight_decay=wd))
    if tables:
        groups.append(
            dict(
                params=tables,
                kind="table",
                lr=lr if table_lr is None else table_lr,
                betas=table_betas,
                eps=eps,
                weight_decay=table_weight_decay,
            )
        )
    if not groups:
        raise ConfigError("the module has no trainable parameters; nothing to optimise")
    return PEEROptimizer(groups)
