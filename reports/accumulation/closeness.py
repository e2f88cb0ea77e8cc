"""How close each corpus of a stream is to each earlier one, as the routed method's merge rule measures it:
``(H(old profile) - H(own profile)) / H(own profile)`` on the later corpus's first 64 held-out windows, each
profile counted on its corpus's first 2048 training windows (the method's defaults).

    OMP_NUM_THREADS=1 PYTHONPATH=. python reports/accumulation/closeness.py /tmp/accum/streams/tune-same.txt ...
"""
import sys
from pathlib import Path

from continual.config import ContinualConfig
from continual.ingest import version_seeds
from continual.router import cross_entropy, profile_windows
from continual.training import heldout_windows, train_windows
from study.stream import open_stream, parse_stream
from trainer.data import ByteTokenizer

PROBE = int(__import__("os").environ.get("PROBE", "64"))
config = ContinualConfig.from_dict(dict(steps=150, batch_size=16, seq_len=128, eval_batches=16))
tok = ByteTokenizer()
for stream_file in sys.argv[1:]:
    corpora = open_stream(parse_stream(stream_file), Path("/tmp/accum/cache"), doc_bytes=config.doc_bytes,
                          budget=400_000)
    names = list(corpora)
    profiles = [profile_windows(train_windows(c, tok, config, seed=version_seeds(config, i + 1)[1]), 2048, 16,
                                tok.vocab_size) for i, c in enumerate(corpora.values())]
    print(f"== {Path(stream_file).stem}")
    for j, (name, corpus) in enumerate(corpora.items()):
        own = cross_entropy(profiles[j], heldout_windows(corpus, tok, config), PROBE, 16)
        row = [(cross_entropy(profiles[i], heldout_windows(corpus, tok, config), PROBE, 16) - own) / own
               for i in range(j)]
        print(f"  {name:12s} own {own:.3f}  vs earlier: " + " ".join(f"{names[i]} {d:+.3f}" for i, d in enumerate(row)),
              flush=True)
