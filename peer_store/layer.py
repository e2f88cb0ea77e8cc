"""PEERLayer: a retrieval feed-forward block over a growable expert memory (He 2024)."""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from peer_store.config import PEERConfig
from peer_store.errors import ConfigError, ShapeError
from peer_store.kernel import expert_mixture
from peer_store.memory import ExpertMemory


class HeadLayerNorm(nn.Module):
    """LayerNorm over each head's query separately (causal-safe)."""

    def __init__(self, n_heads: int, d_key: int):
        super().__init__()
        self.n_heads, self.d_key = n_heads, d_key
        self.norm = nn.LayerNorm(d_key)

    def forward(self, q: Tensor) -> Tensor:
        return self.norm(q.view(-1, self.n_heads, self.d_key)).view(q.shape)


def build_query_norm(config: PEERConfig) -> nn.Module:
    """'layer' (the default): LayerNorm of each head's query, token by token, so a token's
    output depends on that token alone. 'batch': BatchNorm1d over all h*d_key query features
    (the paper). In training mode its statistics span every token of the batch, so in a causal
    LM a token's query depends on later tokens (and on the other sequences); eval mode uses the
    running statistics and is causal again. Opt in only where nothing needs causality."""
    width = config.n_heads * config.d_key
    if config.query_norm == "batch":
        return nn.BatchNorm1d(width)
    if config.query_norm == "layer":
        return HeadLayerNorm(config.n_heads, config.d_key)
    return nn.Identity()


@dataclass
class Routing:
    """What one forward pass retrieved, for statistics and tests."""

    scores: Tensor  # [T, h, k] router scores of the retrieved experts
    ids: Tensor  # [T, h, k] global expert ids
    gate: Tensor  # [T, h, k] weights after softmax/sigmoid


class PEERLayer(nn.Module):
    """``y = sum_h sum_{i in topk_h(x)} g_i * act(u_i . x) * v_i``.

    h query networks (Linear + query norm) share one expert memory and its
    product keys. Every token is computed on its own (with the default
    ``query_norm='layer'``), so the layer can replace the MLP of a causal
    model. Expert tables get sparse gradients: use
    :func:`peer_store.optim.make_optimizer` (or split parameters with
    :func:`peer_store.optim.split_parameters`) so they get the row-wise
    sparse optimizer and the rest gets AdamW.
    """

    def __init__(self, config: PEERConfig, *, memory: ExpertMemory | None = None):
        super().__init__()
        self.config = config
        self.query = nn.Linear(config.d_model, config.n_heads * config.d_key, bias=False)
        self.query_norm = build_query_norm(config)
        if memory is None:
            memory = ExpertMemory(config.d_model, config.d_key)
            memory.grow(config.n_keys)
        elif (memory.d_model, memory.d_key) != (config.d_model, config.d_key):
            raise ConfigError(
                f"memory has d_model={memory.d_model}, d_key={memory.d_key}; config wants "
                f"d_model={config.d_model}, d_key={config.d_key}"
            )
        self.memory = memory
        if config.top_k > memory.num_experts:
            raise ConfigError(
                f"top_k={config.top_k} is larger than the {memory.num_experts} experts a memory of "
                f"n_keys={config.n_keys} holds; lower top_k or raise n_keys"
            )

    def _check_input(self, x: Tensor) -> None:
        c = self.config
        if not isinstance(x, Tensor):
            raise ShapeError(f"PEERLayer expects a tensor, got {type(x).__name__}")
        if x.dim() < 1 or x.shape[-1] != c.d_model:
            raise ShapeError(f"PEERLayer expects input [..., {c.d_model}], got {tuple(x.shape)}")
        weight = self.query.weight
        if x.device != weight.device:
            raise ShapeError(f"input is on {x.device} but the layer is on {weight.device}; move one of them")
        if not x.is_floating_point():
            raise ShapeError(f"PEERLayer expects a floating-point input, got {x.dtype}")
        if x.dtype != weight.dtype and not torch.is_autocast_enabled(x.device.type):
            raise ShapeError(
                f"input dtype {x.dtype} does not match the layer's {weight.dtype}; cast one of them or use autocast"
            )

    def queries(self, x: Tensor) -> Tensor:
        """Normalised queries ``[T * h, d_key]`` for flat tokens ``[T, d_model]``."""
        q = self.query_norm(self.query(x))  # [T, h*d_key]
        return q.reshape(-1, self.config.d_key)  # [T*h, d_key]

    def retrieve(self, x: Tensor, segments: Tensor | None = None) -> Routing:
        """Top-k experts per head for flat tokens ``[T, d_model]``; ``segments`` ``[T]`` limits token t to the
        memory's first ``segments[t]`` shells, the square of that version (see :meth:`ExpertMemory.search`)."""
        c = self.config
        q = self.queries(x)  # [T*h, d_key]
        if segments is not None:
            if segments.shape != x.shape[:1]:
                raise ShapeError(f"segments must be [{x.shape[0]}] (one per token), got {tuple(segments.shape)}")
            segments = segments.repeat_interleave(c.n_heads)  # [T*h], queries are token-major
        scores, ids = self.memory.search(q, c.top_k, segments=segments)  # [T*h, k]
        gate = F.softmax(scores, dim=-1) if c.score_fn == "softmax" else torch.sigmoid(scores)
        shape = (x.shape[0], c.n_heads, c.top_k)
        return Routing(scores.view(shape), ids.view(shape), gate.view(shape))

    def forward_with_routing(self, x: Tensor, segments: Tensor | None = None) -> tuple[Tensor, Routing]:
        """Output ``[..., d_model]`` and what was retrieved; ``segments`` ``[...]`` (int, the input's leading
        shape) limits each token to the memory's first ``segments`` shells."""
        self._check_input(x)
        c = self.config
        lead = x.shape[:-1]
        xt = x.reshape(-1, c.d_model)  # [T, d]
        if segments is not None and segments.shape != lead:
            raise ShapeError(f"segments must match the input's leading shape {tuple(lead)}, got {tuple(segments.shape)}")
        routing = self.retrieve(xt, None if segments is None else segments.reshape(-1))
        dtype = self.memory.segments[0].down.weight.dtype  # experts compute in the tables' dtype (fp32, autocast)
        n_tok = xt.shape[0]
        with torch.autocast(x.device.type, enabled=False):
            y = self.mix(
                xt.to(dtype),
                routing.gate.reshape(n_tok, -1).to(dtype),  # [T, h*k]
                routing.ids.reshape(n_tok, -1),  # [T, h*k]
            )  # [T, d]
        return y.to(x.dtype).view(*lead, c.d_model), routing

    def mix(self, x: Tensor, gate: Tensor, ids: Tensor) -> Tensor:
        """The experts' sum ``[T, d]`` for flat tokens ``x`` ``[T, d]`` and their retrieved experts
        (``gate``, global ``ids``: ``[T, h*k]``); a sharded layer reaches the other ranks' experts here."""
        c = self.config
        return expert_mixture(
            x,
            gate,
            ids,
            self.memory.tables(),
            activation=c.activation,
            chunk_entries=c.chunk_entries,
            kernel=c.kernel,
            prefix=self.memory.frozen_prefix(),
        )  # [T, d]

    def forward(self, x: Tensor) -> Tensor:
        return self.forward_with_routing(x)[0]

    def extra_repr(self) -> str:
        c = self.config
        return f"heads={c.n_heads}, top_k={c.top_k}, experts={self.memory.num_experts}, norm={c.query_norm}"
