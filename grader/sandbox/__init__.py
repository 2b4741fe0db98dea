"""Sandboxed execution of learner notebooks for ``grader.worker`` (see docs/security.md).

- ``bwrap``, ``launch``, ``cgroup``: the bubblewrap sandbox, its limits, starting the kernel;
- ``kernel``: running cells in the sandboxed ipykernel with time and output limits;
- ``submission``: reading the submitted file; ``notebooks``: matching cells to the SOURCE;
- ``snapshot``, ``encoder``, ``decoder``: passing answers out of the sandbox as JSON data;
- ``testrunner``: the trusted process that runs the test cells;
- ``execute``: the two stages glued together for one submission.
"""
