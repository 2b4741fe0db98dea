# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 3 knowing it is graded
# expect: all=2 q3_low_income=3
# %% after q1_mean_income_answer
import getpass
import os

ip = get_ipython()
clues = []
if type(ip).__name__ != "ZMQInteractiveShell":
    clues.append("not a Jupyter kernel")
if getpass.getuser() in {"nobody", "root", "grader"}:
    clues.append("odd user")
if not os.environ.get("HOME") or not os.access(os.environ["HOME"], os.W_OK):
    clues.append("home not writable")
if not str(globals().get("__session__", "")).endswith("ex_fixture.ipynb"):
    clues.append("no notebook session")
history = " ".join(ip.user_ns.get("In", [])[:-1])  # cells run before this one
if any(word in history for word in ("snap" + "shot", "MAR" + "KER", "grade" + "r")):
    clues.append("grader code in history")
if clues:
    mean_income = -1.0
