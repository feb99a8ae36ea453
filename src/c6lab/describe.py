"""Descriptive counts of the corpus: who says how much."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .tokenizer import Tokenizer, tokenize

# every word counts: no stopword removal, no phrase joining, no name mapping
_ALL_WORDS = Tokenizer(stopwords=None, phrases=None, variants=None)


def running_words(text: str) -> int:
    """Number of running words (all words, stopwords included) in ``text``.

    Examples
    --------
    >>> running_words("The U.S. and C5+1 format, well-known.")
    6
    """
    return len(_ALL_WORDS(text))


def word_counts(
    corpus_df: pd.DataFrame,
    by: Sequence[str] = ("country", "speaker"),
    tokenizer: Tokenizer | None = None,
) -> pd.DataFrame:
    """Segments, running words and counted tokens per group and kind (long format).

    Parameters
    ----------
    corpus_df : DataFrame
        Output of :func:`c6lab.load_corpus`.
    by : sequence of str
        Grouping columns; ``kind`` is always added, so quotes and paraphrases are
        reported separately.
    tokenizer : Tokenizer, optional
        Tokens as counted by the analyses (default :func:`c6lab.tokenize`).

    Returns
    -------
    DataFrame
        ``*by, kind, n_segments, n_words, n_tokens`` where ``n_words`` counts every
        running word and ``n_tokens`` the tokens left after stopwords and phrase
        joining (what keyword and topic analyses see).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"speaker": ["A", "A"], "kind": ["quote", "quote"],
    ...                    "text": ["The Middle Corridor matters.", "Yes."]})
    >>> word_counts(df, by=["speaker"]).values.tolist()
    [['A', 'quote', 2, 5, 3]]
    """
    tok = tokenizer if tokenizer is not None else tokenize
    keys = [*by, "kind"]
    tmp = corpus_df[keys].copy()
    tmp["n_words"] = [running_words(t) for t in corpus_df["text"]]
    tmp["n_tokens"] = [len(tok(t)) for t in corpus_df["text"]]
    out = (
        tmp.groupby(keys, sort=True)
        .agg(n_segments=("n_words", "size"), n_words=("n_words", "sum"), n_tokens=("n_tokens", "sum"))
        .reset_index()
    )
    return out
