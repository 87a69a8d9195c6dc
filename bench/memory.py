"""Peak resident memory of this process while a block runs, sampled by a thread."""

from __future__ import annotations

import ctypes
import gc
import os
import threading
import time

try:
    import psutil
except ImportError:  # psutil is in the dev extra; /proc does on Linux without it
    psutil = None


def rss_bytes() -> int:
    if psutil is not None:
        return psutil.Process().memory_info().rss
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def release_free_memory() -> None:
    """Hand memory freed by earlier work back to the system, so growth starts from now."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the figure includes retained memory
        pass


class PeakRss:
    """``with PeakRss() as m: ...`` then ``m.growth_mb``: peak RSS above the start."""

    def __init__(self, every: float = 0.005) -> None:
        self.every = every
        self.start = self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_bytes())
            time.sleep(self.every)

    def __enter__(self) -> PeakRss:
        release_free_memory()
        self.start = self.peak = rss_bytes()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes())

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.start) / 1e6
