"""Time ``python -m grader similarity`` on a SYNTHETIC cohort (target: 300 in under a minute).

Writes a course folder of N synthetic submissions (tests/grader/similarity_fixture.py:
varied code, random-word memos, every tenth submission a copy of the one before), runs
the comparison with the HTML page, and prints the time and what was flagged. One
process does the work (copydetect's comparisons are in numpy); the figure is for the
machine it runs on, printed, never asserted in a test.

    .venv/bin/python benchmarks/similarity.py --submissions 300
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from grader import similarity  # noqa: E402
from tests.grader.similarity_fixture import ASSIGNMENT, synthetic, write_course  # noqa: E402

TARGET_SECONDS = 60.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--submissions", type=int, default=300, metavar="N")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        learners = synthetic(args.submissions)
        course = write_course(Path(tmp) / "course", learners)
        planted = sum(1 for i in range(args.submissions) if i and i % 10 == 0)
        start = time.perf_counter()
        result = similarity.main(assignment=ASSIGNMENT, course=course, out=Path(tmp) / "s.html")
        seconds = time.perf_counter() - start
    pairs = {(p.a, p.b, p.kind) for p in result.pairs}
    copies = {(f"s{i - 1:04d}", f"s{i:04d}") for i in range(10, args.submissions, 10)}
    found = {c for c in copies if (*c, "code") in pairs and (*c, "w1_memo") in pairs}
    others = {p for p in pairs if p[:2] not in copies}
    load = os.getloadavg()[0]
    print(f"submissions: {result.submissions}; cores: {os.cpu_count()}; load average {load:.1f}")
    print(f"similarity (code + written answers + HTML page): {seconds:.1f} s")
    print(f"planted copies flagged (code and memo): {len(found)} of {planted}")
    print(f"other pairs flagged: {len(others)}")
    print(
        f"target: under {TARGET_SECONDS:.0f} s -> {'met' if seconds < TARGET_SECONDS else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
