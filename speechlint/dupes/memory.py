"""How the duplicate rules' arrays sit in glibc's heap: kept for reuse, and handed back.

The rules allocate and free arrays of a few hundred kilobytes to a few megabytes batch after
batch. glibc serves a block above its mmap threshold from a fresh mapping, and moves that
threshold up each time such a block is freed; which arrays then come from fresh mappings (a
page fault every 4 KB, every batch) depended on the order of frees: one change of table sizes
elsewhere gave the fingerprints 12,000 more page faults on 10 MB (~40 ms). `steady_heap` fixes
the thresholds so that arrays below 8 MB are always reused from the heap.

A large corpus's fingerprints reach the corpus stage as many such arrays (unpickled from the
workers' results); once they are copied into the corpus's columns and freed, the heap keeps
their pages, and the columns, mapped afresh, come on top — the run's peak. `give_back` returns
the free pages (`malloc_trim`). Elsewhere (another C library, another system) both do nothing.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from typing import Any

_M_TRIM_THRESHOLD = -1  # mallopt parameters (malloc.h)
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 8 << 20  # blocks below this come from the heap, freed blocks are reused
TRIM_THRESHOLD = 64 << 20  # free memory at the heap's top kept for the next batch


@cache
def _libc() -> Any:
    """glibc's malloc functions, or None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None)
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None  # glibc


_USER_SETTINGS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")
_tuning_allowed = False


def allow_tuning() -> None:
    """Let `steady_heap` act: called by the console script, whose process speechlint owns. A
    program that imports speechlint keeps its allocator as it set it."""
    global _tuning_allowed
    _tuning_allowed = True


@cache
def steady_heap() -> None:
    """Fix glibc's mmap and trim thresholds (once per process; see the module's docstring),
    unless the user tuned the allocator (glibc's environment variables or tunables)."""
    if not _tuning_allowed or any(name in os.environ for name in _USER_SETTINGS):
        return
    if "glibc.malloc." in os.environ.get("GLIBC_TUNABLES", ""):
        return
    libc = _libc()
    if libc is not None:
        libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        libc.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)


def give_back() -> None:
    """Return the heap's free pages to the system (glibc), else nothing."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
