"""Retrieval behind one small protocol: top-k experts of one segment for a batch of queries."""

from peer_store.index.base import ExpertIndex, brute_force_topk
from peer_store.index.product import ProductKeyIndex

__all__ = ["ExpertIndex", "ProductKeyIndex", "brute_force_topk", "FaissProductIndex", "kmeans_sub_keys"]


def __getattr__(name: str):
    # faiss is imported only when asked for, so `import peer_store` works without it.
    if name in ("FaissProductIndex", "kmeans_sub_keys"):
        from peer_store.index import faiss_index

        return getattr(faiss_index, name)
    raise AttributeError(name)
