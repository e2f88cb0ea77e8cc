"""Expert tables sharded by rows over the ranks of a process group (expert parallelism).

Every rank trains on its own tokens (data parallel) and holds ``1/R`` of the rows of every
segment's ``down`` and ``up`` tables; the product keys and the query networks stay replicated
(sub-keys are ``2 * n * d_key/2`` floats against the tables' ``2 * n**2 * d``). A forward pass:

    retrieve locally                         ids, gate [T, m]   (m = h*k)
    all-gather tokens and their experts      x|gate [R*T, d+m], ids [R*T, m]
    mix the entries this rank owns           partial y [R*T, d] (the kernel of one process)
    reduce-scatter the partial sums          y [T, d]

and autograd runs the mirror image (all-gather ``dy``, reduce-scatter ``dx|dgate``). Table
gradients and optimizer state never leave their rank.

Why rows, not columns (memory layers at scale shard columns). Bytes a rank sends per token of
its own, per layer, ring collectives, fp32 activations, int64 ids:

    rows     forward (R-1)(4d + 4m + 8m + 4d)       backward (R-1)(4d + 4d + 4m)
    columns  forward (R-1)(4d + 4m + 8m + 8m + 4d/R) backward (R-1)(8m + 8d/R)  + row norms

Columns move fewer bytes while ``d`` is several times ``m`` (at d=1024, m=128: 1.3x fewer at R=2,
up to 2.4x for many ranks). Rows are chosen anyway, for what the rest of this package is built on:

- the row-wise sparse Adam (:mod:`peer_store.optim`) keeps one second moment per row from the
  norm of the row's whole gradient; column shards would need an all-reduce of those norms in
  the optimizer every step, and every rank would update every touched row;
- a PEER expert's activation needs the whole dot product ``u . x``: column shards need an
  all-reduce between the gather of ``u`` and the activation, i.e. a second kernel, where rows
  reuse :func:`peer_store.kernel.expert_mixture` unchanged on the local rows;
- frozen segments, growth and the sparse gradients stay rank-local (a rank's rows are an
  ordinary table to the kernel and the optimizer);
- past ``R > m`` ranks an all-to-all to the owners of a token's m experts caps the bytes per
  token, while column shards always need every rank for every token.

The tables are cut and scattered with torch's distributed tensors
(``distribute_tensor(table, mesh, [Shard(0)])``, rank 0's table wins) and
:meth:`ShardedExpertTable.dtensor` gives each back as one ``DTensor`` (``full_tensor()``,
distributed checkpoints). The parameters themselves are the local shards: a DTensor cannot
carry the sparse COO gradients the kernel writes (torch 2.13: its ``to_local`` backward calls
``aten::view``, which has no sparse kernel).
"""

from __future__ import annotations

from typing import Any

import torch
import torch.distributed._functional_collectives as fc
import torch.nn.functional as F
from torch import Tensor, nn
from torch.distributed.device_mesh import DeviceMesh
from torch.distributed.tensor import DTensor, Replicate, Shard, distribute_tensor

from peer_store.config import PEERConfig
from peer_store.errors import ConfigError
from peer_store.kernel import expert_mixture
from peer_store.layer import PEERLayer
from peer_store.memory import ExpertMemory
from peer_store.segment import ExpertTable, Segment


class ShardedExpertTable(ExpertTable):
    """Rows ``[r * n/R, (r + 1) * n/R)`` of an expert table of ``n`` rows, on rank ``r`` of a 1-D mesh."""

    def __init__(self, table: Tensor, mesh: DeviceMesh):
        rows, dim = table.shape
        local = distribute_tensor(table.detach(), mesh, [Shard(0)]).to_local()  # [n/R, d] of rank 0's table
        super().__init__(local.shape[0], dim, weight=local)
        self.weight.requires_grad_(table.requires_grad)
        self.mesh, self.rows = mesh, rows

    def dtensor(self) -> DTensor:
        """The whole table as a DTensor sharded by rows (no copy, no communication)."""
        return DTensor.from_local(
            self.weight.detach(), self.mesh, [Shard(0)], run_check=False,
            shape=(self.rows, self.embedding_dim), stride=(self.embedding_dim, 1),
        )

    def gather_rows(self, rows: Tensor) -> Tensor:
        """The whole ``[n, ...]`` tensor of which ``rows [n/R, ...]`` are this rank's part: the weight, or
        per-row state such as the row-wise optimizer's (a collective: call it on every rank)."""
        assert rows.shape[0] == self.num_embeddings, (rows.shape, self.num_embeddings)
        return DTensor.from_local(rows.contiguous(), self.mesh, [Shard(0)], run_check=False).full_tensor()

    def local_rows(self, whole: Tensor) -> Tensor:
        """A copy of this rank's rows of a whole ``[n, ...]`` tensor (the inverse of :meth:`gather_rows`)."""
        if whole.shape[0] != self.rows:
            raise ConfigError(f"a tensor of {whole.shape[0]} rows does not fit a table of {self.rows} experts")
        start = self.mesh.get_local_rank() * self.num_embeddings
        return whole[start : start + self.num_embeddings].clone()

    def extra_repr(self) -> str:
        return f"rows={self.num_embeddings} of {self.rows}, dim={self.embedding_dim}"


class ShardedExpertMemory(ExpertMemory):
    """An :class:`ExpertMemory` whose expert tables are split by rows over a 1-D device mesh.

    Retrieval (:meth:`search`), ids, freezing and ``growth_step`` are the unsharded memory's; a
    shell's rows divide evenly over the ranks, so every shell's experts (``n_keys**2`` for the first,
    ``2 * start * n_keys + n_keys**2`` for a later one) must be divisible by R. :meth:`grow` makes the new
    shell's tables whole once (on every rank, rank 0's are kept), then keeps only the rank's rows.
    """

    def __init__(self, d_model: int, d_key: int, mesh: DeviceMesh):
        if mesh.ndim != 1:
            raise ConfigError(f"shard expert tables over a 1-D device mesh (e.g. mesh['tables']), got {mesh.ndim}-D")
        super().__init__(d_model, d_key)
        self.mesh = mesh

    @classmethod
    def from_memory(cls, memory: ExpertMemory, mesh: DeviceMesh) -> ShardedExpertMemory:
        """The memory (rank 0's) sharded over ``mesh``; ``memory`` itself is left as it was."""
        out = cls(memory.d_model, memory.d_key, mesh)
        for seg in memory.segments:
            copy = Segment(seg.n_keys, seg.d_model, seg.d_half, start=seg.start, sub_keys=seg.sub_keys.detach().clone(),
                           down=seg.down.weight.detach(), up=seg.up.weight.detach())
            copy.to(seg.sub_keys.device, seg.sub_keys.dtype)
            if seg.frozen:
                copy.freeze()
            out.segments.append(out._place(copy))
        out.growth_step = memory.growth_step
        return out

    def _place(self, segment: Segment) -> Segment:
        ranks = self.mesh.size()
        if segment.num_experts % ranks:
            raise ConfigError(
                f"a shell of {segment.num_experts} experts (n_keys={segment.n_keys}, start={segment.start}) does not "
                f"divide over {ranks} ranks; pick sizes whose shells' experts are divisible by {ranks}"
            )
        segment = super()._place(segment)
        with torch.no_grad():  # every rank retrieves with rank 0's sub-keys
            segment.sub_keys.copy_(distribute_tensor(segment.sub_keys.detach(), self.mesh, [Replicate()]).to_local())
        segment.down = ShardedExpertTable(segment.down.weight, self.mesh)
        segment.up = ShardedExpertTable(segment.up.weight, self.mesh)
        return segment

    @property
    def local_rows(self) -> int:
        """Rows of all tables this rank holds."""
        return sum(s.down.num_embeddings for s in self.segments)

    def tables(self) -> list[tuple[int, Tensor, Tensor]]:
        raise ConfigError("a sharded memory's tables are spread over ranks; use local_tables() or unshard()")

    def local_tables(self) -> list[tuple[int, Tensor, Tensor]]:
        """``(local offset, down [n/R, d], up [n/R, d])`` of this rank's rows of every segment, in id order."""
        out, start = [], 0
        for s in self.segments:
            out.append((start, s.down.weight, s.up.weight))
            start += s.down.num_embeddings
        return out

    def localize(self, ids: Tensor) -> tuple[Tensor, Tensor]:
        """For global ids (``-1`` pads): each id's row in :meth:`local_tables`' id space, and whether this
        rank owns it (both shaped like ``ids``; the rows of ids it does not own are meaningless)."""
        offsets = torch.tensor(self.offsets, device=ids.device)  # [S]
        per_rank = torch.tensor([s.down.num_embeddings for s in self.segments], device=ids.device)  # [S]
        local_start = torch.cumsum(per_rank, 0) - per_rank  # [S]
        seg = torch.bucketize(ids, offsets[1:], right=True)  # segment of each id
        within = ids - offsets[seg]
        owned = (ids >= 0) & (within // per_rank[seg] == self.mesh.get_local_rank())
        return local_start[seg] + within % per_rank[seg], owned

    def unshard(self) -> ExpertMemory:
        """The whole memory on every rank (a collective: call it on all ranks), e.g. to save a store."""
        out = ExpertMemory(self.d_model, self.d_key)
        for s in self.segments:
            whole = Segment(s.n_keys, self.d_model, self.d_half, start=s.start, sub_keys=s.sub_keys.detach().clone(),
                            down=s.down.dtensor().full_tensor(), up=s.up.dtensor().full_tensor())
            if s.frozen:
                whole.freeze()
            out.segments.append(whole)
        out.growth_step = self.growth_step
        return out

    def set_extra_state(self, state: dict[str, Any]) -> None:
        if [(w["n_keys"], w.get("start", 0)) for w in state["segments"]] != [(s.n_keys, s.start) for s in self.segments]:
            raise ConfigError(
                "the state has other segments than this sharded memory; load it into an ExpertMemory and "
                "shard that with ShardedExpertMemory.from_memory"
            )
        super().set_extra_state(state)


class _MeanOverRanks(torch.autograd.Function):
    """Identity forward; gradient / R backward. The owner of a row gets the gradient of every
    rank's loss; DDP averages the replicated weights' gradients over ranks, so the tables' are
    averaged too (and both equal one process's on the whole batch with a mean loss)."""

    @staticmethod
    def forward(ctx, w: Tensor, ranks: int) -> Tensor:
        ctx.ranks = ranks
        return w.view_as(w)

    @staticmethod
    def backward(ctx, grad: Tensor):
        return grad / ctx.ranks, None


class ShardedPEERLayer(PEERLayer):
    """A :class:`PEERLayer` over a :class:`ShardedExpertMemory`: call it on every rank of the mesh
    at once, each with its own tokens (their counts may differ); outputs and gradients are those
    of one layer on all ranks' tokens (table gradients averaged over ranks, as DDP averages the
    query networks')."""

    def __init__(self, config: PEERConfig, *, memory: ShardedExpertMemory):
        if not isinstance(memory, ShardedExpertMemory):
            raise ConfigError("ShardedPEERLayer needs a ShardedExpertMemory; use shard_layer(layer, mesh)")
        super().__init__(config, memory=memory)

    def mix(self, x: Tensor, gate: Tensor, ids: Tensor) -> Tensor:
        c, memory = self.config, self.memory
        mesh, ranks = memory.mesh, memory.mesh.size()
        n_tok, m = ids.shape
        d = x.shape[1]
        counts = fc.all_gather_single(torch.tensor([n_tok], device=x.device), 0, mesh)  # [R]
        pad = int(counts.max()) - n_tok  # collectives need one shape: pad with ids -1 (nobody's)
        xg = F.pad(torch.cat([x, gate], 1), (0, 0, 0, pad))  # [T', d+m]
        xg = fc.all_gather_single_autograd(xg, 0, mesh)  # [R*T', d+m]
        ids = fc.all_gather_single(F.pad(ids, (0, 0, 0, pad), value=-1), 0, mesh)  # [R*T', m]
        xs, gs = xg.split([d, m], 1)
        local, owned = memory.localize(ids)  # [R*T', m] each
        # Keep the columns of owned entries, owned first; the rest point at a zero row after the
        # local tables (act(0) = 0: they add nothing, and the zero table gets no gradient).
        width = max(1, int(owned.sum(1).max()))
        order = torch.argsort(owned.to(torch.int8), dim=1, descending=True, stable=True)[:, :width]  # [R*T', w]
        empty = memory.local_rows
        ids_c = torch.where(owned.gather(1, order), local.gather(1, order), empty)  # [R*T', w]
        zero = x.new_zeros(1, d)
        tables = [
            (o, *(_MeanOverRanks.apply(w, ranks) if w.requires_grad else w for w in (down, up)))
            for o, down, up in memory.local_tables()
        ] + [(empty, zero, zero)]
        y = expert_mixture(
            xs, gs.gather(1, order), ids_c, tables,
            activation=c.activation, chunk_entries=c.chunk_entries, kernel=c.kernel, prefix=memory.frozen_prefix(),
        )  # [R*T', d]: this rank's experts' share of every token's output
        y = fc.reduce_scatter_single_autograd(y, "sum", 0, mesh)  # [T', d]: the sums of this rank's tokens
        return y[:n_tok]


def shard_layer(layer: PEERLayer, mesh: DeviceMesh) -> ShardedPEERLayer:
    """``layer`` (rank 0's tables and sub-keys) with its expert tables sharded over ``mesh``; the query
    network is copied as it is on each rank (DDP broadcasts it from rank 0). ``layer`` is not changed."""
    sharded = ShardedPEERLayer(layer.config, memory=ShardedExpertMemory.from_memory(layer.memory, mesh))
    sharded.query.load_state_dict(layer.query.state_dict())
    sharded.query_norm.load_state_dict(layer.query_norm.state_dict())
    sharded.to(layer.query.weight.device, layer.query.weight.dtype)
    return sharded


def shard_peer_layers(model: nn.Module, mesh: DeviceMesh) -> list[str]:
    """Replace every :class:`PEERLayer` in ``model`` by its sharded version, in place, and keep the
    sharded tables out of DistributedDataParallel (which would all-reduce them); returns the names
    of the tables' parameters. Call it before wrapping ``model`` in DDP."""
    if isinstance(model, PEERLayer):
        raise ConfigError("shard_peer_layers replaces layers inside a model; shard a lone layer with shard_layer")
    for name, module in list(model.named_modules()):
        if isinstance(module, PEERLayer) and not isinstance(module, ShardedPEERLayer):
            parent, _, attr = name.rpartition(".")
            setattr(model.get_submodule(parent), attr, shard_layer(module, mesh))
    tables = [f"{name}.weight" for name, module in model.named_modules() if isinstance(module, ShardedExpertTable)]
    nn.parallel.DistributedDataParallel._set_params_and_buffers_to_ignore_for_model(model, tables)
    return tables
