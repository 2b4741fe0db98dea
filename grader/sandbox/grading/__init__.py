"""What grades: which cells run, how answers leave the sandbox, how trusted tests score them.

- ``submission``: reading the submitted file; ``notebooks``: the plan, matching cells to the SOURCE;
- ``snapshot``, ``encoder``, ``decoder``: passing answers out of the sandbox as JSON data;
- ``testrunner``: the trusted process that runs the test cells;
- ``execute``: the two stages glued together for one submission.
"""
