"""Routed with the deltas' learning rate scaled: python-code -> SECOND, against the base of run.py."""
import shutil, sys, time
from pathlib import Path
import torch
torch.set_num_threads(2)
import trainer.module as tm
from continual.ingest import ingest
from peer_store.db import Store
orig = tm.make_optimizer
scale = [1.0]
def patched(module, **kw):
    opt = orig(module, **kw)
    ids = {id(p) for n, p in module.named_parameters() if n.startswith("deltas.")}
    new = []
    for g in opt.param_groups:
        if g["kind"] == "dense":
            mine = [p for p in g["params"] if id(p) in ids]
            if mine and scale[0] != 1.0:
                g["params"] = [p for p in g["params"] if id(p) not in ids]
                new.append({**g, "params": mine, "lr": g["lr"] * scale[0]})
    for g in new:
        opt.add_param_group(g)
    opt.param_groups[:] = [g for g in opt.param_groups if g["params"]]
    return opt
tm.make_optimizer = patched
root = Path("/tmp/plast/w")
second = sys.argv[1]
new = next(p for p in (root / "corpora").iterdir() if p.name.startswith(second))
for s in [float(x) for x in sys.argv[2].split(",")]:
    scale[0] = s
    path = root / f"s-dlr{s}"; shutil.rmtree(path, ignore_errors=True); shutil.copytree(root / "base-routed", path)
    t = time.perf_counter()
    with Store.open(path) as store:
        r = ingest(store, new, name=second)
    print(f"routed deltas lr x{s}: {second} held-out {r.evaluations[0].loss:.4f} in {time.perf_counter()-t:.0f}s", flush=True)
