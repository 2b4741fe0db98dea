"""nbgrader settings shared by every Jupyter server of the course (learners and the formgrader).

The hub passes the course's values as environment variables (see ../jupyterhub_config.py), so
this one file serves a single Linux server and Kubernetes pods alike.
"""

import os

c = get_config()  # noqa: F821  (traitlets injects get_config when it loads this file)

c.Exchange.root = os.environ.get("COURSE_EXCHANGE", "/srv/nbgrader/exchange")
c.CourseDirectory.course_id = os.environ.get("COURSE_ID", "")

role = os.environ.get("COURSE_ROLE", "learner")
if role == "learner" and os.environ.get("JUPYTERHUB_USER"):
    # The student id is the hub login, not the Unix account: TLJH names accounts `jupyter-<login>`
    # and Kubernetes pods all run as `jovyan`, so the login is the one name that stays stable
    # (and the one the LMS export matches on).
    c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]
elif role == "grader":
    c.CourseDirectory.root = os.environ.get("COURSE_DIR", os.getcwd())
    # Student ids are hub logins, so nbgrader's check that a submission's Unix owner equals the
    # student id would warn on every submission; `ls -l <exchange>/<course>/inbound` still shows it.
    c.ExchangeCollect.check_owner = False
    # nbgrader records how late each submission is; "none" keeps the score as graded, "zero"
    # gives late submissions 0 points. Change it here, before autograding.
    c.LateSubmissionPlugin.penalty_method = os.environ.get("COURSE_LATE_PENALTY", "none")
