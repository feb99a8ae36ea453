"""Tidy views of the corpus: one row per token, and concordances.

Both take the DataFrame from :func:`c6lab.load_corpus` and carry its segment columns
(document variables) along, quanteda-style, so results can be grouped by speaker,
country, outlet or kind without joins.
"""

from __future__ import annotations

import fnmatch
from array import array

import numpy as np
import pandas as pd

from .lexicons import Lexicons, resolve

# columns of the corpus table carried on to each token / concordance line
DOCVARS = ("article_id", "segment_id", "outlet", "kind", "speaker_id", "speaker", "country")


def _docvars(corpus_df: pd.DataFrame) -> list[str]:
    return [c for c in DOCVARS if c in corpus_df.columns]


def tokens(corpus_df: pd.DataFrame, lexicons: Lexicons | None = None) -> pd.DataFrame:
    """Return one row per token, with the segment's document variables.

    Parameters
    ----------
    corpus_df : DataFrame
        Output of :func:`c6lab.load_corpus` (needs ``text`` and ``segment_id``).
    lexicons : Lexicons, optional
        The corpus's word lists (``corpus.lexicons``); default the package's lists.
        Tokens as :func:`c6lab.tokenize` makes them (stopwords removed, phrases joined).

    Returns
    -------
    DataFrame
        The document variables (``article_id, segment_id, outlet, kind, speaker_id,
        speaker, country`` where present), ``position`` (0-based index of the token in
        its segment) and ``token``. The document variables and ``token`` are categorical
        (categories in sorted order, only those that occur): a table of millions of
        tokens holds a small integer per row and column, not a string.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"segment_id": ["s1"], "text": ["The U.S. and China."]})
    >>> tokens(df)[["segment_id", "position", "token"]].values.tolist()
    [['s1', 0, 'united_states'], ['s1', 1, 'china']]
    """
    tok = resolve(lexicons).tokenizer
    cols = _docvars(corpus_df)
    vocab: dict[str, int] = {}
    ids = array("i")  # a machine integer per token: no Python object, no row tuple
    lengths = np.zeros(len(corpus_df), dtype=np.int64)
    for i, toks in enumerate(tok.pipe(corpus_df["text"])):
        lengths[i] = len(toks)
        ids.extend([vocab.setdefault(t, len(vocab)) for t in toks])
    # the row of corpus_df of each token
    segment = np.repeat(np.arange(len(corpus_df), dtype=np.int32 if len(corpus_df) < 2**31 else np.int64), lengths)
    first = np.cumsum(lengths) - lengths
    out = {c: _categorical_take(corpus_df[c], segment) for c in cols}
    position = np.arange(len(ids), dtype=np.int64)
    position -= np.repeat(first, lengths)
    out["position"] = position
    words = np.array(list(vocab), dtype=object)
    order = np.argsort(words, kind="stable")
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.arange(len(order))
    codes = rank[np.frombuffer(ids, dtype=np.int32)] if len(ids) else np.zeros(0, dtype=np.int32)
    out["token"] = pd.Categorical.from_codes(codes, categories=pd.Index(words[order].tolist(), dtype=str))
    return pd.DataFrame(out, columns=[*cols, "position", "token"])


def _categorical_take(column: pd.Series, rows: np.ndarray) -> pd.Categorical:
    """``column`` at ``rows`` as a categorical of the values that occur there (sorted)."""
    cat = column.array if isinstance(column.dtype, pd.CategoricalDtype) else pd.Categorical(column)
    taken = pd.Categorical.from_codes(np.asarray(cat.codes)[rows], dtype=cat.dtype)
    return taken.remove_unused_categories()


def kwic(
    corpus_df: pd.DataFrame,
    pattern: str,
    window: int = 5,
    lexicons: Lexicons | None = None,
) -> pd.DataFrame:
    """Keyword-in-context concordance.

    The pattern is tokenised like the text, so "United States", "U.S." and "US" all
    find ``united_states`` and "Middle Corridor" finds the phrase ``middle_corridor``.
    A pattern with ``*`` or ``?`` is a glob over single tokens (``"russia*"``).
    Context is the normalised original text, stopwords included, ``window`` words on
    each side.

    Parameters
    ----------
    corpus_df : DataFrame
        Output of :func:`c6lab.load_corpus`.
    pattern : str
    window : int
        Words of context on each side.
    lexicons : Lexicons, optional
        The corpus's word lists (its variants and phrases); default the package's lists.

    Returns
    -------
    DataFrame
        ``doc`` (segment id), the other document variables, ``left, keyword, right``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"segment_id": ["s1"], "speaker": ["X"],
    ...                    "text": ["Ties with the U.S. are growing fast."]})
    >>> kwic(df, "United States", window=2)[["left", "keyword", "right"]].values.tolist()
    [['with the', 'U.S.', 'are growing']]
    """
    if window < 0:
        raise ValueError("window must be >= 0")
    tok = resolve(lexicons).tokenizer
    glob = any(ch in pattern for ch in "*?[")
    target = [pattern.lower()] if glob else [t.token for t in tok.spans(pattern, keep_stopwords=True)[1]]
    if not target:
        raise ValueError(f"pattern {pattern!r} has no word tokens")
    n = len(target)
    cols = _docvars(corpus_df)
    out = []
    for rec in corpus_df[cols + ["text"]].itertuples(index=False):
        meta = dict(zip(cols, rec[:-1]))
        norm, toks = tok.spans(rec[-1], keep_stopwords=True)
        words = [t.token for t in toks]
        for i in range(len(toks) - n + 1):
            if glob:
                hit = fnmatch.fnmatchcase(words[i], target[0])
            else:
                hit = words[i : i + n] == target
            if not hit:
                continue
            first, last = toks[i], toks[i + n - 1]
            left_toks = toks[max(0, i - window) : i]
            right_toks = toks[i + n : i + n + window]
            left = norm[left_toks[0].start : first.start].strip() if left_toks else ""
            right = norm[last.end : right_toks[-1].end].strip() if right_toks else ""
            out.append({"doc": meta.get("segment_id", ""), **meta, "left": left,
                        "keyword": norm[first.start : last.end], "right": right})
    columns = ["doc", *cols, "left", "keyword", "right"]
    return pd.DataFrame(out, columns=columns)
