"""A pre-norm decoder-only transformer whose FFNs come from :mod:`trainer.ffn`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from trainer.config import ModelConfig
from trainer.ffn import DenseFFN, FFNAux, PEERFFN, build_ffn


class TokenRouting(Protocol):
    """Per-token changes to one forward pass of :class:`LanguageModel`, passed as its ``routing`` argument
    (continual versions use it; the model knows nothing of versions). Each token may add a low-rank
    correction to the embedding and to every linear layer named by :meth:`LanguageModel.linear_names`, and may limit
    its PEER retrievals to the first segments of each memory."""

    def embed(self, tokens: Tensor, x: Tensor) -> Tensor:
        """The embedded ``x [B, S, d]`` of ``tokens [B, S]``, corrected."""
        ...

    def linear(self, name: str, x: Tensor, y: Tensor) -> Tensor:
        """``y = layer(x)`` of the linear layer ``name``, corrected."""
        ...

    def segments(self, block: int) -> Tensor | None:
        """``[B, S]`` int64: how many leading segments of block ``block``'s PEER memory each token may
        retrieve from (None: all)."""
        ...


def _linear(routing: TokenRouting | None, name: str, layer: nn.Linear, x: Tensor) -> Tensor:
    y = layer(x)
    return y if routing is None else routing.linear(name, x, y)


def rotary_tables(seq_len: int, head_dim: int, base: float, device: torch.device) -> tuple[Tensor, Tensor]:
    """cos, sin ``[S, head_dim/2]`` for rotary position embeddings (Su et al. 2021)."""
    inv_freq = 1.0 / base ** (torch.arange(0, head_dim, 2, device=device, dtype=torch.float32) / head_dim)
    angles = torch.outer(torch.arange(seq_len, device=device, dtype=torch.float32), inv_freq)  # [S, hd/2]
    return angles.cos(), angles.sin()


def apply_rotary(x: Tensor, cos: Tensor, sin: Tensor) -> Tensor:
    """Rotate pairs (x_2i, x_2i+1) of ``x [B, H, S, hd]`` by position-dependent angles."""
    x1, x2 = x.float()[..., 0::2], x.float()[..., 1::2]  # [B, H, S, hd/2]
    out = torch.stack((x1 * cos - x2 * sin, x1 * sin + x2 * cos), dim=-1)  # [B, H, S, hd/2, 2]
    return out.flatten(-2).to(x.dtype)


class CausalSelfAttention(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.n_heads = config.n_heads
        self.rotary = config.positions == "rope"
        self.qkv = nn.Linear(config.d_model, 3 * config.d_model, bias=False)
        self.proj = nn.Linear(config.d_model, config.d_model, bias=False)
        self.dropout = config.dropout

    def forward(
        self, x: Tensor, rope: tuple[Tensor, Tensor] | None, routing: TokenRouting | None = None, prefix: str = "attn"
    ) -> Tensor:
        b, s, d = x.shape
        q, k, v = _linear(routing, f"{prefix}.qkv", self.qkv, x).split(d, dim=-1)  # [B, S, d] each
        q, k, v = (t.view(b, s, self.n_heads, d // self.n_heads).transpose(1, 2) for t in (q, k, v))  # [B, H, S, hd]
        if rope is not None:
            q, k = apply_rotary(q, *rope), apply_rotary(k, *rope)
        dropout = self.dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=dropout, is_causal=True)  # [B, H, S, hd]
        return _linear(routing, f"{prefix}.proj", self.proj, y.transpose(1, 2).reshape(b, s, d))  # [B, S, d]


class Block(nn.Module):
    """``x + attn(ln(x))``, then ``x + ffn(ln(x))``."""

    def __init__(self, config: ModelConfig, *, ffn: nn.Module):
        super().__init__()
        self.ln_attn = nn.LayerNorm(config.d_model)
        self.attn = CausalSelfAttention(config)
        self.ln_ffn = nn.LayerNorm(config.d_model)
        self.ffn = ffn
        self.dropout = nn.Dropout(config.dropout)

    def forward(
        self, x: Tensor, rope: tuple[Tensor, Tensor] | None, routing: TokenRouting | None = None, index: int = 0
    ) -> tuple[Tensor, FFNAux]:
        x = x + self.dropout(self.attn(self.ln_attn(x), rope, routing, f"blocks.{index}.attn"))  # [B, S, d]
        if isinstance(self.ffn, PEERFFN):
            y, aux = self.ffn(self.ln_ffn(x), None if routing is None else routing.segments(index))  # [B, S, d]
        elif isinstance(self.ffn, DenseFFN) and routing is not None:
            y, aux = self.ffn(self.ln_ffn(x), lambda name, layer, h: _linear(routing, f"blocks.{index}.ffn.{name}",
                                                                           layer, h))  # [B, S, d]
        else:
            y, aux = self.ffn(self.ln_ffn(x))  # [B, S, d]
        return x + y, aux


@dataclass
class LMOutput:
    logits: Tensor
    """[B, S, vocab]"""
    aux_loss: Tensor
    """Sum of every block's weighted auxiliary losses (0 for dense models)."""
    aux_losses: dict[str, Tensor] = field(default_factory=dict)
    """Auxiliary losses summed over blocks, by name."""
    stats: dict[int, dict[str, Tensor]] = field(default_factory=dict)
    """Routing statistics by block index, for the sparse blocks."""


def build_blocks(config: ModelConfig) -> nn.ModuleList:
    """Blocks whose FFN is ``config.ffn`` where ``config.is_sparse`` says so, dense elsewhere."""
    return nn.ModuleList(
        Block(
            config,
            ffn=build_ffn(config.ffn if config.is_sparse(i) else "dense", config),
        )
        for i in range(config.n_layers)
    )


class LanguageModel(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(config.vocab_size, config.d_model)
        self.pos = nn.Embedding(config.max_seq_len, config.d_model) if config.positions == "learned" else None
        self.drop = nn.Dropout(config.dropout)
        self.blocks = build_blocks(config)
        self.ln_out = nn.LayerNorm(config.d_model)
        self.head = nn.Linear(config.d_model, config.vocab_size, bias=False)
        self._init_weights()
        if config.tie_embeddings:
            self.head.weight = self.embed.weight

    def _init_weights(self) -> None:
        """GPT-2 style normal(0, init_std) for attention, embeddings and dense FFNs; MoE and
        PEER layers keep the initialisation their papers prescribe."""
        std = self.config.init_std
        for module in [self.embed, self.pos, self.head, *(b.attn for b in self.blocks)]:
            for m in module.modules() if module is not None else ():
                if isinstance(m, (nn.Linear, nn.Embedding)):
                    nn.init.normal_(m.weight, 0.0, std)
        for block in self.blocks:
            if isinstance(block.ffn, DenseFFN):
                nn.init.normal_(block.ffn.w_in.weight, 0.0, std)
                nn.init.normal_(block.ffn.w_out.weight, 0.0, std / (2 * self.config.n_layers) ** 0.5)

    def memory_layers(self) -> list[tuple[int, nn.Module]]:
        """``(block, PEERLayer)`` of every block whose FFN is a PEER layer, in order."""
        return [(i, block.ffn.layer) for i, block in enumerate(self.blocks) if isinstance(block.ffn, PEERFFN)]

    def memory_inputs(self) -> dict[int, nn.Module]:
        """``{block: module}`` whose input is that block's PEER layer's input (the block's FFN)."""
        return {i: self.blocks[i].ffn for i, _ in self.memory_layers()}

    def adapted_modules(self) -> list[str]:
        """The modules the ``lora`` method adapts (PEFT's ``target_modules``): every attention projection and both
        layers of every dense FFN."""
        return [name for name in self.linear_names() if name != "head"]

    def linear_names(self) -> list[str]:
        """The linear layers a :class:`TokenRouting` may correct: every attention projection, both layers of every
        dense FFN, and the LM head."""
        names = []
        for i, block in enumerate(self.blocks):
            names += [f"blocks.{i}.attn.qkv", f"blocks.{i}.attn.proj"]
            if isinstance(block.ffn, DenseFFN):
                names += [f"blocks.{i}.ffn.w_in", f"blocks.{i}.ffn.w_out"]
        return names + ["head"]

    def forward(self, tokens: Tensor, routing: TokenRouting | None = None) -> LMOutput:
        b, s = tokens.shape
        if s > self.config.max_seq_len:
            raise ValueError(f"sequence of {s} tokens exceeds max_seq_len={self.config.max_seq_len}")
        x = self.embed(tokens)  # [B, S, d]
        if routing is not None:
            x = routing.embed(tokens, x)
        rope = None
        if self.pos is not None:
            x = x + self.pos(torch.arange(s, device=tokens.device))
        else:
            rope = rotary_tables(s, self.config.d_model // self.config.n_heads, self.config.rope_base, tokens.device)
        x = self.drop(x)
        aux_losses: dict[str, Tensor] = {}
        stats: dict[int, dict[str, Tensor]] = {}
        for i, block in enumerate(self.blocks):
            x, aux = block(x, rope, routing, i)  # [B, S, d]
            for name, value in aux.losses.items():
                aux_losses[name] = aux_losses[name] + value if name in aux_losses else value
            if aux.stats:
                stats[i] = aux.stats
        logits = _linear(routing, "head", self.head, self.ln_out(x))  # [B, S, V]
        aux_loss = sum(aux_losses.values(), torch.zeros((), device=logits.device))
        return LMOutput(logits, aux_loss, aux_losses, stats)
