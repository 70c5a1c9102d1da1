"""Handing freed memory back to the system, where the C library keeps it.

A corpus's fingerprints reach the corpus stage as many arrays of a few hundred kilobytes
(unpickled from the workers' results), which glibc's malloc serves from its heap rather than
from fresh mappings: its mmap threshold grows each time a large block is freed. Once those
arrays are copied into the corpus's columns and freed, the heap keeps their pages, and the
columns, mapped afresh, come on top — the run's peak. `malloc_trim` gives the free pages
back. Elsewhere (another C library, another system) this does nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    return trim


def give_back() -> None:
    """Return the heap's free pages to the system (glibc), else nothing."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
