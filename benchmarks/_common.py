"""Helpers shared by the benchmark scripts: paths, core pinning, timing, corpus files.

The scripts run from a checkout (`python benchmarks/<script>.py`) without installing the
package: importing this module puts the repository root first on `sys.path`.
"""

from __future__ import annotations

import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

# The shared folder sits beside the checkout (../shared); generated corpora and tools go to a
# git-ignored folder of the checkout. Both can be moved with environment variables.
SHARED_DIR = Path(os.environ.get("SPEECHLINT_SHARED", REPO_ROOT.parent / "shared"))
BENCH_DIR = Path(os.environ.get("SPEECHLINT_BENCH_DIR", REPO_ROOT / ".bench"))
DATA_DIR = BENCH_DIR / "data"
GEN_CORPUS = Path(os.environ.get("SPEECHLINT_GEN_CORPUS", SHARED_DIR / "bench" / "gen_corpus.py"))
SIZES = {"1M": 100, "10M": 1000, "100M": 10000}  # corpus tag -> number of ~10 KB documents
MB = 1_000_000  # figures are in decimal megabytes of UTF-8 source bytes


def pin_to_one_core(core: int | None = 1) -> int | None:
    """Pin this process (and the children it starts later) to one CPU; return the core used.

    `None` leaves the affinity alone. If the requested core does not exist the last
    available one is used, so the scripts also run on a one-core machine.
    """
    if core is None or not hasattr(os, "sched_setaffinity"):
        return None
    available = sorted(os.sched_getaffinity(0))
    chosen = core if core in available else available[-1]
    os.sched_setaffinity(0, {chosen})
    return chosen


def best_time(func: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Shortest wall time of `repeat` calls of `func` (best of N), and the last call's result.

    The best run is the one least disturbed by other processes on a shared machine, as
    with `timeit`; start-up figures report the median and the minimum instead.
    """
    times: list[float] = []
    result: Any = None
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), result


def children_cpu() -> float:
    """User + system CPU seconds of the finished children of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Timed:
    """One subprocess: wall seconds, CPU seconds (user + system, all its threads), exit status.

    On a shared machine the wall time grows with other people's load; the CPU time barely
    does, so ratios of CPU times are the steadier figure.
    """

    wall: float
    cpu: float
    status: int


def run_timed(cmd: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Timed:
    """Time one subprocess, output discarded."""
    cpu0 = children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(list(cmd), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return Timed(time.perf_counter() - start, children_cpu() - cpu0, proc.returncode)


def mb_per_s(n_bytes: int, seconds: float) -> float:
    return n_bytes / MB / seconds if seconds > 0 else float("inf")


def corpus_files(directory: Path) -> list[Path]:
    """The corpus documents (`*.txt`) of a directory, sorted."""
    return sorted(p for p in directory.glob("*.txt") if p.is_file())


def ensure_corpus(size: str, data_dir: Path = DATA_DIR, generate: bool = False) -> Path:
    """The `corpus_<size>` directory under `data_dir`, generated with gen_corpus.py if asked.

    gen_corpus writes every smaller size along with the requested one, all deterministic.
    """
    directory = data_dir / f"corpus_{size}"
    if corpus_files(directory):
        return directory
    if not generate:
        raise SystemExit(f"{directory}: no corpus; pass --generate to build it with {GEN_CORPUS}")
    if not GEN_CORPUS.is_file():
        raise SystemExit(f"{GEN_CORPUS}: corpus generator not found")
    data_dir.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, str(GEN_CORPUS), "--total-docs", str(SIZES[size]), "--out", str(data_dir)]
    print("generating corpus:", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True)
    return directory


def speechlint_command() -> tuple[list[str], str]:
    """How to start the CLI without a shell shim in between (pyenv shims cost ~30 ms).

    The console script next to this interpreter when the package is installed, else
    `python -m speechlint` from the checkout.
    """
    script = Path(sys.executable).parent / "speechlint"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)], "speechlint (console script)"
    return [sys.executable, "-m", "speechlint"], "python -m speechlint"


def checkout_env() -> dict[str, str]:
    """Environment for child processes: the checkout importable, no stray config or colour."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    env["NO_COLOR"] = "1"
    return env


@dataclass
class MachineInfo:
    date: str
    python: str
    platform: str
    cpu: str
    cores: int
    pinned_core: int | None

    @classmethod
    def collect(cls, pinned_core: int | None) -> MachineInfo:
        return cls(
            date=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            python=platform.python_version(),
            platform=platform.platform(terse=True),
            cpu=_cpu_model(),
            cores=os.cpu_count() or 1,
            pinned_core=pinned_core,
        )

    def line(self) -> str:
        pinned = f"pinned to core {self.pinned_core}" if self.pinned_core is not None else "not pinned"
        return f"{self.date}; {self.cpu}, {self.cores} cores ({pinned}); Python {self.python}; {self.platform}"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def which(name: str) -> str | None:
    return shutil.which(name)
