"""A progress bar on standard error, for a person waiting at a terminal on a long run.

Drawn only when standard error is a terminal, the report is the text one, and no CI system is
detected (`CI` set): logs and pipes never get carriage returns. Nothing appears during the first
seconds, so the quick runs most people make stay as they were; the bar is erased when the run ends,
before the report is printed.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

DELAY_SECONDS = 2.0  # no bar for runs shorter than this
REDRAW_SECONDS = 0.2
WIDTH = 30


def wanted(report_format: str, stream: TextIO | None = None) -> bool:
    """Should this run draw a bar?"""
    stream = stream or sys.stderr
    if report_format not in ("text", "concise") or os.environ.get("CI") or os.environ.get("SPEECHLINT_NO_PROGRESS"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """Counts bytes read and linted against the run's total; `advance` is cheap when not drawing."""

    def __init__(self, total: int, stream: TextIO | None = None, delay: float = DELAY_SECONDS) -> None:
        self.total = max(1, total)
        self.done = 0
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.delay = delay
        self.drawn_at = 0.0
        self.visible = False

    def advance(self, size: int) -> None:
        self.done = min(self.total, self.done + size)
        now = time.monotonic()
        if now - self.started < self.delay or now - self.drawn_at < REDRAW_SECONDS:
            return
        self.drawn_at = now
        share = self.done / self.total
        filled = int(WIDTH * share)
        bar = "#" * filled + "-" * (WIDTH - filled)
        self.stream.write(f"\r检查中 [{bar}] {share:4.0%}  {self.done / 1e6:.1f}/{self.total / 1e6:.1f} MB")
        self.stream.flush()
        self.visible = True

    def close(self) -> None:
        """Erase the bar (the report follows on a clean line)."""
        if self.visible:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.visible = False
