"""The lean-pages step (`_ext/course_lean.py`) is incremental (issue 14) without changing what it
writes: a rebuild after an edit leaves the same cut CSS, cut icon fonts and compiled charts as a
cold build of the edited sources, and a page that starts using a new icon gets its glyph back."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

from fontTools.ttLib import TTFont

from tests.book.conftest import BIN, REPO, SITES, _fixture_config

_spec = importlib.util.spec_from_file_location("course_lean", REPO / "_ext" / "course_lean.py")
course_lean = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(course_lean)

ANCHOR = 0xF13D  # fa-anchor: no page of the fixture shows it until the edit
EDIT = '\n\nAn anchor: <i class="fa-solid fa-anchor"></i>\n'


def _site(tmp_path: Path, name: str) -> Path:
    site = tmp_path / name
    shutil.copytree(SITES / "minimal", site)
    (site / "_config.yml").write_text(_fixture_config(REPO / "_ext"))
    index = site / "index.md"  # drop the deliberately broken reference (see test_build.py)
    index.write_text(index.read_text().replace("{ref}`LINK_TARGET`", ""))
    return site


def _build(site: Path) -> str:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(site), "-n", "-W", "--keep-going"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def _lean_outputs(html: Path) -> dict[str, bytes]:
    """What the step writes: stylesheets, icon fonts and the chart payloads of each page."""
    files = {p: p.read_bytes() for p in (html / "_static").rglob("*.css")}
    files |= {p: p.read_bytes() for p in (html / course_lean.WEBFONTS).glob("fa-*")}
    for page in html.rglob("*.html"):
        charts = course_lean.CHART_JSON.findall(page.read_text(encoding="utf-8"))
        files[page] = "\n".join(payload for _, payload, _ in charts).encode()
    return {p.relative_to(html).as_posix(): data for p, data in files.items()}


def test_incremental_rebuild_writes_what_a_cold_build_writes(tmp_path):
    warm, cold = _site(tmp_path, "warm"), _site(tmp_path, "cold")
    first = _build(warm)
    assert "charts compiled to Vega: 1 specs on 1 pages" in first
    solid = warm / "_build" / "html" / course_lean.WEBFONTS / "fa-solid-900.woff2"
    assert ANCHOR not in TTFont(solid).getBestCmap()
    caches = list((warm / "_build" / ".doctrees").glob("course_lean-*.json"))
    assert len(caches) == 1

    for site in (warm, cold):
        index = site / "index.md"
        index.write_text(index.read_text() + EDIT)
    rebuilt = _build(warm)
    _build(cold)
    # only the edited page was read again: the chart page (not rewritten) was not recompiled
    assert "charts compiled to Vega" not in rebuilt
    assert ANCHOR in TTFont(solid).getBestCmap()
    warm_files = _lean_outputs(warm / "_build" / "html")
    cold_files = _lean_outputs(cold / "_build" / "html")
    assert any(name.endswith(".woff2") for name in warm_files)
    assert any(b'"$schema"' not in data and b'"marks"' in data for data in warm_files.values())
    assert sorted(warm_files) == sorted(cold_files)
    differing = [name for name in warm_files if warm_files[name] != cold_files[name]]
    assert differing == []
