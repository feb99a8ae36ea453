"""Errors raised when input data is malformed."""

from __future__ import annotations

import re
from dataclasses import dataclass

# what could break a message into lines or reorder it on a terminal: control characters,
# line and paragraph separators, bidirectional overrides, byte-order marks
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape(text: str) -> str:
    """``text`` with control characters, line separators and bidi controls written as escapes.

    A file name, field or value printed through it stays on one line, so no output line
    can be forged (e.g. a raw file named ``"x\\ncorpus OK"``).

    Examples
    --------
    >>> print(escape("raw/x.txt\\ncorpus OK"))
    raw/x.txt\\ncorpus OK
    >>> escape("nul\\x00 rlo\\u202e")
    'nul\\\\x00 rlo\\\\u202e'
    """
    return _UNSAFE.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                                            else f"\\u{ord(m.group()):04x}"), text)


@dataclass(frozen=True)
class Problem:
    """One problem in one place: file, row (1-based line number), field.

    Printed (``str``) on one line, whatever the file name, field or message hold: see
    :func:`escape`.
    """

    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = escape(str(self.file))
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field '{escape(self.field)}'"
        return f"{where}: {escape(self.message)}"


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
