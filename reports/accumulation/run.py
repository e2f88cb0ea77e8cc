"""Run study recipes through one stream (150 steps of 16 x 128 bytes per corpus, the issue's scale) and write
each run's matrix and measures to ``OUT/<stream>-<recipe>.json``.

    OMP_NUM_THREADS=1 PYTHONPATH=. python reports/accumulation/run.py /tmp/accum/streams/tune-same.txt \
        peer-finetune,joint,peer-grow-routed reports/accumulation/results [STEPS [REPLAY]]
"""
import json
import sys
from pathlib import Path

import torch

from continual.config import ContinualConfig
from study.compare import run_method
from study.stream import open_stream, parse_stream

stream_file, recipes, out = Path(sys.argv[1]), sys.argv[2].split(","), Path(sys.argv[3])
steps = int(sys.argv[4]) if len(sys.argv) > 4 else 150
replay = float(sys.argv[5]) if len(sys.argv) > 5 else 0.0  # every stage rehearses every earlier corpus
torch.set_num_threads(1)
config = ContinualConfig.from_dict(dict(steps=steps, batch_size=16, seq_len=128, eval_batches=16))
corpora = open_stream(parse_stream(stream_file), Path("/tmp/accum/cache"), doc_bytes=config.doc_bytes,
                      budget=400_000)
out.mkdir(parents=True, exist_ok=True)
for name in recipes:
    routes: list[list[list[str]]] = []  # after each stage: the corpora each route has learnt

    def on_stage(t, model):
        routes.append([list(r.learnt()) for r in model.routes])
        print(f"    routes: {routes[-1]}", flush=True)

    run = run_method(name, corpora, config, steps=steps, replay=replay, say=lambda line: print(line, flush=True),
                     on_stage=on_stage)
    keep = {k: v for k, v in run.to_dict().items() if k not in ("usage", "usage_at_growth")} | {"routes": routes}
    (out / f"{stream_file.stem}-{name}{f'-replay{replay}' if replay else ''}.json").write_text(json.dumps(keep, indent=1))
    print(f"{name}: final {run.average_final_loss:.4f} forgetting {run.average_forgetting:.4f} "
          f"plasticity {[round(p, 4) for p in run.plasticity]} wall {run.wall_seconds:.0f} s", flush=True)
