"""Values kept while the data stays the same: every per-data-generation cache of the service uses these two.

The store's ``generation`` changes at every write (and when another process writes an on-disk store), so
anything computed from the data can be kept until it moves. :class:`PerGeneration` holds one computed
value (an index, a catalogue); :class:`GenerationLRU` holds many answers by key, least recently used first
out, and forgets them all when the generation moves.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")
V = TypeVar("V")


class PerGeneration(Generic[T]):
    """Holds ``compute(store)``; recomputes when the store's ``generation`` moves or after ``max_age`` s.

    Stores that count their changes get exact invalidation; a store without a generation (None) gets
    the age limit only. Concurrent callers wait for the one computation under way.
    """

    def __init__(self, store, compute: Callable[..., T], max_age: float = 60.0) -> None:
        self.store = store
        self.compute = compute
        self.max_age = max_age
        self._value: T | None = None
        self._stamp: tuple[object, float] | None = None
        self._lock = threading.Lock()

    def _stale(self, generation: object) -> bool:
        stamp = self._stamp
        return stamp is None or stamp[0] != generation or time.monotonic() - stamp[1] > self.max_age

    def get(self) -> T:
        generation = getattr(self.store, "generation", None)
        if self._stale(generation):
            with self._lock:
                if self._stale(generation):
                    self._value = self.compute(self.store)
                    self._stamp = (generation, time.monotonic())
        return self._value  # type: ignore[return-value]


class GenerationLRU(Generic[V]):
    """Up to ``size`` values by key for one data generation; a value for another generation is dropped.

    ``size`` 0 keeps nothing. A value is looked up (:meth:`get`, which moves the cache to the generation
    it is asked for) before it is computed and kept (:meth:`put`) with the generation read before
    computing it: a value computed while the data changed is not kept.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._generation: object = None
        self._lock = threading.Lock()

    def get(self, key: Hashable, generation: object) -> V | None:
        with self._lock:
            if self._generation != generation:
                self._values.clear()
                self._generation = generation
                return None
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: Hashable, generation: object, value: V) -> None:
        if not self.size:
            return
        with self._lock:
            if self._generation != generation:  # computed for data that has changed since
                return
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def __len__(self) -> int:
        return len(self._values)
