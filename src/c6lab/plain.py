"""Values that reach a notebook kernel: plain data, written as literals and nothing else.

papermill passes parameters to a kernel by writing Python source (an injected cell). That
source is only as safe as the values: :func:`as_plain` admits plain data alone, and
:func:`injected_cell` reads papermill's cell back with :func:`ast.literal_eval` (which runs
nothing) and checks that it assigns exactly those values.
"""

from __future__ import annotations

import ast
import math


def as_plain(value, name: str = "value", _depth: int = 0):
    """``value`` as plain data for a notebook, or TypeError.

    Plain data is ``None``, ``bool``, ``int``, finite ``float``, ``str``, and lists and
    text-keyed dicts of plain data (nested at most 3 deep). A tuple becomes a list and a
    NumPy number a Python one; anything else (bytes, sets, dates, objects, subclasses of
    ``str``) is refused: only plain data is written into a notebook as a literal.

    >>> as_plain(("quote", 2))
    ['quote', 2]
    >>> as_plain({"a"})
    Traceback (most recent call last):
    ...
    TypeError: value is a set, not plain data (None, true/false, a number, a text, a list or a mapping)
    """
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        if not math.isfinite(value):
            raise TypeError(f"{name} is {value}, not a finite number")
        return value
    if _depth < 3 and kind in (list, tuple):
        return [as_plain(v, name, _depth + 1) for v in value]
    if _depth < 3 and kind is dict:
        if not all(type(k) is str for k in value):
            raise TypeError(f"{name} is a mapping with keys that are not texts")
        return {k: as_plain(v, name, _depth + 1) for k, v in value.items()}
    # NumPy and other numbers: converted to the exact Python type (whose text is a literal)
    import numbers

    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return as_plain(int(value), name, _depth)
    if isinstance(value, numbers.Real) and kind.__module__ == "numpy":
        return as_plain(float(value), name, _depth)
    if kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_"):
        return bool(value)
    raise TypeError(f"{name} is a {kind.__name__}, not plain data "
                    "(None, true/false, a number, a text, a list or a mapping)")


def injected_cell(parameters: dict) -> str:
    """The cell papermill injects for ``parameters``, checked to hold only ``name = <literal>`` lines.

    papermill writes each value as Python source; whatever a value is, the cell that reaches
    the kernel must read back (by :func:`ast.literal_eval`, which runs nothing) as exactly
    the same names and values, else ValueError.

    >>> print(injected_cell({"terms": ["a'b", '"); import os; ("'], "k": 4}).strip())
    # Parameters
    terms = ["a'b", "\\"); import os; (\\""]
    k = 4
    """
    from papermill.translators import translate_parameters

    source = translate_parameters("python3", "python", parameters, "Parameters")
    try:
        tree = ast.parse(source)
        read = {}
        for node in tree.body:
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
                raise ValueError(ast.get_source_segment(source, node))
            read[node.targets[0].id] = ast.literal_eval(node.value)
    except (SyntaxError, ValueError, TypeError, MemoryError, RecursionError) as exc:
        first = (str(exc).strip().splitlines() or [""])[0]
        raise ValueError(f"the parameters would not reach the notebook as plain values ({first})") from None
    if not _same(read, parameters):
        raise ValueError("the parameters would not reach the notebook as the same values "
                       f"({', '.join(k for k in parameters if not _same(read.get(k), parameters[k]))})")
    return source


def _same(a, b) -> bool:
    """Equal and of the same types throughout (``True`` is not ``1``, ``[1]`` is not ``(1,)``)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return a == b


__all__ = ["as_plain", "injected_cell"]
