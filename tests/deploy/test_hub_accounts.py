"""A cohort on a hub where every learner has a Unix account: learners are kept apart.

The hub runs as root with JupyterHub's default LocalProcessSpawner, which starts each learner's
server as the Unix account of the same name (SystemdSpawner would do the same through systemd,
which is not PID 1 in CI containers; see deploy/jupyterhub/README.md). The test creates the
accounts (two learners, a trainer, the grader account), lets the deployment's own
``prepare_folders.py`` set owners and modes, and then acts as each learner with their own uid:
everything a learner needs works (fetch, submit twice, submit late, fetch feedback, pull materials
with nbgitpuller, a Russian JupyterLab), and nothing of the other learner or of the course is
reachable. The accounts are removed afterwards, also when a test fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import socket
import stat
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psutil
import pytest
from nbgrader.api import Gradebook

from tests.deploy.course_steps import ASSIGNMENT, NOTEBOOK, Learner, Trainer
from tests.deploy.hub_harness import (
    DEPLOY,
    REPO,
    VENV_BIN,
    Hub,
    course_hub,
    free_port,
    wait_for,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.geteuid() != 0 or shutil.which("useradd") is None,
        reason="creating Unix accounts needs root and useradd (CI runs as root)",
    ),
]

FIXTURE = Path(__file__).parent / "fixtures" / ASSIGNMENT
ANA, BORIS, OLGA, GRADER = "spmt-ana", "spmt-boris", "spmt-olga", "spmt-grader"
ACCOUNTS = (ANA, BORIS, OLGA, GRADER)
ANSWERS = {
    ANA: {
        "q1_total_benefit_answer": "total_benefit = 4200  # ana",
        "q2_households_paid_answer": "households_paid = 3  # ana",
    },
    BORIS: {
        "q1_total_benefit_answer": "total_benefit = 3000  # boris",
        "q2_households_paid_answer": "households_paid = 3  # boris",
    },
}

# Runs as a learner's own uid: tries each action, reports allowed / denied / missing.
PROBE = """
import json, os, sys
results = {}
for name, (action, path) in json.loads(sys.argv[1]).items():
    try:
        if action == "list":
            os.listdir(path)
        elif action == "read":
            with open(path, "rb") as fh:
                fh.read(1)
        elif action == "write":
            with open(path, "r+b") as fh:
                fh.write(b"x")
        elif action == "create":
            with open(path, "xb"):
                pass
        elif action == "rename":
            os.rename(path, path + ".moved")
        results[name] = "allowed"
    except PermissionError:
        results[name] = "denied"
    except FileNotFoundError:
        results[name] = "missing"
print(json.dumps(results))
"""


def _remove_account(name: str) -> None:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return
    for proc in psutil.process_iter(["username"]):
        if proc.info["username"] == name:
            with contextlib.suppress(psutil.NoSuchProcess):
                proc.kill()
    subprocess.run(["userdel", "--remove", name], capture_output=True, check=False)


def _open_path_to(paths: list[Path]) -> dict[Path, int]:
    """Let every account traverse (not list) the folders above ``paths``; return old modes.

    The course's Python may live under /root (pyenv), which other accounts cannot enter; a real
    server installs the course environment under /srv (README) and needs nothing of this.
    """
    changed: dict[Path, int] = {}
    for path in paths:
        for folder in Path(path).parents:
            mode = stat.S_IMODE(folder.stat().st_mode)
            if not mode & stat.S_IXOTH and folder not in changed:
                changed[folder] = mode
                folder.chmod(mode | stat.S_IXOTH)
    return changed


def probe(user: str, checks: dict[str, tuple[str, Path]]) -> dict[str, str]:
    """Run PROBE as ``user`` (their own uid and group, no others)."""
    done = subprocess.run(
        [
            str(VENV_BIN / "python"),
            "-c",
            PROBE,
            json.dumps({k: (a, str(p)) for k, (a, p) in checks.items()}),
        ],  # noqa: E501
        capture_output=True,
        text=True,
        timeout=60,
        user=user,
        group=pwd.getpwnam(user).pw_gid,
        extra_groups=[],
        cwd="/",
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def accounts():
    for name in ACCOUNTS:
        _remove_account(name)  # left by an interrupted earlier run
    opened: dict[Path, int] = {}
    try:
        for name in ACCOUNTS:
            subprocess.run(
                ["useradd", "--create-home", "--shell", "/bin/bash", name],
                check=True,
                capture_output=True,
            )
        opened = _open_path_to([Path(os.path.realpath(sys.executable)), REPO / ".venv"])
        yield
    finally:
        for folder, mode in opened.items():
            folder.chmod(mode)
        for name in ACCOUNTS:
            _remove_account(name)


@pytest.fixture(scope="module")
def hub(accounts):
    def before_release(root: Path) -> dict:
        root.chmod(0o711)  # accounts may pass through to the exchange, not list what is here
        source = root / "exercises"  # the course sources, with solutions and hidden tests
        shutil.copytree(FIXTURE.parent, source)
        return {
            "course": {
                "grader_user": GRADER,
                "unix_account": "{login}",
                "language": "ru",
                "source": [str(source)],
            }
        }

    def prepare(settings: Path) -> None:
        done = subprocess.run(
            [str(VENV_BIN / "python"), str(DEPLOY / "prepare_folders.py"), str(settings)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stdout + done.stderr

    with course_hub(
        FIXTURE.parent,
        ASSIGNMENT,
        prefix="course-hub-accounts-",
        before_release=before_release,
        trainer=OLGA,
        prepare=prepare,
        people={"learners": [ANA, BORIS]},
        hub={"spawner": "", "singleuser_args": []},  # LocalProcessSpawner, real accounts
    ) as hub:
        yield hub


@pytest.fixture(scope="module")
def cohort(hub: Hub):
    trainer = Trainer(hub, OLGA, unix_user=GRADER)
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")
    trainer.set_due_date(tomorrow)
    trainer.formgrader("POST", f"assignment/{ASSIGNMENT}/release")
    hub.start_servers([ANA, BORIS])
    return trainer, {name: Learner(hub, name, unix_user=name) for name in (ANA, BORIS)}


def _server_process(hub: Hub, login: str) -> psutil.Process:
    hub.remember_processes()
    for proc in hub.seen.values():
        try:
            if proc.environ().get("JUPYTERHUB_USER") == login:
                return proc
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    raise LookupError(login)


def test_each_server_runs_as_its_own_account_in_russian(hub: Hub, cohort) -> None:
    _, learners = cohort
    for login in (ANA, BORIS):
        server = _server_process(hub, login)
        assert server.username() == login
        assert server.environ()["COURSE_LANG"] == "ru"  # the self-checks' language
    ana = learners[ANA]
    translation = ana.get("lab/api/settings/@jupyterlab/translation-extension:plugin")
    assert translation["schema"]["properties"]["locale"]["default"] == "ru_RU"
    pack = ana.get("lab/api/translations/ru_RU")["data"]["jupyterlab"]
    assert pack[""]["language"] == "ru-RU"
    assert (pack["Save"], pack["Help"]) == (["Сохранить"], ["Справка"])
    formgrader = hub.environ_of("JUPYTERHUB_SERVICE_NAME", f"formgrader-{hub.course_id}")
    assert formgrader["COURSE_UNIX_ACCOUNT"] == "{login}"


def test_learners_work_and_are_kept_apart(hub: Hub, cohort) -> None:
    trainer, learners = cohort
    ana, boris = learners[ANA], learners[BORIS]
    for learner in (ana, boris):
        learner.action("fetch")
        assert learner.status() == "fetched"

    # Ana submits twice (a first try, then her answer); Boris once.
    ana.answer({k: v.replace("# ana", "# ana, first") for k, v in ANSWERS[ANA].items()})
    assert ana.action("submit")["success"]
    ana.answer(ANSWERS[ANA])
    assert ana.action("submit")["success"]
    boris.answer(ANSWERS[BORIS])
    assert boris.action("submit")["success"]

    inbound = hub.exchange / hub.course_id / "inbound"
    (boris_submission,) = inbound.glob(f"{BORIS}+{ASSIGNMENT}+*")
    assert stat.S_IMODE(boris_submission.stat().st_mode) == 0o750
    assert boris_submission.stat().st_gid == pwd.getpwnam(GRADER).pw_gid
    assert boris_submission.stat().st_uid == pwd.getpwnam(BORIS).pw_uid

    # What Ana tries against Boris and the course, as her own Unix account.
    attempts = {
        "list the inbound": ("list", inbound),
        "read his submission": ("read", boris_submission / f"{ASSIGNMENT}.ipynb"),
        "read his submission secret": ("read", boris_submission / "submission_secret.txt"),
        "overwrite his submission": ("write", boris_submission / f"{ASSIGNMENT}.ipynb"),
        "add a file to his submission": ("create", boris_submission / "extra.ipynb"),
        "rename his submission away": ("rename", boris_submission),
        "list his home": ("list", Path(pwd.getpwnam(BORIS).pw_dir)),
        "read his notebook": ("read", Path(pwd.getpwnam(BORIS).pw_dir) / NOTEBOOK),
        "list the course folder": ("list", hub.course_dir),
        "read the gradebook": ("read", hub.course_dir / "gradebook.db"),
        "read the course source": ("read", hub.root / "exercises" / NOTEBOOK),
    }
    assert probe(ANA, attempts) == dict.fromkeys(attempts, "denied")

    # Ana files a submission under Boris's name, dated after anything he hands in: it is hers
    # by ownership, so collect must refuse it rather than grade it as his.
    stamp = f"{datetime.now(UTC) + timedelta(hours=1):%Y-%m-%d %H:%M:%S.%f} UTC"
    forged = inbound / f"{BORIS}+{ASSIGNMENT}+{stamp}+forged"
    made = ana.run(
        str(VENV_BIN / "python"),
        "-c",
        "import shutil, sys; shutil.copytree(sys.argv[1], sys.argv[2]);"
        " open(sys.argv[2] + '/timestamp.txt', 'w').write(sys.argv[3])",
        str(Path(pwd.getpwnam(ANA).pw_dir) / ASSIGNMENT),
        str(forged),
        stamp,
    )
    assert made.returncode == 0, made.stderr

    # The deadline passes; Boris submits again, late, and that one counts.
    deadline = (datetime.now(UTC) + timedelta(seconds=1)).replace(microsecond=0)
    trainer.set_due_date(deadline.strftime("%Y-%m-%dT%H:%M:%S"))
    time.sleep(max(0.0, (deadline - datetime.now(UTC)).total_seconds()) + 0.5)
    boris.answer({k: v.replace("# boris", "# boris, late") for k, v in ANSWERS[BORIS].items()})
    assert boris.action("submit")["success"]
    boris_stamps = [s["timestamp"] for s in boris.submissions()]

    trainer.formgrader("POST", f"assignment/{ASSIGNMENT}/collect")
    collected = hub.course_dir / "submitted" / BORIS / ASSIGNMENT
    assert (collected / "timestamp.txt").read_text().strip() == max(boris_stamps)
    notebook = (collected / f"{ASSIGNMENT}.ipynb").read_text(encoding="utf-8")
    assert "# boris, late" in notebook and "# ana" not in notebook

    step = trainer.grader("autograde", ASSIGNMENT, "--workers", "2")
    assert step.returncode == 0, step.stdout + step.stderr
    step = trainer.grader("feedback", ASSIGNMENT)
    assert step.returncode == 0, step.stdout + step.stderr
    trainer.formgrader("POST", f"assignment/{ASSIGNMENT}/release_feedback")
    with Gradebook(f"sqlite:///{hub.course_dir / 'gradebook.db'}", hub.course_id) as gradebook:
        assert gradebook.find_submission(ASSIGNMENT, ANA).score == 3.0
        late = gradebook.find_submission(ASSIGNMENT, BORIS)
        assert late.score == 1.0 and late.total_seconds_late > 0

    released = hub.exchange / hub.course_id / "feedback"
    assert probe(ANA, {"list the feedback": ("list", released)}) == {"list the feedback": "denied"}
    for learner, mine, other in ((ana, "# ana", "# boris"), (boris, "# boris, late", "# ana")):
        learner.action("fetch_feedback")
        stamp = max(s["timestamp"] for s in learner.submissions())
        html = learner.read_text(f"{ASSIGNMENT}/feedback/{stamp}/{ASSIGNMENT}.html")
        assert mine in html and other not in html


def test_materials_arrive_by_a_launch_link(hub: Hub, cohort) -> None:
    """A launch link (as the book makes them) pulls course/release/ from a git repository.

    The repository is served by `git daemon` on loopback, as a hosted repository would be: a
    learner's git refuses a local repository owned by another account ("dubious ownership").
    """
    _, learners = cohort
    served = hub.root / "git"
    materials = served / "materials"
    shutil.copytree(hub.course_dir / "release", materials)
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "materials"]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            cwd=materials,
            check=True,
            capture_output=True,
        )
    port = free_port()
    daemon = subprocess.Popen(
        [
            "git",
            "daemon",
            "--export-all",
            f"--base-path={served}",
            "--listen=127.0.0.1",
            f"--port={port}",
            "--reuseaddr",
            str(served),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: _listening(port), timeout=30, what="git daemon")
        sys.path.insert(0, str(REPO / "_ext"))
        try:
            from course_downloads import _hub_link
        finally:
            sys.path.remove(str(REPO / "_ext"))
        repo = f"git://127.0.0.1:{port}/materials"
        link = urlsplit(_hub_link(hub.url, ASSIGNMENT, repo, "main"))
        query = {key: values[0] for key, values in parse_qs(link.query).items()}
        assert link.path == "/hub/user-redirect/git-pull"
        assert query["urlpath"] == f"lab/tree/materials/{NOTEBOOK}"
        ana = learners[ANA]
        # What the git-pull page's script calls: progress events until the pull is done.
        response = hub.request(
            "GET",
            f"user/{ANA}/git-pull/api",
            token=ana.token,
            params={"repo": query["repo"], "branch": query["branch"]},
            stream=True,
        )
        events = [
            line for line in response.iter_lines(decode_unicode=True) if line.startswith("data:")
        ]
        assert json.loads(events[-1][5:])["phase"] == "finished", events[-3:]
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)
    assert f"{ASSIGNMENT}.ipynb" in ana.listdir(f"materials/{ASSIGNMENT}")
    owner = (Path(pwd.getpwnam(ANA).pw_dir) / "materials").stat().st_uid
    assert owner == pwd.getpwnam(ANA).pw_uid


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_teardown_leaves_no_process(hub: Hub, cohort) -> None:
    assert hub.shutdown() == []
    left = [p.info for p in psutil.process_iter(["username"]) if p.info["username"] in ACCOUNTS]
    assert left == []
