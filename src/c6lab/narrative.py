"""Narrative rendered from a run's results, so prose never quotes a number the run did not compute.

A notebook writes its sentences as templates (jinja2) and fills them with this run's
values; :class:`Prose` displays as Markdown in Jupyter and stays a plain string elsewhere.
Interpretation written by a person for the bundled study (what a keyword means, why a K
was chosen) is shown through :func:`for_bundled_study`, which on any other corpus shows a
single line saying so instead.

Examples
--------
>>> print(prose("{{ n | count('commentator') }} ({{ names | join_names }})", n=2, names=["A", "B"]))
two commentators (A and B)
"""

from __future__ import annotations

from collections.abc import Iterable

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


class Prose(str):
    """A string that Jupyter shows as Markdown."""

    def _repr_markdown_(self) -> str:
        return str(self)


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun, in words up to ten ("four commentators", "1 031 tokens" stays digits).

    Examples
    --------
    >>> count(1, "speaker"), count(4, "commentator"), count(12, "article"), count(0, "mention")
    ('one speaker', 'four commentators', '12 articles', 'no mentions')
    """
    n = int(n)
    word = _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}".replace(",", " ")
    return f"{word} {noun if n == 1 else (plural or noun + 's')}"


def join_names(items: Iterable, last: str = "and") -> str:
    """"A", "A and B", "A, B and C".

    Examples
    --------
    >>> join_names(["UZ"]), join_names(["AZ", "KG", "UZ"]), join_names([])
    ('UZ', 'AZ, KG and UZ', '')
    """
    items = [str(i) for i in items]
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def number(x, digits: int = 2) -> str:
    """A float rounded for prose ("0.61"), ``–`` for a missing value."""
    try:
        value = float(x)
    except (TypeError, ValueError):
        return "–"
    if value != value:  # NaN
        return "–"
    return f"{value:.{digits}f}"


def span(values: Iterable, digits: int = 0) -> str:
    """"169–609" from the smallest to the largest value (one value: that value)."""
    vals = sorted(float(v) for v in values)
    if not vals:
        return "–"
    lo, hi = number(vals[0], digits), number(vals[-1], digits)
    return lo if lo == hi else f"{lo}–{hi}"


def _environment():
    import jinja2

    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=False)
    env.filters.update(count=count, join_names=join_names, number=number, span=span)
    return env


def prose(template: str, **values) -> Prose:
    """Render a jinja2 template with this run's values (filters ``count``, ``join_names``,
    ``number``, ``span``); a missing value is an error, never an empty gap."""
    return Prose(_environment().from_string(template).render(**values).strip())


def is_bundled_study(corpus) -> bool:
    """True when ``corpus`` holds exactly the bundled study's files (same version)."""
    from .corpus import bundled_corpus_root
    from .corpus.model import corpus_version

    root = bundled_corpus_root()
    if not root.is_dir():
        return False
    return corpus.version == corpus_version(root)  # its digest, without loading its tables again


def for_bundled_study(corpus, text: str, defaults: bool = True, **values) -> Prose:
    """Interpretation written for the bundled study, or one line saying it does not apply.

    Parameters
    ----------
    corpus : Corpus
    text : str
        The interpretation (a template, see :func:`prose`).
    defaults : bool
        Whether the run uses the parameters the interpretation was written for (the
        notebook passes e.g. ``group_by == "country" and chosen_k is None``).

    The interpretation is shown only for the bundled corpus with those parameters; the
    tables above it are always this run's.
    """
    bundled = is_bundled_study(corpus)
    if defaults and bundled:
        return prose(text, **values)
    why = (f"this run's corpus (`{corpus.root.name}`, version `{corpus.version}`) is another one"
           if not bundled else "this run changed the parameters it was written for")
    return Prose(f"*The interpretation written for the bundled study is not shown: {why}. "
                 "The tables and figures are this run's.*")
