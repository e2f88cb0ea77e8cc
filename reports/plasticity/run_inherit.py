"""Three-corpus streams: the third corpus's held-out loss when its deltas start from zero or from the
previous version's (``Routed(inherit=...)``), against ``finetune``.

Version 1 and 2 are the same for both variants (version 2's parent has no deltas), so each stream builds them
once per method and only the third ingest is repeated.

    OMP_NUM_THREADS=1 .venv/bin/python reports/plasticity/run_inherit.py demo /tmp/plast/inherit-demo
    OMP_NUM_THREADS=1 .venv/bin/python reports/plasticity/run_inherit.py other /tmp/plast/inherit-other
"""
import importlib.util
import json
import shutil
import sys
import time
from pathlib import Path

import torch

from continual.config import ContinualConfig
from continual.ingest import create_store, ingest
from peer_store.db import Store

REPO = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("demo", REPO / "examples" / "continual_demo.py")
demo = importlib.util.module_from_spec(spec)
spec.loader.exec_module(demo)

stream_name = sys.argv[1] if len(sys.argv) > 1 else "demo"
root = Path(sys.argv[2] if len(sys.argv) > 2 else f"/tmp/plast/inherit-{stream_name}")
torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
shutil.rmtree(root, ignore_errors=True)
(root / "corpora").mkdir(parents=True)
stream = [(name, build(root / "corpora" / file, 1_500_000)) for name, build, file in demo.STREAMS[stream_name]]
(n1, c1), (n2, c2), (n3, c3) = stream
out: dict[str, float] = {}


def timed(label, fn):
    t = time.perf_counter()
    result = fn()
    print(f"{label}: {time.perf_counter() - t:.0f} s", flush=True)
    return result


for method in ("finetune", "routed"):
    cfg = ContinualConfig.from_dict(dict(steps=250, batch_size=16, seq_len=128, eval_batches=16, method=method))
    base = root / f"base-{method}"
    store, _ = timed(f"{method} v1 {n1}", lambda: create_store(base, config=cfg, base_corpus=c1, base_name=n1))
    r = timed(f"{method} v2 {n2}", lambda: ingest(store, c2, name=n2))
    out[f"{method} {n2}"] = r.evaluations[0].loss
    store.close()
    variants = {"finetune": None} if method == "finetune" else {"routed-zero": False, "routed-inherit": True}
    for label, inherit in variants.items():
        path = root / label
        shutil.copytree(base, path)
        options = None if inherit is None else {"inherit": inherit}
        with Store.open(path) as store:
            r = timed(f"{label} v3 {n3}", lambda: ingest(store, c3, name=n3, method_options=options))
        out[f"{label} {n3}"] = r.evaluations[0].loss
        print(f"  {label} {n3}: {out[f'{label} {n3}']:.4f}", flush=True)

ft = out[f"finetune {n3}"]
for key, loss in out.items():
    print(f"{key}: {loss:.4f}" + (f" ({(loss / ft - 1) * 100:+.1f}% vs finetune)" if key.endswith(n3) else ""))
(root / "results.json").write_text(json.dumps(out, indent=1))
