"""Benchmark: what the strict book build costs, cold and after a small edit, per language, in one run.

Works on a temporary copy of the repository (the real tree is never touched): releases the student
exercises there (as `make course` does before the book; not timed), then times, for each of the
three builds `make book` runs (English `en`, message templates `gettext`, Russian `ru`),

1. a cold full build (fresh execution cache, fresh Sphinx environments);
2. a rebuild after editing the prose of one chapter;
3. a rebuild after editing one code cell of the same chapter (its notebook re-executes, once);
4. a rebuild after editing one Russian translation (the page's .po; Russian build only);

and prints each rebuild as a ratio to the same language's cold build (target: all ≤ 15 %), with the
pages Sphinx re-read and the notebooks executed, so one sees that only what changed was redone and
that the Russian build never executes a notebook.

Usage: .venv/bin/python benchmarks/build.py [--chapter book/02-.../02-...-ngo-sector.md] [--keep]
"""

from __future__ import annotations

import argparse
import os
import re
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
EXECUTED = re.compile(r"^(\S+): Executed notebook in", re.MULTILINE)
REREAD = re.compile(r"updating environment: .*?(\d+) added, (\d+) changed, (\d+) removed")


@dataclass
class Run:
    label: str
    seconds: float
    returncode: int
    reread: str
    executed: list[str]


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
    start = time.perf_counter()
    result = subprocess.run(
        command, cwd=copy, env=_env(copy, require_downloads), capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    log = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)
    reread = REREAD.search(log)
    counts = f"{reread[1]} added, {reread[2]} changed" if reread else "?"
    executed = [Path(path).stem for path in EXECUTED.findall(log)]
    return Run(f"{target:8} {label}", seconds, result.returncode, counts, executed)


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
        edit_prose(chapter)
        runs += build_all(copy, "after a prose edit", released)
        edit_code(chapter)
        runs += build_all(copy, "after a code-cell edit", released)
        edit_translation(copy)
        runs.append(build(copy, "after a translation edit", released, "ru"))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    cold = {run.label.split()[0]: run.seconds for run in runs if "cold" in run.label}
    print(f"\n{'build':33} {'seconds':>8} {'vs cold':>8}  {'re-read':22} executed notebooks")
    for run in runs:
        status = "" if run.returncode == 0 else f"  (exit {run.returncode}: warnings/errors)"
        ratio = run.seconds / cold[run.label.split()[0]]
        print(
            f"{run.label:33} {run.seconds:8.1f} {ratio:8.0%}  {run.reread:22} "
            f"{len(run.executed)} {run.executed[:3]}{status}"
        )
    verdict = all(
        run.seconds / cold[run.label.split()[0]] <= TARGET
        for run in runs
        if "cold" not in run.label
    )
    print(
        f"\ntarget: each rebuild ≤ {TARGET:.0%} of the cold build — {'met' if verdict else 'NOT met'}"
    )
    if not released:
        print("note: the student exercises could not be released in the copy; "
              "download links were built as notes")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
