"""Set the owners and modes that keep learners apart on a hub where each has a Unix account.

Run as root once after `python -m grader release` built the course folder, and again after adding
learners (it is idempotent):

    sudo .venv/bin/python deploy/jupyterhub/prepare_folders.py deploy/jupyterhub/course.toml

What it sets, and why:
- the course folder (solutions, hidden tests, gradebook) belongs to the grader account, mode 0700;
- the exchange root is open to all with the sticky bit (1777), as nbgrader requires;
- in the exchange, the course's ``inbound`` is write-only for learners (they can hand in, not
  list) and sticky, so nobody can rename or delete another's submission (3733; nbgrader itself
  makes it 2733, without the sticky bit, and keeps a stricter mode it finds), ``outbound`` is readable (0755), ``feedback`` is traverse-only (0711: a learner finds
  their feedback by a hash of their own submission and cannot list anyone else's);
- the course's sources with solutions and hidden tests (``[course] source``, by default this
  repository's ``exercises/`` and, if built, ``course/``) belong to the grader account, mode 0700:
  on one server learners' terminals can otherwise read the repository the hub runs from;
- every learner's and trainer's home folder is private to its owner (0700).
These are the modes nbgrader's own exchange creates; setting them here means they hold before the
first release and after a copy or restore that lost them.
"""

from __future__ import annotations

import argparse
import grp
import os
import pwd
import stat
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXCHANGE_MODES = {"": 0o755, "inbound": 0o3733, "outbound": 0o755, "feedback": 0o711}


class SetupError(Exception):
    """A problem the person running the script must fix; printed as one line."""


def _account(name: str, what: str) -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        raise SetupError(f"{what} {name!r} has no Unix account (create it first)") from None


def _own_tree(top: Path, uid: int, gid: int) -> None:
    """chown a tree without following links (a link inside is re-owned, never its target)."""
    os.lchown(top, uid, gid)
    for folder, dirs, files in os.walk(top, followlinks=False):
        for name in dirs + files:
            os.lchown(os.path.join(folder, name), uid, gid)


def _folder(path: Path, mode: int, uid: int, gid: int) -> str:
    if path.is_symlink():
        raise SetupError(f"{path} is a symbolic link: replace it with a real folder")
    path.mkdir(parents=True, exist_ok=True)
    os.chown(path, uid, gid)
    os.chmod(path, mode)
    return f"{stat.filemode(stat.S_IFDIR | mode)} {pwd.getpwuid(uid).pw_name} {path}"


def prepare(settings_path: Path) -> list[str]:
    """Apply the modes to the folders named in the course settings; return what was set."""
    if os.geteuid() != 0:
        raise SetupError("run as root (it changes owners of other accounts' folders)")
    try:
        settings = tomllib.loads(settings_path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SetupError(f"cannot read settings {settings_path}: {error}") from None
    course, people = settings.get("course", {}), settings.get("people", {})
    for key in ("id", "directory", "exchange", "grader_user"):
        if not course.get(key):
            raise SetupError(f"{settings_path}: [course] {key} is missing")
    grader = _account(course["grader_user"], "grader_user")
    course_dir, exchange = Path(course["directory"]), Path(course["exchange"])
    if not course_dir.is_dir() or course_dir.is_symlink():
        raise SetupError(f"course folder {course_dir} does not exist (run grader release first)")

    done = []
    _own_tree(course_dir, grader.pw_uid, grader.pw_gid)
    done.append(_folder(course_dir, 0o700, grader.pw_uid, grader.pw_gid))
    default_sources = [REPO / "exercises", REPO / "course"]
    for source in map(Path, course.get("source", default_sources)):
        if source.is_dir() and not source.is_symlink():
            _own_tree(source, grader.pw_uid, grader.pw_gid)
            done.append(_folder(source, 0o700, grader.pw_uid, grader.pw_gid))
    root_gid = grp.getgrnam("root").gr_gid
    done.append(_folder(exchange, 0o1777, 0, root_gid))
    for sub, mode in EXCHANGE_MODES.items():
        done.append(_folder(exchange / course["id"] / sub, mode, grader.pw_uid, grader.pw_gid))

    template = course.get("unix_account", "{login}")
    logins = {*people.get("learners", []), *people.get("trainers", [])}
    for login in sorted(logins):
        account = _account(template.format(login=login), f"hub login {login!r}:")
        home = Path(account.pw_dir)
        if home.is_dir() and not home.is_symlink():
            os.chmod(home, 0o700)
            done.append(f"{stat.filemode(stat.S_IFDIR | 0o700)} {account.pw_name} {home}")
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("settings", type=Path, help="the course settings (course.toml)")
    args = parser.parse_args(argv)
    try:
        for line in prepare(args.settings):
            print(line)
    except SetupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
