"""DistributedDataParallel with the expert tables' sparse gradients.

Register :func:`sparse_allreduce_hook` on every ``DistributedDataParallel`` model that holds
PEER layers (the trainer does it for you)::

    ddp = DistributedDataParallel(model)
    ddp.register_comm_hook(None, sparse_allreduce_hook)

Why: DDP's built-in reduction hands each sparse gradient to gloo, whose worker thread runs
sparse operations on it (coalesce, sums) and writes the result back into the parameter's
``.grad`` while the main thread goes on with the backward pass, which runs sparse operations
of its own. With two or more sparse parameters (every PEER layer has two tables) this
corrupts the heap: torch 2.13 on CPU aborts with ``malloc(): unaligned tcache chunk
detected`` or a segfault, also with two plain ``nn.Embedding(sparse=True)``.
``tests/peer_store/ddp_stress.py`` (2 processes, two PEER layers, 20,000 steps) crashed
within about 15 seconds in 3 runs of 3 without a hook; reducing a private copy
asynchronously still crashed after about 200 s (2 of 2); this hook, which reduces a private
coalesced copy and waits for it, finished 20,000 steps in 2 runs of 2. Dense buckets take
DDP's default asynchronous all-reduce, so only the tables' reduction stops overlapping the
backward pass.
"""

# No ``from __future__ import annotations``: DDP checks the hook's annotations at runtime.
import torch.distributed as dist
from torch import Tensor
from torch.distributed import ProcessGroup
from torch.distributed.algorithms.ddp_comm_hooks.default_hooks import allreduce_hook
from torch.futures import Future


def sparse_allreduce_hook(process_group: ProcessGroup | None, bucket: dist.GradBucket) -> Future[Tensor]:
    """Mean over ranks of one gradient bucket; a sparse one is reduced from a private copy."""
    grad = bucket.buffer()
    if not grad.is_sparse:
        return allreduce_hook(process_group, bucket)
    group = process_group if process_group is not None else dist.group.WORLD
    # coalesce() returns the gradient itself when it is already marked coalesced.
    private = grad.clone() if grad.is_coalesced() else grad.coalesce()
    private.div_(dist.get_world_size(group))
    dist.all_reduce(private, group=group)  # blocking: no sparse op overlaps the backward pass
    done: Future[Tensor] = Future()
    done.set_result(private)
    return done
