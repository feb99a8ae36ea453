"""The text of a ``-p NAME=VALUE`` value read into plain structure: a scalar, a list or a mapping.

A small syntax of its own, not YAML: no tags, anchors, aliases or dates can be written, so a
value is data whatever it says. :mod:`c6lab.parameters` then converts the structure to the
parameter's declared type.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# ASCII digits only: int() would also read other scripts' digits ("٤" is 4)
INT = re.compile(r"[+-]?\d+", re.ASCII)
FLOAT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)
BOOLS = {"true": True, "yes": True, "false": False, "no": False}
INDICATORS = "!&*%@`|>"  # YAML tags, anchors, aliases, directives, block scalars: refused
BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))


@dataclass(frozen=True)
class Scalar:
    text: str
    quoted: bool


class SyntaxProblem(ValueError):
    pass


def _check_characters(text: str) -> None:
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ord(ch) in BIDI:
            raise SyntaxProblem(f"contains the control character U+{ord(ch):04X}")


def _split(inner: str, mapping: bool = False) -> list[str]:
    """Split the inside of ``[...]`` or ``{...}`` at the commas outside quotes."""
    parts, cur, quote = [], [], None
    last = ""  # the item's last non-space character so far (no re-scan: linear in the length)
    for ch in inner:
        if quote:
            quote = None if ch == quote else quote
            cur.append(ch)
        elif ch in "'\"" and (not last or mapping and last == ":"):
            quote = ch
            cur.append(ch)
        elif ch == ",":
            parts.append("".join(cur))
            cur, last = [], ""
            continue
        elif ch in "[]{}":
            raise SyntaxProblem("nested lists or mappings are not accepted")
        else:
            cur.append(ch)
        if not ch.isspace():
            last = ch
    if quote:
        raise SyntaxProblem(f"a quotation mark {quote} is not closed")
    parts.append("".join(cur))
    if len(parts) > 1 and not parts[-1].strip():
        parts.pop()  # a trailing comma
    return parts


def _scalar(text: str) -> Scalar:
    t = text.strip()
    if not t:
        raise SyntaxProblem("an empty item")
    if t[0] in "'\"":
        if len(t) < 2 or t[-1] != t[0] or t[0] in t[1:-1]:
            raise SyntaxProblem(f"write a quoted text as {t[0]}text{t[0]} (no {t[0]} inside)")
        return Scalar(t[1:-1], True)
    if t[0] in INDICATORS:
        what = {"!": "a YAML tag", "&": "a YAML anchor", "*": "a YAML alias"}.get(t[0], f"{t[0]!r} at the start")
        raise SyntaxProblem(f"{what} is not accepted")
    if t[0] in "[]{}" or t[-1] in "[]{}":
        raise SyntaxProblem("unbalanced brackets")
    return Scalar(t, False)


def read_value(text: str) -> Scalar | list[Scalar] | dict[str, Scalar]:
    """The structure of a ``-p`` value: a scalar, a list of scalars or a mapping of them."""
    _check_characters(text)
    t = text.strip()
    if t.startswith("[") or t.startswith("{"):
        closing = "]" if t[0] == "[" else "}"
        if not t.endswith(closing):
            raise SyntaxProblem(f"{t[0]} without a closing {closing}")
        parts = _split(t[1:-1], mapping=closing == "}") if t[1:-1].strip() else []
        if closing == "]":
            return [_scalar(p) for p in parts]
        out: dict[str, Scalar] = {}
        for p in parts:
            key, sep, value = _partition_key(p)
            if not sep:
                raise SyntaxProblem(f"write a mapping as {{key: value, ...}}; {p.strip()!r} has no ':'")
            k = _scalar(key).text
            if k in out:
                raise SyntaxProblem(f"the key {k!r} is given twice")
            out[k] = _scalar(value)
        return out
    return _scalar(t) if t else Scalar("", False)


def _partition_key(item: str) -> tuple[str, str, str]:
    s = item.strip()
    if s[:1] in "'\"":
        end = s.find(s[0], 1)
        if end > 0:
            rest = s[end + 1:].lstrip()
            if rest.startswith(":"):
                return s[:end + 1], ":", rest[1:]
    return s.partition(":")
