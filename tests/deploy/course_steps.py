"""What learners and the trainer do on the hub, one function per action, for the loop test.

Learners act through their own single-user servers (nbgrader's Assignments endpoints and the
Jupyter contents API, exactly what the Assignments tab calls); the trainer through the formgrader
service, and from its terminal (same Unix account, same environment) for command-line steps.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.deploy.hub_harness import VENV_BIN, Hub

ASSIGNMENT = "hub_fixture"
NOTEBOOK = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"


class Learner:
    """One learner's view of the course: their token and their server's endpoints."""

    def __init__(self, hub: Hub, name: str, unix_user: str | None = None) -> None:
        self.hub, self.name, self.unix_user = hub, name, unix_user
        self.token = hub.token_for(name)

    def get(self, path: str):
        """GET on this learner's server; raises on an HTTP error."""
        response = self.hub.request("GET", f"user/{self.name}/{path}", token=self.token)
        response.raise_for_status()
        return response.json()

    def action(self, verb: str) -> dict:
        """Press an Assignments-tab button: ``fetch``, ``submit`` or ``fetch_feedback``."""
        response = self.hub.request(
            "POST",
            f"user/{self.name}/assignments/{verb}",
            token=self.token,
            json={"course_id": self.hub.course_id, "assignment_id": ASSIGNMENT},
        )
        response.raise_for_status()
        return response.json()

    def assignments(self) -> list[dict]:
        """What the Assignments tab lists for this course."""
        listing = self.get(f"assignments?course_id={self.hub.course_id}")
        assert listing["success"], listing
        return [a for a in listing["value"] if a["assignment_id"] == ASSIGNMENT]

    def status(self) -> str:
        """``released``, ``fetched`` or ``submitted`` (the furthest the learner got)."""
        statuses = {a["status"] for a in self.assignments()}
        for status in ("submitted", "fetched", "released"):
            if status in statuses:
                return status
        return "absent"

    def submissions(self) -> list[dict]:
        """The learner's own submissions (timestamps, feedback paths), oldest first."""
        found = [a for a in self.assignments() if a["status"] == "submitted"]
        return found[0]["submissions"] if found else []

    def answer(self, answers: dict[str, str]) -> None:
        """Type answers into the solution cells (by grade id) and save, as in JupyterLab."""
        model = self.get(f"api/contents/{NOTEBOOK}?content=1")
        notebook = model["content"]
        for cell in notebook["cells"]:
            grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
            if grade_id in answers:
                cell["source"] = answers[grade_id]
        response = self.hub.request(
            "PUT",
            f"user/{self.name}/api/contents/{NOTEBOOK}",
            token=self.token,
            json={"type": "notebook", "format": "json", "content": notebook},
        )
        response.raise_for_status()

    def read_text(self, path: str) -> str:
        """A text file from the learner's home, through the contents API."""
        return self.get(f"api/contents/{path}?content=1&type=file&format=text")["content"]

    def listdir(self, path: str) -> list[str]:
        """Names in a folder of the learner's home."""
        return sorted(
            item["name"] for item in self.get(f"api/contents/{path}?content=1")["content"]
        )

    def run(self, *args: str) -> subprocess.CompletedProcess:
        """A command in this learner's terminal (their server's environment and home)."""
        env = self.hub.environ_of("JUPYTERHUB_USER", self.name)
        return self.hub.run_as(env, list(args), cwd=Path(env["HOME"]), user=self.unix_user)


class Trainer:
    """The trainer: a hub user in the ``trainers`` group, working in the formgrader service."""

    def __init__(self, hub: Hub, name: str, unix_user: str | None = None) -> None:
        self.hub, self.name, self.unix_user = hub, name, unix_user  # unix_user: grader account
        self.token = hub.token_for(name)
        self.prefix = f"services/formgrader-{hub.course_id}/formgrader/api"

    def formgrader(self, method: str, path: str, **kwargs):
        """A formgrader API call (the buttons of Manage Assignments); raises on HTTP errors."""
        response = self.hub.request(method, f"{self.prefix}/{path}", token=self.token, **kwargs)
        response.raise_for_status()
        body = response.json()
        if isinstance(body, dict) and body.get("success") is False:
            raise AssertionError(f"formgrader {path} failed: {body.get('error') or body}")
        return body

    def set_due_date(self, when_utc: str) -> None:
        """Set the assignment's deadline (ISO date-time, UTC) as Manage Assignments does."""
        self.formgrader(
            "PUT",
            f"assignment/{ASSIGNMENT}",
            json={"duedate_notimezone": when_utc, "duedate_timezone": "UTC"},
        )

    def grader(self, verb: str, *args: str) -> subprocess.CompletedProcess:
        """``python -m grader <verb> ... --course <course dir>`` in the formgrader's terminal."""
        python = str(VENV_BIN / "python")
        return self.terminal(
            python, "-m", "grader", verb, *args, "--course", str(self.hub.course_dir)
        )

    def terminal(self, *args: str) -> subprocess.CompletedProcess:
        """A command in the formgrader's terminal: grader account, course directory, its env."""
        env = self.hub.environ_of("JUPYTERHUB_SERVICE_NAME", f"formgrader-{self.hub.course_id}")
        return self.hub.run_as(env, list(args), cwd=self.hub.course_dir, user=self.unix_user)


def grader_has(verb: str) -> bool:
    """Whether this repository's ``python -m grader`` already offers ``verb``."""
    probe = subprocess.run(
        [str(VENV_BIN / "python"), "-m", "grader", verb, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return probe.returncode == 0 and "--course" in probe.stdout
