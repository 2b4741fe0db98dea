"""A dependency-free progress bar for long batches (stderr only, never in logs)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Counts finished items and redraws one status line.

    On a terminal the line is redrawn in place; otherwise (CI logs, redirected output) a
    line is printed at every tenth of the batch so logs stay short.
    """

    def __init__(self, total: int, label: str, stream: TextIO | None = None) -> None:
        self.total, self.label, self.done = total, label, 0
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.start = time.monotonic()
        self._next_mark = 0.1

    def advance(self, note: str = "") -> None:
        """Record one more finished item."""
        self.done += 1
        fraction = self.done / self.total if self.total else 1.0
        if self.tty:
            self.stream.write("\r" + self._line(fraction, note)[:160].ljust(80))
            if self.done == self.total:
                self.stream.write("\n")
        elif fraction >= self._next_mark or self.done == self.total:
            self.stream.write(self._line(fraction, note) + "\n")
            while self._next_mark <= fraction:
                self._next_mark += 0.1
        self.stream.flush()

    def _line(self, fraction: float, note: str) -> str:
        elapsed = time.monotonic() - self.start
        eta = elapsed / self.done * (self.total - self.done) if self.done else 0.0
        bar = "#" * int(fraction * 24)
        return (
            f"{self.label} [{bar:<24}] {self.done}/{self.total} "
            f"{elapsed:5.0f}s elapsed, ~{eta:.0f}s left {note}"
        ).rstrip()
