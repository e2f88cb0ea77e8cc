"""One error hierarchy for everything a user can act on.

Internal invariants use ``assert``; anything caused by user input or by the
world outside (files, faiss, the database) raises a ``PeerError`` whose
message names the problem and the fix. The CLI turns these into one line and a
non-zero exit.
"""


class PeerError(Exception):
    """Base class of every error peer-store raises on purpose."""


class ConfigError(PeerError, ValueError):
    """A configuration or argument that cannot work."""


class ShapeError(PeerError, ValueError):
    """A tensor of the wrong width, dtype or device was passed in."""


class StoreError(PeerError):
    """A file on disk is missing, truncated, corrupted or of an unknown format."""


class IndexBackendError(PeerError):
    """A retrieval backend (faiss) is missing or failed."""
