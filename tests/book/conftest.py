"""Fixtures for book tests: the repository root and a helper that builds a small fixture site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SITES = REPO / "tests" / "sites"
BIN = Path(sys.executable).parent


def _fixture_config(extension_dir: Path) -> str:
    return f"""title: Fixture
only_build_toc_files: true
execute:
  execute_notebooks: cache
  allow_errors: false
sphinx:
  local_extensions:
    course_assets: {extension_dir}
    course_downloads: {extension_dir}
    course_search: {extension_dir}
"""


@pytest.fixture
def build_fixture_site(tmp_path):
    """Copy ``tests/sites/<name>`` to a temp dir, optionally edit it, and build it strictly."""

    def build(name: str, replacements: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        site = tmp_path / name
        shutil.copytree(SITES / name, site)
        (site / "_config.yml").write_text(_fixture_config(REPO / "_ext"))
        for page in site.glob("*.md"):
            text = page.read_text()
            for old, new in (replacements or {}).items():
                text = text.replace(old, new)
            page.write_text(text)
        env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
        return subprocess.run(
            [str(BIN / "jupyter-book"), "build", str(site), "-n", "-W", "--keep-going"],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )

    return build
