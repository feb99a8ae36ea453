"""The errors of `c6lab run` (:mod:`c6lab.runner`): one line each for the user."""


class RunError(RuntimeError):
    """A run could not start or finish; the first line of the message says why."""


class CorpusInvalid(RunError):
    """The corpus folder has problems; ``problems`` lists them (each names file, row, field)."""

    def __init__(self, message: str, problems: list):
        super().__init__(message)
        self.problems = list(problems)


class NotebookFailed(RunError):
    """A notebook raised an error; ``details`` holds the failing cell's traceback."""

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.details = details
