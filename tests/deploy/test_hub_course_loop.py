"""One course on a real JupyterHub (loopback only): fetch, submit, collect, grade, feedback.

Starts JupyterHub with the deployment's own config (deploy/jupyterhub/) and the npm
configurable-http-proxy on random 127.0.0.1 ports. The assignment is a synthetic fixture
(tests/deploy/fixtures/hub_fixture: 2 + 1 points), so this test does not wait for the course's
real exercises. Tests run in file order and share one hub; the last one tears it down.
"""

from __future__ import annotations

import stat
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from nbgrader.api import Gradebook

from tests.deploy.course_steps import ASSIGNMENT, Learner, Trainer, grader_has
from tests.deploy.hub_harness import PASSWORD, VENV_BIN, Hub, course_hub

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).parent / "fixtures" / ASSIGNMENT
RIGHT = {
    "q1_total_benefit_answer": "total_benefit = 4200  # ana, second try",
    "q2_households_paid_answer": "households_paid = 3  # ana, second try",
}
ANA_FIRST = {
    "q1_total_benefit_answer": "total_benefit = 4000  # ana, first try",
    "q2_households_paid_answer": "households_paid = 5  # ana, first try",
}
BORIS = {  # wrong total (0 of 2 points), right count (1 of 1)
    "q1_total_benefit_answer": "total_benefit = 3000  # boris",
    "q2_households_paid_answer": "households_paid = 3  # boris",
}


@pytest.fixture(scope="module")
def hub():
    """The trainer builds the course directory (`python -m grader release`), then the hub starts."""
    with course_hub(FIXTURE.parent, ASSIGNMENT, prefix="course-hub-", trainer="olga") as hub:
        yield hub


@pytest.fixture(scope="module")
def course(hub: Hub):
    """The trainer sets a deadline and releases to the exchange; three learners' servers start."""
    trainer = Trainer(hub, "olga")
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")
    trainer.set_due_date(tomorrow)
    trainer.formgrader("POST", f"assignment/{ASSIGNMENT}/release")
    names = ["ana", "boris", "vera"]
    hub.create_learners(names)
    hub.start_servers(names)
    return trainer, {name: Learner(hub, name) for name in names}


def test_formgrader_is_for_trainers_only(hub: Hub, course) -> None:
    trainer, learners = course
    ana = learners["ana"]
    assert trainer.formgrader("GET", "assignments")[0]["name"] == ASSIGNMENT
    denied = hub.request("GET", f"{trainer.prefix}/assignments", token=ana.token)
    assert denied.status_code == 403
    # Nor does a learner's own server carry the formgrader (its extension is switched off).
    assert hub.request("GET", "user/ana/formgrader", token=ana.token).status_code == 404


def test_learner_servers_get_limits_and_course_settings(hub: Hub, course) -> None:
    env = hub.environ_of("JUPYTERHUB_USER", "boris")
    assert env["MEM_LIMIT"] == str(512 * 1024 * 1024)
    assert float(env["CPU_LIMIT"]) == 0.5
    assert (env["COURSE_ID"], env["COURSE_ROLE"]) == (hub.course_id, "learner")
    assert env["JUPYTER_CONFIG_PATH"].split(":")[0].endswith("singleuser/learner")


def test_learners_log_in_with_the_course_password(hub: Hub, course) -> None:
    def login(password: str) -> int:
        with requests.Session() as session:
            session.get(f"{hub.url}/hub/login", timeout=30)
            form = {
                "username": "boris",
                "password": password,
                "_xsrf": session.cookies.get("_xsrf", path="/hub/"),
            }
            return session.post(
                f"{hub.url}/hub/login", data=form, allow_redirects=False, timeout=30
            ).status_code

    assert login(PASSWORD) == 302
    assert login("not-the-password") == 403


def test_learner_who_never_fetched_gets_a_clear_message(hub: Hub, course) -> None:
    vera = course[1]["vera"]
    assert vera.status() == "released"  # the Assignments tab offers her "Fetch" only
    outputs = {}
    for verb in ("submit", "fetch_feedback"):  # what she would type in a terminal
        result = vera.run(str(VENV_BIN / "nbgrader"), verb, ASSIGNMENT)
        outputs[verb] = result.stdout + result.stderr
        assert result.returncode != 0, outputs[verb]
        assert "Traceback" not in outputs[verb], outputs[verb]
        assert f"nbgrader {verb} failed" in outputs[verb], outputs[verb]
    missing = hub.root / "home" / "vera" / ASSIGNMENT
    assert f"Assignment not found at: {missing}" in outputs["submit"]


def test_learners_submit_trainer_grades_each_sees_own_feedback(hub: Hub, course) -> None:
    trainer, learners = course
    ana, boris = learners["ana"], learners["boris"]

    # Learners fetch: the notebook arrives with its data and without hidden tests.
    for learner in (ana, boris):
        learner.action("fetch")
        assert learner.status() == "fetched"
        assert learner.listdir(f"{ASSIGNMENT}/data") == ["fixture_benefits.csv"]
        assert "BEGIN HIDDEN TESTS" not in learner.read_text(f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb")

    # Ana submits a wrong answer, then a right one: both timestamps are kept.
    ana.answer(ANA_FIRST)
    assert ana.action("submit")["success"]
    ana.answer(RIGHT)
    assert ana.action("submit")["success"]
    ana_stamps = [s["timestamp"] for s in ana.submissions()]
    assert len(set(ana_stamps)) == 2
    inbound = hub.exchange / hub.course_id / "inbound"
    assert len(list(inbound.glob(f"ana+{ASSIGNMENT}+*"))) == 2

    # The deadline passes (set in whole seconds: round up past Ana's second submission); Boris
    # submits after it.
    deadline = (datetime.now(UTC) + timedelta(seconds=1)).replace(microsecond=0)
    trainer.set_due_date(deadline.strftime("%Y-%m-%dT%H:%M:%S"))
    time.sleep(max(0.0, (deadline - datetime.now(UTC)).total_seconds()) + 0.5)
    boris.answer(BORIS)
    assert boris.action("submit")["success"]

    # The trainer collects (the latest submission per learner), grades, releases feedback.
    trainer.formgrader("POST", f"assignment/{ASSIGNMENT}/collect")
    collected = hub.course_dir / "submitted" / "ana" / ASSIGNMENT / "timestamp.txt"
    assert collected.read_text().strip() == max(ana_stamps)
    if grader_has("autograde"):
        step = trainer.grader("autograde", ASSIGNMENT, "--workers", "2")
    else:  # until `python -m grader autograde` lands (issue 7)
        step = trainer.terminal(str(VENV_BIN / "nbgrader"), "autograde", ASSIGNMENT)
    assert step.returncode == 0, step.stdout + step.stderr
    feedback_by_grader = grader_has("feedback")
    if feedback_by_grader:
        step = trainer.grader("feedback", ASSIGNMENT)
        assert step.returncode == 0, step.stdout + step.stderr
    else:
        trainer.formgrader("POST", f"assignment/{ASSIGNMENT}/generate_feedback")
    for name in ("ana", "boris"):  # nbgrader's release_feedback hashes feedback with this secret
        folder = hub.course_dir / "feedback" / name / ASSIGNMENT
        assert (folder / "submission_secret.txt").is_file(), (
            f"{folder} lacks submission_secret.txt (copy it from submitted/{name}/{ASSIGNMENT}/ "
            "as nbgrader's generate_feedback does), so nbgrader's release_feedback fails"
        )
    trainer.formgrader("POST", f"assignment/{ASSIGNMENT}/release_feedback")

    # Scores and lateness, from nbgrader's gradebook (what formgrader and export read).
    with Gradebook(f"sqlite:///{hub.course_dir / 'gradebook.db'}", hub.course_id) as gradebook:
        ana_sub = gradebook.find_submission(ASSIGNMENT, "ana")
        boris_sub = gradebook.find_submission(ASSIGNMENT, "boris")
        assert (ana_sub.score, ana_sub.max_score) == (3.0, 3.0)  # the latest, right answer
        assert (boris_sub.score, boris_sub.max_score) == (1.0, 3.0)
        assert ana_sub.total_seconds_late == 0
        assert boris_sub.total_seconds_late > 0  # flagged late; policy "none" keeps the score
    listed = {s["student"]: s for s in trainer.formgrader("GET", f"submissions/{ASSIGNMENT}")}
    assert (listed["ana"]["score"], listed["boris"]["score"]) == (3.0, 1.0)

    # Feedback in the exchange is filed under per-submission secret hashes, not names, in a folder
    # that is not world-readable (what keeps learners with their own Unix accounts apart).
    released = hub.exchange / hub.course_id / "feedback"
    assert len(list(released.glob("*.html"))) == 2
    assert not released.stat().st_mode & stat.S_IROTH

    # Each learner fetches feedback for their own graded submission, and only theirs.
    for learner, mine, other in (
        (ana, "# ana, second try", "# boris"),
        (boris, "# boris", "# ana"),
    ):
        learner.action("fetch_feedback")
        folders = learner.listdir(f"{ASSIGNMENT}/feedback")
        graded_stamp = max(s["timestamp"] for s in learner.submissions())
        assert folders == [graded_stamp]
        html = learner.read_text(f"{ASSIGNMENT}/feedback/{graded_stamp}/{ASSIGNMENT}.html")
        assert mine in html and other not in html
        if feedback_by_grader:  # nbgrader's own feedback shows hidden tests (nbgrader#1363)
            assert "BEGIN HIDDEN TESTS" not in html and "expected = " not in html


def test_teardown_leaves_no_process(hub: Hub, course) -> None:
    started = len(hub.seen)
    leftovers = hub.shutdown()
    assert started >= 5  # proxy, formgrader service, three learner servers
    assert leftovers == []
    with pytest.raises(requests.ConnectionError):
        requests.get(hub.url, timeout=5)
