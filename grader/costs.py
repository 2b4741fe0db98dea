"""Where one submission's grading time goes, by phase (read by ``benchmarks/autograde.py``)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

# in the order a submission passes through them
PHASES = (
    "reading and planning",
    "sandbox set-up",
    "kernel start",
    "learner code",
    "answer snapshot",
    "sandbox teardown",
    "trusted tests",
    "writing results",
)


class Costs:
    """Seconds spent per phase; phases may be entered many times (one per cell)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def add(self, phase: str, seconds: float) -> None:
        """Count ``seconds`` towards ``phase``."""
        self.seconds[phase] = self.seconds.get(phase, 0.0) + max(0.0, seconds)

    @contextlib.contextmanager
    def phase(self, phase: str) -> Iterator[None]:
        """Time the block towards ``phase``."""
        started = time.monotonic()
        try:
            yield
        finally:
            self.add(phase, time.monotonic() - started)

    def as_tuple(self) -> tuple[tuple[str, float], ...]:
        """Picklable, rounded, in phase order."""
        order = {name: i for i, name in enumerate(PHASES)}
        items = sorted(self.seconds.items(), key=lambda kv: order.get(kv[0], len(order)))
        return tuple((name, round(value, 4)) for name, value in items)
