"""Estimate of the time a learner new to Python needs for each exercise (issue 17 §5).

What is measured, from each exercise's source notebook: the words a learner reads (markdown,
model answers excluded), the number of autograded tasks, the lines of code in the solutions
(comments and blank lines excluded) and the word range asked for in the written task. What is
ASSUMED, and printed with the figures, are the rates that turn those counts into minutes:

- reading instructions: 150 words a minute (careful reading of technical text);
- each autograded task: 4 minutes for the prompt, the hint, running the check and one retry;
- each line of solution code: 2 minutes for a learner who has done the primer;
- the written task: 10 words a minute at the middle of the asked range (planning and drafting).

These rates are an estimate, not a timing of real learners: replace them with the times of the
first cohort (docs/trainers.md says how to collect them).

Usage: .venv/bin/python benchmarks/exercise_times.py [--exercises DIR]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import nbformat

READ_WPM = 150
TASK_MIN = 4
LINE_MIN = 2
WRITE_WPM = 10
_SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
_RANGE = re.compile(r"\*\*(\d+)\s*[–-]\s*(\d+) words\*\*")


def measure(notebook: Path) -> dict[str, float]:
    """Counts for one exercise and the minutes they imply at the assumed rates."""
    nb = nbformat.read(notebook, as_version=4)

    def meta(cell):
        return cell.metadata.get("nbgrader", {})

    prose = [
        c.source for c in nb.cells if c.cell_type == "markdown" and not meta(c).get("solution")
    ]
    words = sum(len(text.split()) for text in prose)
    tasks = sum(1 for c in nb.cells if c.cell_type == "code" and meta(c).get("grade"))
    lines = 0
    for cell in nb.cells:
        for body in _SOLUTION.findall(cell.source) if cell.cell_type == "code" else ():
            lines += sum(
                1 for ln in body.splitlines() if ln.strip() and not ln.strip().startswith("#")
            )
    ranges = [(int(a), int(b)) for a, b in _RANGE.findall("\n".join(prose))]
    written = sum((a + b) / 2 for a, b in ranges)
    minutes = words / READ_WPM + tasks * TASK_MIN + lines * LINE_MIN + written / WRITE_WPM
    return {"words": words, "tasks": tasks, "lines": lines, "written": written, "minutes": minutes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exercises", type=Path, default=Path("exercises"))
    args = parser.parse_args()
    print(
        f"rates: read {READ_WPM} wpm, {TASK_MIN} min/task, {LINE_MIN} min/code line, "
        f"write {WRITE_WPM} wpm"
    )
    print(f"{'exercise':28} {'words':>6} {'tasks':>5} {'lines':>5} {'write':>5} {'minutes':>7}")
    total = 0.0
    for folder in sorted(p for p in args.exercises.iterdir() if (p / f"{p.name}.ipynb").is_file()):
        m = measure(folder / f"{folder.name}.ipynb")
        total += m["minutes"]
        print(
            f"{folder.name:28} {m['words']:6.0f} {m['tasks']:5.0f} {m['lines']:5.0f} "
            f"{m['written']:5.0f} {m['minutes']:7.0f}"
        )
    print(f"{'total':28} {'':6} {'':5} {'':5} {'':5} {total:7.0f}  ({total / 60:.1f} h)")


if __name__ == "__main__":
    main()
