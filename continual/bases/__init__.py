"""What a store's versions grow from: the built-in byte-level LM (:mod:`trainer.model`) or a pretrained Hugging
Face causal LM with PEER memories beside its MLPs (:mod:`continual.bases.hf`, loaded by
:mod:`continual.bases.load`)."""
