"""Errors raised when input data is malformed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in one place: file, row (1-based line number), field."""

    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class CorpusError(ValueError):
    """The corpus (or a word list) is malformed.

    ``problems`` lists every problem found, each naming the file, the row and the field;
    the message shows all of them.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = [str(p) for p in self.problems]
        head = lines[0] if len(lines) == 1 else f"{len(lines)} problems in the corpus:\n  " + "\n  ".join(lines)
        super().__init__(head)
