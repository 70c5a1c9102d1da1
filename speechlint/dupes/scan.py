"""Reading a corpus into fingerprints, on several cores.

Reading, decoding and hashing is per file and independent, so it is split over worker
processes in chunks; only the compact fingerprints travel back. Texts are dropped as soon
as they are hashed: memory grows with the fingerprints, not with the corpus.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from speechlint.dupes.corpus import Columns
from speechlint.dupes.fingerprint import DocPrints, fingerprint
from speechlint.dupes.phrases import SetPhrases

CHUNK_FILES = 64  # files per task: big enough to amortise pickling, small enough to balance


@dataclass
class Scan:
    """What a scan keeps: per document its path, length and line starts (`prints`, whose
    fingerprint arrays are emptied), and every fingerprint in flat `columns`."""

    paths: list[str] = field(default_factory=list)  # display paths of the documents read
    prints: list[DocPrints] = field(default_factory=list)
    columns: list[Columns] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    bytes_read: int = 0


_worker_state: tuple[int, int, SetPhrases, str] | None = None


def _init(k: int, w: int, phrases: list[str], fallback: str) -> None:
    global _worker_state
    _worker_state = (k, w, SetPhrases(phrases), fallback)


def _scan_chunk(chunk: Sequence[tuple[str, str]]) -> Scan:
    from speechlint.document import Document, DocumentError

    assert _worker_state is not None
    k, w, phrases, fallback = _worker_state
    out = Scan()
    for path, display in chunk:
        try:
            doc = Document.from_path(Path(path), display, fallback)
        except DocumentError as exc:
            out.errors.append(str(exc))
            continue
        out.bytes_read += len(doc.raw or b"")
        out.paths.append(display)
        out.prints.append(fingerprint(doc.text, k, w, phrases))
    out.columns.append(Columns.of(out.prints))  # one set of arrays per chunk: cheap to send
    for prints in out.prints:
        prints.hashes = prints.positions = prints.starts = prints.ends = prints.hashes[:0]
    return out


def scan(
    files: Sequence[tuple[str, str]], k: int, w: int, phrases: list[str], jobs: int = 0, fallback: str = "gb18030"
) -> Scan:
    """Fingerprints of `files` ((path, display) pairs), in their order; `jobs` 0 = all cores."""
    from speechlint.parallel import available_cpus

    jobs = jobs or min(available_cpus(), 8)
    chunks = [files[i : i + CHUNK_FILES] for i in range(0, len(files), CHUNK_FILES)]
    total = Scan()
    if jobs <= 1 or len(chunks) <= 1:
        _init(k, w, phrases, fallback)
        parts = map(_scan_chunk, chunks)
        return _join(total, parts)
    import multiprocessing

    import numpy  # noqa: F401  (imported once here, shared by the forked workers)

    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else multiprocessing.get_context()
    with context.Pool(jobs, initializer=_init, initargs=(k, w, phrases, fallback)) as pool:
        return _join(total, pool.imap(_scan_chunk, chunks))


def _join(total: Scan, parts) -> Scan:
    """Chunks in order; each chunk's document indices are shifted to corpus-wide ones."""
    import numpy as np

    for part in parts:
        for columns in part.columns:
            columns.docs = columns.docs + np.uint32(len(total.paths))
            total.columns.append(columns)
        total.paths.extend(part.paths)
        total.prints.extend(part.prints)
        total.errors.extend(part.errors)
        total.bytes_read += part.bytes_read
    total.columns = [Columns.join(total.columns)]
    return total
