"""The one process pool of a run (`check -j N`, `dupes`): stages hand it chunks of work.

Workers are forked after the rules are compiled, so they inherit them instead of building
their own; what a stage sends them is a chunk of targets or document states, and what comes
back is that stage's result for the chunk. Linux only (fork); elsewhere, or with one job,
the same functions run in this process.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
Shared = TypeVar("Shared")

_SHARED: Any = None  # what forked workers inherit: the run's compiled rules and options


def available_cpus() -> int:
    """CPUs this process may run on (the affinity mask where there is one, as under taskset)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return sys.platform.startswith("linux")


def _call(task: tuple[Callable[[Any, Any], Any], Any]) -> Any:
    func, chunk = task
    return func(_SHARED, chunk)


class WorkerPool(Generic[Shared]):
    """`map` a stage function over chunks, in forked workers or in this process.

    A stage function takes `(shared, chunk)`: `shared` is what the pool was made with
    (inherited by the workers at fork, never pickled), `chunk` a list of items.
    """

    def __init__(self, shared: Shared, jobs: int) -> None:
        self.shared = shared
        self.jobs = jobs if jobs > 1 and can_fork() else 1
        self._executor: Any = None

    def __enter__(self) -> WorkerPool[Shared]:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        global _SHARED
        if self._executor is not None:
            self._executor.shutdown()
            self._executor = None
            _SHARED = None

    def map(
        self,
        func: Callable[[Shared, list[Item]], Result],
        items: Sequence[Item],
        size: Callable[[Item], int] | None = None,
    ) -> Iterable[Result]:
        """`func(shared, chunk)` for consecutive chunks of `items`, results in order."""
        if not items:
            return []
        if self.jobs <= 1 or len(items) < 2:
            return [func(self.shared, list(items))]
        chunks = split(items, self.jobs * 4, size)  # several chunks a worker: items differ in size
        return self._pool().map(_call, [(func, chunk) for chunk in chunks])

    def _pool(self) -> Any:
        global _SHARED
        if self._executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            _SHARED = self.shared
            self._executor = ProcessPoolExecutor(max_workers=self.jobs, mp_context=multiprocessing.get_context("fork"))
        return self._executor


def split(items: Sequence[Item], count: int, size: Callable[[Item], int] | None = None) -> list[list[Item]]:
    """Consecutive runs of items of about equal total size (order kept, for stable output)."""
    sizes = [size(item) for item in items] if size is not None else [1] * len(items)
    share = max(1, sum(sizes) // max(1, count))
    chunks: list[list[Item]] = [[]]
    filled = 0
    for item, weight in zip(items, sizes, strict=True):
        if filled >= share and chunks[-1]:
            chunks.append([])
            filled = 0
        chunks[-1].append(item)
        filled += weight
    return chunks
