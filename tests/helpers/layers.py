"""Tiny expert memories, and a layer's output with every gradient, for the checks against the slow references."""

from __future__ import annotations

import torch

from peer_store import ExpertMemory


def make_memory(sizes, d_key=16, seed=0) -> ExpertMemory:
    """A memory of width 8: a first grid of ``sizes[0]`` sub-keys per half grown by a shell of each later
    entry of ``sizes`` (seeded)."""
    torch.manual_seed(seed)
    memory = ExpertMemory(d_model=8, d_key=d_key)
    for n in sizes:
        memory.grow(n)
    return memory


def grads(module, x):
    """Gradients (dense) of every parameter and of x."""
    out = {"x": x.grad.clone()}
    for name, p in module.named_parameters():
        if p.grad is not None:
            out[name] = p.grad.to_dense() if p.grad.is_sparse else p.grad.clone()
    return out


def run(layer, x, fn):
    """``fn(layer, x)`` and its backward under a fixed non-uniform weighting of the output: the output and
    :func:`grads`, so a fast path and a reference can be compared on both."""
    layer.zero_grad(set_to_none=True)
    x = x.clone().requires_grad_(True)
    y = fn(layer, x)
    (y * torch.linspace(-1, 1, y.numel(), device=y.device).view(y.shape)).sum().backward()
    return y.detach(), grads(layer, x)


class Densify(torch.autograd.Function):
    """Identity whose backward turns a sparse gradient dense (gradcheck wants strided grads)."""

    @staticmethod
    def forward(ctx, t):
        return t.view_as(t)

    @staticmethod
    def backward(ctx, g):
        return g.to_dense() if g.is_sparse else g
