"""Expert mixture kernels side by side: 'gather' against 'dense', forward + backward.

    python benchmarks/kernel.py            # d=128, 2048 tokens, m = h*k in {32, 64}
    python benchmarks/kernel.py --quick    # a smoke run
    python benchmarks/kernel.py --device cuda

For each memory size N (experts over all segments) and m retrieved entries per
token, both kernels get the same inputs; the table prints the median time of a
forward + backward with every input trainable and the ratio gather / dense.
The ratio at which dense stops winning is what ``peer_store.kernel.DENSE_RATIO``
('auto') is set from. The two results are also compared, so a fast wrong
kernel shows up here as well as in the tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from peer_store.kernel import DENSE_RATIO, expert_mixture  # noqa: E402


def timed(fn, reps: int, device: torch.device) -> float:
    fn()  # warm-up
    times = []
    for _ in range(reps):
        if device.type == "cuda":
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        fn()
        if device.type == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def case(tokens: int, m: int, n: int, d: int, segments: int, reps: int, device: torch.device) -> dict:
    g = torch.Generator().manual_seed(0)
    per = n // segments
    tables = [
        (i * per, torch.randn(per, d, generator=g).to(device).requires_grad_(), torch.randn(per, d, generator=g).to(device).requires_grad_())
        for i in range(segments)
    ]
    x = torch.randn(tokens, d, generator=g).to(device).requires_grad_()
    gate = torch.rand(tokens, m, generator=g).to(device).requires_grad_()
    ids = torch.randint(0, per * segments, (tokens, m), generator=g).to(device)
    params = [x, gate] + [w for _, down, up in tables for w in (down, up)]

    def run(kernel: str) -> list[torch.Tensor]:
        for p in params:
            p.grad = None
        y = expert_mixture(x, gate, ids, tables, kernel=kernel)
        y.sum().backward()
        return [y.detach()] + [p.grad.to_dense() if p.grad.is_sparse else p.grad for p in params]

    worst = max(float((a - b).abs().max() / (a.abs().max() + 1e-12)) for a, b in zip(run("gather"), run("dense")))
    t_gather = timed(lambda: run("gather"), reps, device)
    t_dense = timed(lambda: run("dense"), reps, device)
    return dict(N=n, m=m, segments=segments, gather_ms=1e3 * t_gather, dense_ms=1e3 * t_dense, worst_rel_diff=worst)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--tokens", type=int, default=2048)
    ap.add_argument("--d-model", type=int, default=128)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="a few small cases, 2 repetitions")
    args = ap.parse_args()
    device = torch.device(args.device)
    cases = [(64, 256, 1), (64, 768, 3), (32, 1024, 1), (64, 2048, 1), (32, 3072, 3), (64, 4096, 1), (32, 4096, 1)]
    if args.quick:
        args.tokens, args.reps, cases = 256, 2, cases[:3]
    print(f"device {device}, {args.tokens} tokens, d={args.d_model}, median of {args.reps}; auto = dense while N <= {DENSE_RATIO} * m")
    print(f"{'N':>6} {'m':>4} {'segs':>4} {'N/m':>5} {'gather ms':>10} {'dense ms':>9} {'gather/dense':>13} {'auto':>7} {'max rel diff':>13}")
    for m, n, segments in cases:
        r = case(args.tokens, m, n, args.d_model, segments, args.reps, device)
        auto = "dense" if n <= DENSE_RATIO * m else "gather"
        print(
            f"{n:>6} {m:>4} {segments:>4} {n / m:>5.0f} {r['gather_ms']:>10.1f} {r['dense_ms']:>9.1f} "
            f"{r['gather_ms'] / r['dense_ms']:>12.2f}x {auto:>7} {r['worst_rel_diff']:>13.1e}",
            flush=True,
        )


if __name__ == "__main__":
    main()
