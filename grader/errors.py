"""The one exception type that the CLI turns into a single error line."""


class GraderError(Exception):
    """A problem the trainer can fix (bad input, missing directory, unreachable service).

    The CLI prints ``error: <message>`` and exits with status 2; library callers catch it.
    """
