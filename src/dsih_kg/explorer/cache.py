"""A value computed from the store and kept until the store changes or it gets old."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from ..stores.base import Store

T = TypeVar("T")


class StoreCache(Generic[T]):
    """Holds ``compute(store)``; recomputes when the store's ``generation`` moves or after ``max_age`` s.

    Stores that count their changes (``store.generation``) get exact invalidation; others get the age limit.
    """

    def __init__(self, store: Store, compute: Callable[[Store], T], max_age: float = 60.0) -> None:
        self.store = store
        self.compute = compute
        self.max_age = max_age
        self._value: T | None = None
        self._stamp: tuple[object, float] | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        generation = getattr(self.store, "generation", None)
        stamp = self._stamp
        if stamp is None or stamp[0] != generation or time.monotonic() - stamp[1] > self.max_age:
            with self._lock:
                stamp = self._stamp
                if stamp is None or stamp[0] != generation or time.monotonic() - stamp[1] > self.max_age:
                    self._value = self.compute(self.store)
                    self._stamp = (generation, time.monotonic())
        return self._value  # type: ignore[return-value]
