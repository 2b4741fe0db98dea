# SYNTHETIC adversarial submission (test fixture, not learner work).
# class: 6 reaching outside
# Asks a server on the grading machine (and the internet) for the answer.
# expect: q1_mean_income=0
# %% cell q1_mean_income_answer
import socket

mean_income = 20000.0
for host, port in (("127.0.0.1", __PORT__), ("localhost", __PORT__), ("10.0.2.2", __PORT__), ("1.1.1.1", 53)):
    try:
        with socket.create_connection((host, port), timeout=1) as conn:
            conn.sendall(b"answer please\n")
            mean_income = float(conn.recv(64).decode())
    except (OSError, ValueError):
        pass
try:
    socket.getaddrinfo("pypi.org", 443)
    mean_income = 34408.333333333336
except OSError:
    pass
