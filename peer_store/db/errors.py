"""Errors of the registry and the store directory, each with the fix in its message.

They are ``PeerError`` subclasses so the CLI reports them as one line and a
non-zero exit; nothing here imports SQLAlchemy, so callers can catch them
without pulling the database layer in.
"""

from peer_store.errors import PeerError, StoreError


class RegistryError(PeerError):
    """The version registry (the database) cannot be used as asked."""


class DatabaseUnavailable(RegistryError):
    """The database URL is malformed, its driver is missing, or the server cannot be reached."""


class RegistryReadOnly(RegistryError):
    """The registry can be read but not written: a read-only file, folder or mount, or a read-only database role."""


class SchemaMismatch(RegistryError):
    """The database schema is older or newer than this peer-store."""


class StoreNotFound(StoreError):
    """No store at the given path, or no store row for it in the database."""


class StoreExists(StoreError):
    """``peer init`` on a path that already holds a store."""


class StoreLocked(StoreError):
    """Another process holds the store's writer lock."""


class UnsafePath(StoreError):
    """A path the registry or the store folder names would lead outside the store (``..``, absolute, a link)."""


class VersionNotFound(RegistryError):
    """A version number or name that the store does not have."""


class VersionStateError(RegistryError):
    """A version was moved to a status it cannot take (e.g. a failed version marked ready)."""


class JobNotFound(RegistryError):
    """A job id that the store's registry does not have."""


class StudentNotFound(RegistryError):
    """A student id that the store's registry does not have."""
