"""A real JupyterHub on 127.0.0.1 for the deployment tests: start it, talk to it, tear it down.

The hub loads ``deploy/jupyterhub/jupyterhub_config.py`` unchanged, with course settings written
for a temporary directory; the test layer adds only what a test needs: loopback ports, the npm
configurable-http-proxy, a shared-password login, SimpleLocalProcessSpawner (every server runs
as the current Unix user, like Kubernetes pods that all run as ``jovyan``) and an admin token.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests
from traitlets.config.loader import PyFileConfigLoader

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy" / "jupyterhub"
CHP = REPO / "node_modules" / ".bin" / "configurable-http-proxy"
VENV_BIN = Path(sys.executable).parent
PASSWORD = "loopback-test-password"


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout: float, what: str, interval: float = 0.3):
    """Poll ``predicate`` until it returns something truthy; fail with ``what`` on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


@dataclass
class Hub:
    """A running hub and the paths of its course."""

    root: Path
    course_id: str
    course_dir: Path
    exchange: Path
    url: str
    admin_token: str
    process: subprocess.Popen
    log_path: Path
    seen: dict[int, psutil.Process] = field(default_factory=dict)

    # --- HTTP ----------------------------------------------------------------------------------
    def request(self, method: str, path: str, token: str | None = None, **kwargs):
        """A request to ``<hub url>/<path>`` authorised by ``token`` (the admin's by default)."""
        headers = {"Authorization": f"token {token or self.admin_token}"}
        return requests.request(
            method, f"{self.url}/{path.lstrip('/')}", headers=headers, timeout=120, **kwargs
        )

    def api(self, method: str, path: str, **kwargs):
        """The hub's REST API (``/hub/api/...``); raises on an HTTP error."""
        response = self.request(method, f"hub/api/{path.lstrip('/')}", **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def create_learners(self, names: list[str]) -> None:
        """Create hub users and put them in the ``learners`` group, as a trainer's script would."""
        self.api("POST", "users", json={"usernames": names})
        self.api("POST", "groups/learners/users", json={"users": names})

    def token_for(self, name: str) -> str:
        """A fresh API token of user ``name``, with the user's own permissions."""
        return self.api("POST", f"users/{name}/tokens", json={"note": "loopback test"})["token"]

    def start_servers(self, names: list[str]) -> None:
        """Start these users' servers through the REST API (concurrently) and wait for them."""
        for name in names:
            self.request("POST", f"hub/api/users/{name}/server").raise_for_status()
        for name in names:
            self.wait_ready(name)

    def wait_ready(self, name: str) -> None:
        """Wait until ``name``'s default server answers through the proxy."""
        wait_for(
            lambda: self.api("GET", f"users/{name}")["servers"].get("", {}).get("ready"),
            timeout=150,
            what=f"{name}'s server",
        )
        self.remember_processes()

    # --- processes -----------------------------------------------------------------------------
    def remember_processes(self) -> None:
        """Note every process the hub has started so far (servers, proxy, formgrader)."""
        try:
            for proc in psutil.Process(self.process.pid).children(recursive=True):
                self.seen.setdefault(proc.pid, proc)
        except psutil.NoSuchProcess:
            pass

    def environ_of(self, variable: str, value: str) -> dict[str, str]:
        """The environment of the hub-started process whose ``variable`` equals ``value``."""
        self.remember_processes()
        for proc in self.seen.values():
            try:
                env = proc.environ()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            if env.get(variable) == value and "jupyterhub-singleuser" in " ".join(proc.cmdline()):
                return env
        raise LookupError(f"no hub-started server with {variable}={value}")

    def run_as(
        self, env: dict[str, str], args: list[str], cwd: Path, user: str | None = None
    ) -> subprocess.CompletedProcess:
        """Run a command the way that server's owner would from its terminal.

        ``user``: the Unix account to run as (real-account hubs); by default this test's own.
        """
        return subprocess.run(
            args,
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
            user=user,
            group=None if user is None else pwd.getpwnam(user).pw_gid,
            extra_groups=None if user is None else [],
        )

    def shutdown(self) -> list[str]:
        """Stop the hub (it stops servers, services and the proxy); return what is left alive."""
        self.remember_processes()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
        _, alive = psutil.wait_procs(list(self.seen.values()), timeout=20)
        alive = {proc.pid: proc for proc in alive}
        alive.update(self._processes_using_root())  # e.g. grading workers started from a terminal
        leftovers = []
        for proc in alive.values():
            try:
                leftovers.append(f"{proc.pid} {' '.join(proc.cmdline())[:120]}")
                proc.kill()
            except psutil.NoSuchProcess:
                pass
        return leftovers

    def _processes_using_root(self) -> dict[int, psutil.Process]:
        """Processes other than this one whose command line or folder lies under ``root``."""
        root, found = str(self.root), {}
        for proc in psutil.process_iter(["pid", "cmdline", "cwd"]):
            if proc.pid == os.getpid():
                continue
            cmdline = " ".join(proc.info["cmdline"] or [])
            if root in cmdline or (proc.info["cwd"] or "").startswith(root):
                found[proc.pid] = proc
        return found


def write_settings(
    root: Path,
    *,
    course_id: str,
    trainer: str,
    course: dict | None = None,
    people: dict | None = None,
    hub: dict | None = None,
    extra: str = "",
) -> Path:
    """Course settings (the file a trainer copies from course.example.toml) for ``root``.

    ``course``, ``people`` and ``hub`` override keys of those sections; ``extra`` is appended
    (e.g. an ``[lti]`` section).
    """
    sections = {
        "course": {
            "id": course_id,
            "directory": str(root / "course"),
            "exchange": str(root / "exchange"),
            "formgrader_port": free_port(),
            **(course or {}),
        },
        "people": {"trainers": [trainer], "learners": [], **(people or {})},
        "limits": {"memory": "512M", "cpu": 0.5},
        "hub": {
            "authenticator": "shared-password",
            "spawner": "simple",
            # Jupyter refuses to run as root without it (CI runs tests as root).
            "singleuser_args": ["--allow-root"] if os.geteuid() == 0 else [],
            **(hub or {}),
        },
    }
    lines = []
    for name, values in sections.items():
        lines.append(f"[{name}]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in values.items()]
    settings = root / "course.toml"
    settings.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return settings


def write_test_config(root: Path, *, admin_token: str, public_port: int) -> Path:
    """The hub config the test runs: the deployment's config plus loopback-only test wiring."""
    config = root / "jupyterhub_test_config.py"
    lines = [
        "c = get_config()  # noqa: F821",
        f"load_subconfig({str(DEPLOY / 'jupyterhub_config.py')!r})  # noqa: F821",
        f"c.JupyterHub.bind_url = 'http://127.0.0.1:{public_port}'",
        f"c.JupyterHub.hub_bind_url = 'http://127.0.0.1:{free_port()}'",
        f"c.ConfigurableHTTPProxy.command = [{str(CHP)!r}]",
        f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{free_port()}'",
        f"c.JupyterHub.db_url = 'sqlite:///{root / 'jupyterhub.sqlite'}'",
        f"c.JupyterHub.cookie_secret_file = {str(root / 'cookie_secret')!r}",
        f"c.SharedPasswordAuthenticator.user_password = {PASSWORD!r}",
        f"c.SimpleLocalProcessSpawner.home_dir_template = {str(root / 'home' / '{username}')!r}",
        f"c.JupyterHub.services.append({{'name': 'test-admin', 'api_token': {admin_token!r}}})",
        "c.JupyterHub.load_roles.append({'name': 'test-admin', 'services': ['test-admin'],",
        "    'scopes': ['admin:users', 'admin:servers', 'admin:groups', 'tokens',",
        "               'access:servers', 'access:services', 'list:services', 'read:services']})",
        "",
    ]
    config.write_text("\n".join(lines), encoding="utf-8")
    return config


def start_hub(root: Path, *, course_id: str, trainer: str, prepare=None, **settings_args) -> Hub:
    """Start JupyterHub for the course directory ``root/course`` and wait for its API.

    ``settings_args`` go to :func:`write_settings`; ``prepare(settings_path)`` runs before the
    hub starts (e.g. the deployment's folder set-up for real accounts).
    """
    if not CHP.exists():
        raise FileNotFoundError(f"{CHP} is missing: run `npm ci` (package.json lists it)")
    exchange = root / "exchange"
    exchange.mkdir()
    (root / "hub-home").mkdir()
    exchange.chmod(0o1777)  # as nbgrader's docs ask: every learner creates folders in it
    admin_token = secrets.token_hex(16)
    public_port = free_port()
    settings = write_settings(root, course_id=course_id, trainer=trainer, **settings_args)
    if prepare is not None:
        prepare(settings)
    config = write_test_config(root, admin_token=admin_token, public_port=public_port)
    env = {
        **os.environ,
        "COURSE_HUB_SETTINGS": str(settings),
        "HOME": str(root / "hub-home"),  # the formgrader's runtime files stay in the temp dir
        "PATH": os.pathsep.join([str(VENV_BIN), os.environ.get("PATH", "")]),
    }
    log_path = root / "jupyterhub.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(VENV_BIN / "jupyterhub"), "-f", str(config)],
            cwd=root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    hub = Hub(
        root=root,
        course_id=course_id,
        course_dir=root / "course",
        exchange=exchange,
        url=f"http://127.0.0.1:{public_port}",
        admin_token=admin_token,
        process=process,
        log_path=log_path,
    )

    def api_up() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"jupyterhub exited early:\n{log_path.read_text()[-3000:]}")
        try:
            return hub.request("GET", "hub/api/").status_code == 200
        except requests.ConnectionError:
            return False

    try:
        wait_for(api_up, timeout=90, what="the hub's REST API")
    except BaseException:
        hub.shutdown()  # never leave a half-started hub (or its proxy) behind
        raise
    hub.remember_processes()
    return hub


def release_fixture(fixtures: Path, assignment: str, course_dir: Path) -> str:
    """Build the course directory with the trainers' pipeline; return the course id it uses."""
    done = subprocess.run(
        [
            str(VENV_BIN / "python"),
            "-m",
            "grader",
            "release",
            assignment,
            "--course",
            str(course_dir),
            "--exercises",
            str(fixtures),
            "--datasets",
            str(fixtures / assignment / "data"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "PATH": os.pathsep.join([str(VENV_BIN), os.environ.get("PATH", "")])},
    )
    if done.returncode != 0:
        raise RuntimeError(f"grader release failed:\n{done.stdout}{done.stderr}")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config()
    return config.CourseDirectory.course_id


@contextmanager
def course_hub(
    fixtures: Path,
    assignment: str,
    *,
    prefix: str,
    before_release: Callable[[Path], dict] | None = None,
    **start_args,
) -> Iterator[Hub]:
    """A hub on a fresh course folder holding ``assignment``; everything removed afterwards.

    ``before_release(root)`` may prepare the temporary folder and return more ``start_hub``
    arguments (settings that name paths under ``root``).
    """
    root = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        if before_release is not None:
            start_args.update(before_release(root))
        course_id = release_fixture(fixtures, assignment, root / "course")
        hub = start_hub(root, course_id=course_id, **start_args)
        try:
            yield hub
        finally:
            hub.shutdown()
    finally:
        shutil.rmtree(root, ignore_errors=True)
