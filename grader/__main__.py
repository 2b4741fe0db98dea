"""Entry point for ``python -m grader``."""

import sys

from grader.cli import run

if __name__ == "__main__":
    sys.exit(run())
