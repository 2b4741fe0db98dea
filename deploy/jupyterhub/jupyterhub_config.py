"""JupyterHub configuration for one nbgrader course on one Linux server.

Learners and a ``trainers`` group; nbgrader's exchange in a shared directory; the formgrader
as a hub service that only trainers can open; per-user resource limits. Course-specific values
live in a small TOML file (``course.example.toml`` shows every key), found through
``$COURSE_HUB_SETTINGS`` or as ``course.toml`` next to this file, so this file needs no edits.

Run: ``jupyterhub -f deploy/jupyterhub/jupyterhub_config.py`` (see README.md, trainer section).
On The Littlest JupyterHub, copy it to ``/opt/tljh/config/jupyterhub_config.d/``.
"""

import ast
import os
import re
import sys
import tomllib
from pathlib import Path

c = get_config()  # noqa: F821  (traitlets injects get_config when JupyterHub loads this file)

HERE = Path(__file__).resolve().parent
SINGLEUSER = HERE / "singleuser"
# Config folders handed to the single-user servers through JUPYTER_CONFIG_PATH (first wins).
LEARNER_CONFIG = os.pathsep.join([str(SINGLEUSER / "learner"), str(SINGLEUSER / "common")])
GRADER_CONFIG = str(SINGLEUSER / "common")


# Interface language of a cohort: JupyterLab's own menus (its language pack) and the course's
# self-check messages. English needs no settings folder: it is JupyterLab's default.
LANGUAGES = {"en": None, "ru": "ru_RU"}


def _settings_error(path: Path, message: str) -> SystemExit:
    """One readable line instead of a traceback from deep inside JupyterHub's start-up."""
    return SystemExit(f"course settings {path}: {message}")


def _course_id_in(course_dir: Path) -> str | None:
    """``c.CourseDirectory.course_id`` as written in the course's nbgrader_config.py, if any.

    Read with ``ast``, never executed: the hub runs as root and the file belongs to the grader.
    """
    try:
        tree = ast.parse((course_dir / "nbgrader_config.py").read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return None
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and ast.unparse(node.targets[0]) == "c.CourseDirectory.course_id"
            and isinstance(node.value, ast.Constant)
        ):
            return str(node.value.value)
    return None


settings_path = Path(os.environ.get("COURSE_HUB_SETTINGS", HERE / "course.toml"))
try:
    with settings_path.open("rb") as fh:
        settings = tomllib.load(fh)
except FileNotFoundError:
    raise _settings_error(
        settings_path, "not found (copy course.example.toml to course.toml and edit it)"
    ) from None
except tomllib.TOMLDecodeError as exc:
    raise _settings_error(settings_path, f"not valid TOML ({exc})") from None

course = settings.get("course", {})
people = settings.get("people", {})
limits = settings.get("limits", {})
hub = settings.get("hub", {})
lti = settings.get("lti", {})

for key in ("id", "directory", "exchange"):
    if not course.get(key):
        raise _settings_error(settings_path, f"[course] {key} is missing")
COURSE_ID = course["id"]
if not re.fullmatch(r"[A-Za-z0-9_-]+", COURSE_ID):
    # nbgrader splits exchange folder names on '+' and globs on '*': keep ids plain.
    raise _settings_error(settings_path, f"[course] id {COURSE_ID!r}: use letters, digits, - or _")
COURSE_DIR = Path(course["directory"])
if not COURSE_DIR.is_dir():
    raise _settings_error(settings_path, f"[course] directory {COURSE_DIR} does not exist")
released_as = _course_id_in(COURSE_DIR)
if released_as and released_as != COURSE_ID:
    # The formgrader releases under the course directory's id, learners look under COURSE_ID.
    raise _settings_error(
        settings_path,
        f"[course] id {COURSE_ID!r} differs from the course id {released_as!r} in "
        f"{COURSE_DIR / 'nbgrader_config.py'}: make them equal",
    )
EXCHANGE = course["exchange"]
FORMGRADER = f"formgrader-{COURSE_ID}"
LANGUAGE = course.get("language", "en")
if LANGUAGE not in LANGUAGES:
    raise _settings_error(
        settings_path, f"[course] language {LANGUAGE!r}: choose one of {', '.join(LANGUAGES)}"
    )
# The Unix account of a hub login, when every learner has one (one server, TLJH): collect then
# refuses a submission filed under another learner's name (grader/hub_exchange.py).
UNIX_ACCOUNT = course.get("unix_account", "")
if UNIX_ACCOUNT and "{login}" not in UNIX_ACCOUNT:
    raise _settings_error(settings_path, "[course] unix_account must contain {login}")

trainers = sorted(people.get("trainers", []))
learners = sorted(people.get("learners", []))
admins = sorted(people.get("admins", []))

# --- who may log in, and in which group ------------------------------------------------------
if hub.get("authenticator") == "lti13":
    # Learners arrive from a Moodle course (LTI 1.3); their hub login is their Moodle username,
    # the identifier Moodle's grade import matches (course_lti.py explains the choice).
    sys.path.insert(0, str(HERE))
    for key in ("issuer", "client_id", "authorize_url", "jwks_endpoint"):
        if not lti.get(key):
            raise _settings_error(settings_path, f"[lti] {key} is missing (see README, Moodle)")
    c.JupyterHub.authenticator_class = "course_lti.MoodleLTI13Authenticator"
    c.LTI13Authenticator.issuer = lti["issuer"]
    c.LTI13Authenticator.client_id = {str(lti["client_id"])}
    c.LTI13Authenticator.authorize_url = lti["authorize_url"]
    c.LTI13Authenticator.jwks_endpoint = lti["jwks_endpoint"]
    if lti.get("username_claim"):
        c.MoodleLTI13Authenticator.username_claim = lti["username_claim"]
    # Anyone Moodle sends with a valid launch is a participant of the course.
    c.Authenticator.allow_all = True
elif hub.get("authenticator"):
    c.JupyterHub.authenticator_class = hub["authenticator"]
# update/append rather than assign throughout: TLJH (and other layered configs) set these too.
c.Authenticator.allowed_users.update(set(trainers) | set(learners) | set(admins))
# Learners added later through the admin page or the REST API stay allowed after a restart.
c.Authenticator.allow_existing_users = True
c.Authenticator.admin_users.update(admins)
c.JupyterHub.load_groups.update({"trainers": {"users": trainers}, "learners": {"users": learners}})
c.JupyterHub.load_roles.append(
    {
        "name": "course-trainer",
        "description": f"Trainers of {COURSE_ID}: the formgrader, and learners' servers",
        "groups": ["trainers"],
        "scopes": [
            f"access:services!service={FORMGRADER}",
            "list:services",
            "read:services",
            # Help a stuck learner: see who is active, restart a server (not open its files).
            "list:users!group=learners",
            "read:users!group=learners",
            "servers!group=learners",
        ],
    }
)

# --- learners' (and trainers' own) servers ---------------------------------------------------
if hub.get("spawner"):
    c.JupyterHub.spawner_class = hub["spawner"]
c.Spawner.default_url = "/lab"
# Extra options for every Jupyter server the hub starts, e.g. culling idle kernels:
# ["--MappingKernelManager.cull_idle_timeout=1800"].
SINGLEUSER_ARGS = [str(arg) for arg in hub.get("singleuser_args", [])]
if LANGUAGES[LANGUAGE]:
    # overrides.json there makes the language pack JupyterLab's default for this cohort
    SINGLEUSER_ARGS.append(f"--LabApp.app_settings_dir={SINGLEUSER / 'lab-settings' / LANGUAGE}")
c.Spawner.args.extend(SINGLEUSER_ARGS)
c.Spawner.environment.update(
    {
        "COURSE_ID": COURSE_ID,
        "COURSE_EXCHANGE": EXCHANGE,
        "COURSE_ROLE": "learner",
        "COURSE_LANG": LANGUAGE,  # the language of the exercises' self-check messages
        "COURSE_UNIX_ACCOUNT": UNIX_ACCOUNT,
        "JUPYTER_CONFIG_PATH": LEARNER_CONFIG,
    }
)
# Enforced by SystemdSpawner (TLJH's spawner) and KubeSpawner; LocalProcessSpawner only
# passes them on as MEM_LIMIT / CPU_LIMIT environment variables.
c.Spawner.mem_limit = limits.get("memory", "1G")
c.Spawner.cpu_limit = float(limits.get("cpu", 1.0))
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 120
c.JupyterHub.concurrent_spawn_limit = int(limits.get("concurrent_spawns", 20))
c.JupyterHub.active_server_limit = int(limits.get("active_servers", 0))

# --- the formgrader: one shared Jupyter server on the course directory -----------------------
# It runs as the course's grader account (course directory readable by it alone, so learners
# never see solutions or hidden tests) and trainers reach it through the hub's login.
bin_dir = Path(hub.get("singleuser_bin_dir") or Path(sys.executable).parent)
service = {
    "name": FORMGRADER,
    "display": True,
    "oauth_no_confirm": True,
    "url": f"http://127.0.0.1:{int(course.get('formgrader_port', 9999))}",
    "command": [str(bin_dir / "jupyterhub-singleuser"), *SINGLEUSER_ARGS],
    "cwd": str(COURSE_DIR),
    "environment": {
        "COURSE_ID": COURSE_ID,
        "COURSE_EXCHANGE": EXCHANGE,
        "COURSE_DIR": str(COURSE_DIR),
        "COURSE_ROLE": "grader",
        "COURSE_LATE_PENALTY": course.get("late_penalty", "none"),
        "COURSE_LANG": LANGUAGE,
        "COURSE_UNIX_ACCOUNT": UNIX_ACCOUNT,
        "JUPYTER_CONFIG_PATH": GRADER_CONFIG,
        "JUPYTERHUB_DEFAULT_URL": "/formgrader",
        # nbgrader runs `alembic` by name; `python -m grader` must be the course environment's.
        "PATH": os.pathsep.join([str(bin_dir), os.environ.get("PATH", "/usr/bin:/bin")]),
    },
}
if course.get("grader_user") and os.geteuid() == 0:
    service["user"] = course["grader_user"]  # JupyterHub then sets HOME from that account
elif os.environ.get("HOME"):
    # Without an account to switch to, the formgrader runs as the hub's user: give it that home
    # explicitly (services get no HOME otherwise, and Jupyter falls back on the passwd entry).
    service["environment"]["HOME"] = os.environ["HOME"]
c.JupyterHub.services.append(service)
