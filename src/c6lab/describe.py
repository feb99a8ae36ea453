"""Descriptive counts of the corpus: who says how much."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

from .tokenizer import Tokenizer

if TYPE_CHECKING:  # only an annotation: the counts module loads scipy.sparse
    from .counts import DocumentTermMatrix


@lru_cache(maxsize=1)
def _all_words() -> Tokenizer:
    # every word counts: no stopword removal, no phrase joining, no name mapping, so no
    # word list matters here
    return Tokenizer(stopwords=False, phrases=False, variants=False)


def running_words(text: str) -> int:
    """Number of running words (all words, stopwords included) in ``text``.

    Examples
    --------
    >>> running_words("The U.S. and C5+1 format, well-known.")
    6
    """
    return len(_all_words()(text))


def word_counts(counts: DocumentTermMatrix, group_by: str | Sequence[str] = ("country", "speaker"),
                ) -> pd.DataFrame:
    """Segments, running words and counted tokens per group and kind (long format).

    Parameters
    ----------
    counts : DocumentTermMatrix
        :func:`c6lab.dfm` of the segments to describe (one document per segment).
    group_by : str or sequence of str
        Grouping document variables; ``kind`` is always added, so quotes and paraphrases
        are reported separately.

    Returns
    -------
    DataFrame
        ``*group_by, kind, n_segments, n_words, n_tokens`` where ``n_words`` counts every
        running word and ``n_tokens`` the tokens of the matrix (after stopwords and
        phrase joining: what keyword and topic analyses see).

    Examples
    --------
    >>> import c6lab
    >>> df = pd.DataFrame({"speaker": ["A", "A"], "kind": ["quote", "quote"],
    ...                    "text": ["The Middle Corridor matters.", "Yes."]})
    >>> word_counts(c6lab.dfm(df), group_by=["speaker"]).values.tolist()
    [['A', 'quote', 2, 5, 3]]
    """
    keys = [group_by] if isinstance(group_by, str) else list(group_by)
    keys = [*keys, "kind"]
    tmp = counts.docvars[keys].copy()
    tmp["n_words"] = list(map(len, _all_words().pipe(counts.docvars["text"])))  # running_words, batched
    tmp["n_tokens"] = counts.n_tokens
    return (
        tmp.groupby(keys, sort=True)
        .agg(n_segments=("n_words", "size"), n_words=("n_words", "sum"), n_tokens=("n_tokens", "sum"))
        .reset_index()
    )
