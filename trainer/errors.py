"""Errors of the trainer that a user can act on (one hierarchy with peer_store's)."""

from peer_store.errors import PeerError


class CorpusError(PeerError):
    """A corpus source is missing, empty, matches no files, or cannot be read."""


class DuplicateCorpus(CorpusError):
    """A corpus whose content (sha256 fingerprint) the store already holds; ``--force`` ingests it again."""


class CorpusTooLarge(CorpusError):
    """A corpus (or standard input, or an upload once decompressed) holds more bytes than its limit."""
