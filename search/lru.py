"""One cache with a byte budget: least recently used out first.

The read path keeps word postings twice over - per segment across index
generations, and joined for the current generation - and both must stay
within their share of memory however many distinct words are queried.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V", bound=tuple)


class ByteBudgetCache(Generic[V]):
    """Tuples of numpy arrays (or of objects that say their ``nbytes``) by
    key, at most ``max_bytes`` of them (one entry is always kept, however
    large).  Thread-safe."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, V] = OrderedDict()
        self.nbytes = 0
        self._lock = threading.Lock()

    @staticmethod
    def _size(value: V) -> int:
        return sum(part.nbytes for part in value if hasattr(part, "nbytes"))

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        return None

    def put(self, key: Hashable, value: V) -> V:
        """Keep ``value`` (unless another thread kept one first: that one is
        returned) and drop the least recently used entries over budget."""
        with self._lock:
            if key in self._entries:
                return self._entries[key]
            self._entries[key] = value
            self.nbytes += self._size(value)
            while self.nbytes > self.max_bytes and len(self._entries) > 1:
                self._pop(next(iter(self._entries)))
        return value

    def drop_if(self, stale: Callable[[Hashable], bool]) -> None:
        """Drop every entry whose key ``stale`` says is out of date."""
        with self._lock:
            for key in [k for k in self._entries if stale(k)]:
                self._pop(key)

    def _pop(self, key: Hashable) -> None:
        self.nbytes -= self._size(self._entries.pop(key))

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries
