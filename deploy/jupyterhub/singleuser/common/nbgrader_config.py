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
    if os.environ.get("COURSE_UNIX_ACCOUNT"):
        # Own Unix accounts: a submission is readable by its owner and the grader only.
        c.ExchangeFactory.submit = "grader.hub_exchange.PrivateSubmit"
elif role == "grader":
    c.CourseDirectory.root = os.environ.get("COURSE_DIR", os.getcwd())
    # Student ids are hub logins. Where each login has its own Unix account (one server, TLJH),
    # the owner of a submission proves who filed it: collect refuses a file that claims another
    # learner's name (grader/hub_exchange.py). Where all servers share one account (Kubernetes),
    # ownership proves nothing, and nbgrader's owner warning would fire on every submission.
    c.ExchangeCollect.check_owner = False
    account_template = os.environ.get("COURSE_UNIX_ACCOUNT", "")
    if account_template:
        c.ExchangeFactory.collect = "grader.hub_exchange.OwnerCheckedCollect"
        c.OwnerCheckedCollect.account_template = account_template
    # nbgrader records how late each submission is; "none" keeps the score as graded, "zero"
    # gives late submissions 0 points. Change it here, before autograding.
    c.LateSubmissionPlugin.penalty_method = os.environ.get("COURSE_LATE_PENALTY", "none")
