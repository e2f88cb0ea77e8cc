"""The study tests' tiny config as a TOML file's text (what `peer compare --config` reads): a few thousand weights."""

TINY_TOML = """steps = 2
seq_len = 32
batch_size = 8
doc_bytes = 512
heldout_fraction = 0.2
eval_batches = 2
kmeans_batches = 2
[optim]
lr = 0.003
warmup_steps = 1
[model]
d_model = 32
n_layers = 2
n_heads = 2
max_seq_len = 32
[model.peer]
n_heads = 2
top_k = 4
n_keys = 8
"""
