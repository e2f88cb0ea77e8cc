"""The row-wise sparse Adam against torch's own AdamW, applied only to the rows a step touches.

The oracle gives every row its own ``torch.optim.AdamW`` and steps it only in the steps that touch the row, so
each row has its own step count (rows first touched late included) and decoupled decay reaches touched rows
only. Row-wise Adam keeps one second moment per row (the mean of the squared gradient over the row); it equals
elementwise Adam when every entry of a row's summed gradient has the same magnitude, so the gradients here
are ``c_r * signs`` per row and step (any value when d = 1), split into 1, 2 or 4 equal entries (exact sums).
Values, momentum, second moments and step counts are compared after every step.
"""

from __future__ import annotations

import pytest
import torch

from peer_store.optim import PEEROptimizer

N_ROWS, STEPS, LR, EPS = 12, 6, 0.05, 1e-8
# Which rows each step touches: row 0 always (so a global step count exists to be confused with), rows 5 and 9
# first at step 3 and 5, row 11 never.
TOUCHED = [
    [0, 1, 2, 3],
    [0, 1, 4],
    [0, 2, 3, 4, 6, 7],
    [0, 5, 1],
    [0, 2, 8, 10, 6],
    [0, 9, 5, 3],
]


def step_gradients(d: int, seed: int) -> list[dict[int, torch.Tensor]]:
    """row -> its summed gradient ``[d]``, for each step."""
    g = torch.Generator().manual_seed(seed)
    out = []
    for rows in TOUCHED:
        grads = {}
        for r in rows:
            signs = torch.randint(0, 2, (d,), generator=g).float() * 2 - 1
            grads[r] = signs * torch.empty(()).uniform_(0.1, 2.0, generator=g)
        out.append(grads)
    return out


def as_grad(grads: dict[int, torch.Tensor], d: int, *, sparse: bool, repeats: int) -> torch.Tensor:
    """One step's gradient as the layer emits it: ``repeats`` equal entries per row, uncoalesced (or dense)."""
    rows = torch.tensor([r for r in grads for _ in range(repeats)])
    values = torch.stack([grads[r] / repeats for r in grads for _ in range(repeats)])  # exact: a power of two
    grad = torch.sparse_coo_tensor(rows[None], values, (N_ROWS, d), check_invariants=True)
    return grad if sparse else grad.to_dense()


@pytest.mark.parametrize("d", [1, 4])
@pytest.mark.parametrize("beta1", [0.0, 0.9])
@pytest.mark.parametrize("weight_decay", [0.0, 0.3])
@pytest.mark.parametrize("layout", ["sparse-few-repeats", "sparse-many-repeats", "dense"])
def test_row_update_equals_adamw_on_the_touched_rows(d, beta1, weight_decay, layout):
    beta2 = 0.95
    torch.manual_seed(d)
    w0 = torch.randn(N_ROWS, d)
    w = torch.nn.Parameter(w0.clone())
    opt = PEEROptimizer(
        [dict(params=[w], kind="table", lr=LR, betas=(beta1, beta2), eps=EPS, weight_decay=weight_decay)]
    )
    rows = [torch.nn.Parameter(w0[r].clone()) for r in range(N_ROWS)]
    oracle = [torch.optim.AdamW([p], lr=LR, betas=(beta1, beta2), eps=EPS, weight_decay=weight_decay) for p in rows]
    steps = torch.zeros(N_ROWS, dtype=torch.int32)
    for grads in step_gradients(d, seed=d + 10):
        w.grad = as_grad(grads, d, sparse=layout != "dense", repeats=4 if "many" in layout else 1)
        opt.step()
        for r, g in grads.items():
            rows[r].grad = g.clone()
            oracle[r].step()
            steps[r] += 1
        state = opt.state[w]
        assert torch.equal(state["step"], steps)
        for r in range(N_ROWS):
            torch.testing.assert_close(w.detach()[r], rows[r].detach(), rtol=1e-5, atol=1e-6, msg=f"row {r}")
            if not steps[r]:
                assert state["exp_avg_sq"][r] == 0
                continue
            ref = oracle[r].state[rows[r]]
            torch.testing.assert_close(state["exp_avg_sq"][r], ref["exp_avg_sq"].mean(), rtol=1e-5, atol=1e-9)
            if beta1 > 0:
                torch.testing.assert_close(state["exp_avg"][r], ref["exp_avg"], rtol=1e-5, atol=1e-7)
    assert torch.equal(w.detach()[11], w0[11])  # never touched: no update and no decay
    if beta1 == 0:
        assert "exp_avg" not in opt.state[w]  # no N x d momentum unless asked for

