"""Resource limits for grading one submission (see docs/security.md for what each one caps)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Caps applied to the learner's code while one submission is graded.

    The defaults suit the course exercises (small CSVs, pandas, a few Altair charts) on a
    2-core machine; every value can be raised per cohort. They are plain numbers so the
    object pickles and crosses process or dask boundaries unchanged.

    Attributes:
        cell_seconds: wall-clock seconds one learner cell (or one trusted test cell) may run;
            the kernel is interrupted, then killed if it ignores the interrupt. nbgrader's own
            default (``Execute.timeout``) is 30 s, so honest notebooks time out identically.
        notebook_seconds: wall-clock seconds for the whole learner notebook, kernel start
            included; what has not run by then scores 0.
        memory_mb: address-space cap (``RLIMIT_AS``) per sandboxed process, and for each
            trusted test process. A kernel with pandas and numpy maps about 0.9 GB.
        processes: cap on processes and threads of the sandbox user (``RLIMIT_NPROC``).
            ipykernel itself needs about 10 threads.
        output_bytes: total bytes of cell outputs kept in the graded notebook; the rest is
            dropped with a visible note.
        disk_mb: size of the writable home and /tmp file systems of the sandbox (each), and
            the largest file a sandboxed process may write (``RLIMIT_FSIZE``).
        answer_mb: cap on the JSON answers passed from the sandbox to one test cell.
        submission_mb: largest submitted notebook file accepted.
        open_files: cap on open file descriptors per sandboxed process.
        kernel_start_seconds: time the sandboxed kernel may take to answer its first request.
    """

    cell_seconds: float = 30.0
    notebook_seconds: float = 300.0
    memory_mb: int = 2048
    processes: int = 64
    output_bytes: int = 8 * MIB
    disk_mb: int = 128
    answer_mb: int = 32
    submission_mb: int = 64
    open_files: int = 256
    kernel_start_seconds: float = 60.0

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 1e-3:
                raise ValueError(f"Limits.{field.name} must be a positive number, got {value!r}")
            if field.type == "int" and value != int(value):
                raise ValueError(f"Limits.{field.name} must be a whole number, got {value!r}")
            if field.type == "int":
                # sizes end up on command lines (prlimit, bwrap): 2048.0 must print as 2048
                object.__setattr__(self, field.name, int(value))

    def as_dict(self) -> dict[str, float]:
        """Return the limits as a plain dict (for logs and reports)."""
        return asdict(self)
