"""A value computed from the store and kept until the store changes or it gets old."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
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


class PageCache:
    """Finished pages by (store generation, key), least recently used first out.

    A page is a pure function of the data, the language and the URL, and the data changes only when the
    store's generation does; stores without a generation are not cached at all.
    """

    def __init__(self, store: Store, size: int = 2048) -> None:
        self.store = store
        self.size = size
        self._pages: OrderedDict[tuple, tuple[bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> tuple[bytes, str] | None:
        generation = getattr(self.store, "generation", None)
        if generation is None:
            return None
        with self._lock:
            page = self._pages.get((generation, key))
            if page is not None:
                self._pages.move_to_end((generation, key))
            return page

    def put(self, key: Hashable, body: bytes, mimetype: str) -> None:
        generation = getattr(self.store, "generation", None)
        if generation is None:
            return
        with self._lock:
            self._pages[(generation, key)] = (body, mimetype)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)
