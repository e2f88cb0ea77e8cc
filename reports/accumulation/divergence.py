"""How far apart each corpus of a stream is from each earlier one, as the routed method's merge rule measures
it: the Jensen-Shannon divergence of the bigram statistics of their n-gram profiles
(:func:`continual.router.divergence`), each profile counted on its corpus's first 2048 training windows (the
method's defaults). The method continues the nearest route at a divergence of at most ``merge_at``.

    OMP_NUM_THREADS=1 PYTHONPATH=. python reports/accumulation/divergence.py /tmp/accum/streams/tune-same.txt ...
"""
import sys
from pathlib import Path

from continual.config import ContinualConfig
from continual.ingest import version_seeds
from continual.router import divergence, profile_windows
from continual.training import train_windows
from study.stream import open_stream, parse_stream
from trainer.data import ByteTokenizer

config = ContinualConfig.from_dict(dict(steps=150, batch_size=16, seq_len=128, eval_batches=16))
tok = ByteTokenizer()
for stream_file in sys.argv[1:]:
    corpora = open_stream(parse_stream(stream_file), Path("/tmp/accum/cache"), doc_bytes=config.doc_bytes,
                          budget=400_000)
    names = list(corpora)
    profiles = [profile_windows(train_windows(c, tok, config, seed=version_seeds(config, i + 1)[1]), 2048, 16,
                                tok.vocab_size) for i, c in enumerate(corpora.values())]
    print(f"== {Path(stream_file).stem}")
    for j in range(1, len(names)):
        print(f"  {names[j]:12s} vs earlier: "
              + " ".join(f"{names[i]} {divergence(profiles[i], profiles[j]):.3f}" for i in range(j)), flush=True)
