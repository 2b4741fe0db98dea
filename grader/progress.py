"""Progress of long batches on stderr, drawn by ``rich`` (never in logs or stdout).

On a terminal the bar is redrawn in place; elsewhere (CI logs, redirected output) rich
prints the final state once, so logs stay short. The note shown beside the bar is a
learner's id: markup and escape sequences in it are neutralised.
"""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as RichProgress

from grader.textsafe import terminal


class Progress:
    """Counts finished items of a batch of ``total`` and shows them under ``label``."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None) -> None:
        self.total, self.done = total, 0
        self.console = Console(file=stream or sys.stderr, highlight=False)
        self._bar = RichProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[note]}"),
            console=self.console,
            transient=False,
        )
        self._task = self._bar.add_task(escape(terminal(label)), total=total, note="")
        self._started = False
        if total == 0:
            return
        self._bar.start()
        self._started = True

    def advance(self, note: str = "") -> None:
        """Record one more finished item (``note``: what it was, e.g. a student id)."""
        self.done += 1
        self._bar.update(self._task, advance=1, note=escape(terminal(note))[:40])
        if self.done >= self.total:
            self.close()

    def close(self) -> None:
        """Stop redrawing (called by the last ``advance``; safe to call twice)."""
        if self._started:
            self._bar.stop()
            self._started = False
