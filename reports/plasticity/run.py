"""python-code -> shakespeare: routed variants against finetune (plasticity on the new corpus)."""
import importlib.util, shutil, sys, time, json
from pathlib import Path
import torch
torch.set_num_threads(2)
spec = importlib.util.spec_from_file_location("demo", "/work/main/examples/continual_demo.py")
demo = importlib.util.module_from_spec(spec); spec.loader.exec_module(demo)
from continual.config import ContinualConfig
from continual.ingest import create_store, ingest
from peer_store.db import Store
root = Path(sys.argv[4] if len(sys.argv) > 4 else "/tmp/plast/w"); shutil.rmtree(root, ignore_errors=True); (root / "corpora").mkdir(parents=True)
streams = {n: (b, f) for n, b, f in demo.STREAMS["demo"] + demo.STREAMS["other"]}
first = sys.argv[3] if len(sys.argv) > 3 else "python-code"
code = streams[first][0](root / "corpora" / streams[first][1], 1_500_000)
second = sys.argv[1] if len(sys.argv) > 1 else "shakespeare"
build, file = streams[second]
new = build(root / "corpora" / file, 1_500_000)
variants = sys.argv[2].split(",") if len(sys.argv) > 2 else ["finetune", "routed", "routed-keys32"]
out = {}
base = {}
for v in variants:
    method = "finetune" if v == "finetune" else "routed"
    cfg = dict(steps=250, batch_size=16, seq_len=128, eval_batches=16, method=method)
    if method not in base:
        t = time.perf_counter()
        store, r = create_store(root / f"base-{method}", config=ContinualConfig.from_dict(cfg), base_corpus=code, base_name=first)
        store.close(); base[method] = root / f"base-{method}"
        print(f"base {method}: {r.evaluations[0].loss:.4f} in {time.perf_counter()-t:.0f}s", flush=True)
    path = root / f"s-{v}"; shutil.copytree(base[method], path)
    kw = {}
    if v.startswith("routed-keys"): kw["keys"] = int(v.removeprefix("routed-keys"))
    t = time.perf_counter()
    with Store.open(path) as store:
        r = ingest(store, new, name=second, **kw)
    out[v] = r.evaluations[0].loss
    print(f"{v}: {second} held-out {out[v]:.4f} in {time.perf_counter()-t:.0f}s", flush=True)
if "finetune" in out:
    for v, l in out.items():
        print(f"  {v}: {l:.4f} ({(l / out['finetune'] - 1) * 100:+.1f}% vs finetune)")
