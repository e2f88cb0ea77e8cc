"""The versions a server answers with: the current one, swapped atomically when a newer one is ready.

A request takes its version once, at its start (:meth:`ServedVersions.get`),
and computes everything with that object, so it finishes on the version it
started with and its answer names that one version. :meth:`refresh` loads a
newly ready version beside the served one and then replaces one reference:
requests that began before keep the old model until they end, later ones get
the new one, and nobody waits for the load. Older versions asked for by number
are loaded on demand and a few are kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from continual.inference import load_model
from continual.versions import LoadedVersion
from peer_store.db import Store, VersionNotFound


class ServedVersions:
    def __init__(self, store: Store, *, keep: int = 2, say: Callable[[str], None] = lambda line: None):
        self.store = store
        self.keep = keep
        self.say = say
        self._current: LoadedVersion | None = None
        self._older: OrderedDict[int, LoadedVersion] = OrderedDict()
        self._loading = threading.Lock()  # one load at a time; serving never waits for it

    @property
    def current_number(self) -> int | None:
        current = self._current
        return None if current is None else current.number

    def get(self, version: int | None = None) -> LoadedVersion:
        """The current version (``None``), or version ``version`` of the store (loaded if need be)."""
        current = self._current  # read once: a swap after this line does not change what this request uses
        if version is None:
            if current is None:
                raise VersionNotFound(f"the store {self.store.path} has no ready version yet; ingest a corpus first")
            return current
        if current is not None and current.number == version:
            return current
        with self._loading:
            if version in self._older:
                self._older.move_to_end(version)
                return self._older[version]
            loaded = load_model(self.store, version)
            self._older[version] = loaded
            while len(self._older) > self.keep:
                self._older.popitem(last=False)
            return loaded

    def refresh(self) -> bool:
        """Serve the newest ready version if it is not the one served already; True if it changed."""
        newest = self.store.current()
        if newest is None or newest.number == self.current_number:
            return False
        with self._loading:
            if newest.number == self.current_number:
                return False
            loaded = load_model(self.store, newest.number)
            self._older.pop(newest.number, None)
            self._current = loaded  # the swap: one reference
        self.say(f"serving version {loaded.number}")
        return True


__all__ = ["ServedVersions"]
