"""Requests that read the whole registry at once: the cyclic garbage collector waits until they are done."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Iterator
from contextlib import contextmanager

_depth = 0
_was_enabled = True


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic GC while a bulk read builds its hundreds of thousands of small objects.

    Those objects hold no reference cycles (reference counting frees them), yet each allocation burst
    makes the collector walk the whole heap again: on a 50,000-enterprise screening that was about 40 %
    of the time. Requests that overlap share one pause; the last one out turns the collector back on.
    """
    global _depth, _was_enabled
    if _depth == 0:
        _was_enabled = gc.isenabled()
        gc.disable()
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            if _was_enabled:
                gc.enable()
            _give_back_memory()


def _load_malloc_trim():
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name) if name else None
    return getattr(libc, "malloc_trim", None)


_malloc_trim = _load_malloc_trim()


def _give_back_memory() -> None:
    """Return the freed heap to the system (glibc keeps it otherwise, and a worker's RSS only grows).

    A bulk read frees a few hundred thousand small objects at once; glibc's allocator holds on to the
    pages they were in. malloc_trim costs a millisecond or two, once per bulk request.
    """
    if _malloc_trim is not None:
        _malloc_trim(0)
