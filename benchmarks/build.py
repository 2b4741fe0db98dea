"""Benchmark: what the strict book build costs, cold and after a small edit, per language, in one run.

Works on a temporary copy of the repository (the real tree is never touched): releases the student
exercises there (as `make course` does before the book; not timed), then times, for each of the
three builds `make book` runs (English `en`, message templates `gettext`, Russian `ru`),

1. a cold full build (fresh execution cache, fresh Sphinx environments);
2. a rebuild after editing the prose of one chapter;
3. a rebuild after editing one code cell of the same chapter (its notebook re-executes, once);
4. a rebuild after editing one Russian translation (the page's .po; Russian build only);

and a rebuild with nothing changed (what every build costs before any page: starting Python,
Sphinx, Jupyter Book and the extensions). It prints two tables, each rebuild as a ratio to the
matching cold build (target ≤ 15 %):

- *per build*: each of the three commands against its own cold run, with the pages Sphinx re-read
  and the notebooks executed (only what changed is redone; the Russian build executes nothing);
- *per edition*: what a reader's edition costs. English = the English build. Russian = the
  notebook runs it reuses (timed inside the English build, "Executed notebook in N seconds"), the
  templates and the Russian build: the Russian edition cannot be built without those runs.

Usage: .venv/bin/python benchmarks/build.py [--chapter book/02-.../02-...-ngo-sector.md] [--keep]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
BIN = REPO / ".venv" / "bin"
TARGET = 0.15
# Build outputs, caches and environments: not part of the sources a build starts from.
NOT_COPIED = shutil.ignore_patterns(
    ".git", "_build", ".venv", "node_modules", "course", ".pytest_cache", ".ruff_cache",
    "__pycache__", "*.egg-info", ".ipynb_checkpoints", "*.mo",
)  # fmt: skip
CODE_CELL = re.compile(r"^```\{code-cell\}.*$", re.MULTILINE)
EXECUTED = re.compile(r"^(\S+): Executed notebook in ([\d.]+) seconds", re.MULTILINE)
REREAD = re.compile(r"updating environment: .*?(\d+) added, (\d+) changed, (\d+) removed")


@dataclass
class Run:
    label: str
    seconds: float
    returncode: int
    reread: str
    executed: list[str]
    execution_seconds: float = 0.0  # notebook runs inside this build
    cpu: float = 0.0  # CPU seconds of the build and everything it started (kernels included)


def copy_repository(target: Path) -> Path:
    """Copy the sources to ``target``; node_modules is linked (read only at build time)."""
    shutil.copytree(REPO, target, ignore=NOT_COPIED, symlinks=True)
    (target / "node_modules").symlink_to(REPO / "node_modules")
    return target


def _env(copy: Path, require_downloads: bool) -> dict[str, str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    # Kernels must import coursebook/coursedata from the copy, not the editable install.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(copy), env.get("PYTHONPATH")]))
    if require_downloads:
        env["COURSE_REQUIRE_DOWNLOADS"] = "1"
    return env


def release(copy: Path) -> bool:
    """Make the student versions in the copy, as `make release` does; False if that fails."""
    command = [str(BIN / "python"), "-m", "grader", "release", "--course", "course"]
    result = subprocess.run(
        command, cwd=copy, env=_env(copy, False), capture_output=True, text=True
    )
    if result.returncode != 0:
        tail = (result.stdout + result.stderr).strip().splitlines()[-3:]
        print(f"warning: `python -m grader release` failed in the copy: {tail}", file=sys.stderr)
    return result.returncode == 0


EDITIONS = ("en", "gettext", "ru")


def build(copy: Path, label: str, require_downloads: bool, target: str = "en") -> Run:
    command = [str(BIN / "jupyter-book"), "build", ".", "-n", "-W", "--keep-going"]
    if target != "en":
        command = [str(BIN / "python"), "_ext/build_editions.py", target]
    start, used = time.perf_counter(), _children_cpu()
    result = subprocess.run(
        command, cwd=copy, env=_env(copy, require_downloads), capture_output=True, text=True
    )
    seconds, cpu = time.perf_counter() - start, _children_cpu() - used
    log = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)
    reread = REREAD.search(log)
    counts = f"{reread[1]} added, {reread[2]} changed" if reread else "?"
    runs = EXECUTED.findall(log)
    executed = [Path(path).stem for path, _ in runs]
    execution = sum(float(spent) for _, spent in runs)
    label = f"{target:8} {label}"
    return Run(label, seconds, result.returncode, counts, executed, execution, cpu)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build_all(copy: Path, label: str, released: bool) -> list[Run]:
    return [build(copy, label, released, target) for target in EDITIONS]


def edit_translation(copy: Path) -> None:
    """Change one Russian message (the first translated one of the first translated catalogue)."""
    from babel.messages.pofile import read_po, write_po

    for po in sorted((copy / "locales" / "ru" / "LC_MESSAGES").rglob("*.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if message.id and message.string and not message.fuzzy:
                message.string += " (правка)"
                with po.open("wb") as handle:
                    write_po(handle, catalog, width=0)
                return


def busiest_chapter(copy: Path) -> Path:
    """The toc page with the most code cells: the most expensive one to re-execute."""
    toc = yaml.safe_load((copy / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])]
    pages = [copy / f"{f}.md" for f in files if (copy / f"{f}.md").is_file()]
    return max(pages, key=lambda p: len(CODE_CELL.findall(p.read_text(encoding="utf-8"))))


def edit_prose(page: Path) -> None:
    with page.open("a", encoding="utf-8") as handle:
        handle.write("\nThis sentence was added by benchmarks/build.py to time a prose edit.\n")


def edit_code(page: Path) -> None:
    """Add a comment line to the last code cell (changes its source, so the notebook re-runs)."""
    text = page.read_text(encoding="utf-8")
    last = list(CODE_CELL.finditer(text))[-1]
    close = text.index("\n```", last.end())
    page.write_text(text[:close] + "\n# edited by benchmarks/build.py" + text[close:], "utf-8")


def _verdict(ratios: list[float]) -> str:
    return "met" if all(ratio <= TARGET for ratio in ratios) else "NOT met"


def report_builds(runs: list[Run]) -> None:
    # Wall time follows the load other jobs put on the machine; CPU time much less so.
    cold = {run.label.split()[0]: run for run in runs if "cold" in run.label}
    print(
        f"\nper build: {'build':33} {'wall s':>7} {'vs cold':>7} {'CPU s':>7} {'vs cold':>7}"
        f"  {'re-read':22} executed"
    )
    walls, cpus = [], []
    for run in runs:
        status = "" if run.returncode == 0 else f"  (exit {run.returncode}: warnings/errors)"
        base = cold[run.label.split()[0]]
        wall, cpu = run.seconds / base.seconds, run.cpu / base.cpu
        if "cold" not in run.label and "nothing" not in run.label:
            walls.append(wall)
            cpus.append(cpu)
        print(
            f"{'':11}{run.label:33} {run.seconds:7.1f} {wall:7.0%} {run.cpu:7.1f} {cpu:7.0%}  "
            f"{run.reread:22} {len(run.executed)} {run.executed[:3]}{status}"
        )
    print(
        f"target per build: each edit's rebuild ≤ {TARGET:.0%} of its cold run — "
        f"wall time: {_verdict(walls)}; CPU time: {_verdict(cpus)}"
    )


def report_editions(runs: list[Run]) -> None:
    """Russian edition = the notebook runs it reuses + templates + Russian build, per step."""
    steps: dict[str, dict[str, Run]] = {}
    for run in runs:
        target, label = run.label.split(maxsplit=1)
        steps.setdefault(label, {})[target] = run
    print(f"\nper edition: {'step':28} {'English':>16} {'Russian':>16}")
    ratios = []
    cold_en = cold_ru = None
    for label, by_target in steps.items():
        english = by_target["en"].seconds if "en" in by_target else 0.0
        execution = by_target["en"].execution_seconds if "en" in by_target else 0.0
        russian = execution + sum(by_target[t].seconds for t in ("gettext", "ru") if t in by_target)
        if cold_en is None:
            cold_en, cold_ru = english, russian
        cells = []
        for seconds, cold in ((english, cold_en), (russian, cold_ru)):
            cells.append(f"{seconds:7.1f} s {seconds / cold:5.0%}" if seconds else f"{'–':>16}")
            if seconds and label not in ("cold full build", "with nothing changed"):
                ratios.append(seconds / cold)
        print(f"{'':13}{label:28} {cells[0]:>16} {cells[1]:>16}")
    print(f"(Russian includes {steps['cold full build']['en'].execution_seconds:.1f} s of notebook")
    print(f" runs in the cold build.) target per edition: ≤ {TARGET:.0%} — {_verdict(ratios)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapter", help="page to edit, relative to the repository (.md)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="course-build-bench-"))
    try:
        copy = copy_repository(workdir / "repo")
        released = release(copy)
        chapter = copy / args.chapter if args.chapter else busiest_chapter(copy)
        if not chapter.is_file():
            print(f"error: no chapter {args.chapter} in the repository", file=sys.stderr)
            return 1
        print(f"temporary copy: {copy}; edited chapter: {chapter.relative_to(copy)}")
        runs = build_all(copy, "cold full build", released)
        runs += build_all(copy, "with nothing changed", released)
        edit_prose(chapter)
        runs += build_all(copy, "after a prose edit", released)
        edit_code(chapter)
        runs += build_all(copy, "after a code-cell edit", released)
        edit_translation(copy)
        runs.append(build(copy, "after a translation edit", released, "ru"))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    report_builds(runs)
    report_editions(runs)
    if not released:
        print("note: the student exercises could not be released in the copy; "
              "download links were built as notes")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
