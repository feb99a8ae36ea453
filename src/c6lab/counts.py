"""The counts layer: a sparse document-term matrix with its document variables.

Like quanteda's ``dfm``: built once from the tokens of a corpus table, it carries the
segment table along (document variables), and every statistic downstream (keyness,
topic models, coherence, descriptive counts) consumes it. The matrix is a
``scipy.sparse.csr_matrix``; nothing here builds a dense document-term matrix.
"""

from __future__ import annotations

import functools
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from .lexicons import Lexicons, resolve

UNITS = ("segment", "sentence")


class DocumentTermMatrix:
    """Counts of terms (columns, alphabetical) in documents (rows), with document variables.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix of int64, shape (n_docs, n_terms)
    terms : ndarray of str
        The vocabulary, in alphabetical order.
    docvars : DataFrame
        One row per document (index 0..n_docs-1): the columns of the corpus table it was
        built from (for sentences also ``sentence_no, sentence_start, sentence_end``).

    Examples
    --------
    >>> m = DocumentTermMatrix.from_tokens([["port", "rail", "port"], ["rail"]],
    ...                                    docvars=pd.DataFrame({"country": ["AZ", "KG"]}))
    >>> m
    DocumentTermMatrix(2 documents, 2 terms, 4 tokens)
    >>> m.matrix.toarray().tolist(), m.terms.tolist()
    ([[2, 1], [0, 1]], ['port', 'rail'])
    >>> m.group("country").docvars["country"].tolist()
    ['AZ', 'KG']
    """

    def __init__(self, matrix, terms: Sequence[str], docvars: pd.DataFrame | None = None):
        self.matrix = sparse.csr_matrix(matrix, dtype=np.int64)
        self.terms = np.asarray(terms, dtype=object)
        n_docs = self.matrix.shape[0]
        self.docvars = (docvars.reset_index(drop=True) if docvars is not None
                        else pd.DataFrame(index=pd.RangeIndex(n_docs)))
        if len(self.docvars) != n_docs or len(self.terms) != self.matrix.shape[1]:
            raise ValueError(f"matrix {self.matrix.shape} does not fit {len(self.docvars)} documents "
                             f"and {len(self.terms)} terms")

    @classmethod
    def from_tokens(cls, token_lists: Iterable[Sequence[str]], docvars: pd.DataFrame | None = None,
                    ) -> DocumentTermMatrix:
        """Count already tokenised documents (one list of tokens per document)."""
        index: dict[str, int] = {}
        # machine integers, 8 bytes a token (a list of Python ints takes about 36): a large corpus's
        # tokens are held once, as column numbers, never as strings
        cols = array("q")
        indptr = array("q", [0])
        for toks in token_lists:
            cols.extend(index.setdefault(t, len(index)) for t in toks)
            indptr.append(len(cols))
        # number the terms alphabetically, as scikit-learn's vectorizers do
        terms = sorted(index)
        remap = np.empty(len(index), dtype=np.int64)
        remap[[index[t] for t in terms]] = np.arange(len(terms))
        col = remap[np.frombuffer(cols, dtype=np.int64)] if cols else np.zeros(0, dtype=np.int64)
        m = sparse.csr_matrix((np.ones(len(col), dtype=np.int64), col, np.frombuffer(indptr, dtype=np.int64)),
                              shape=(len(indptr) - 1, len(terms)))
        m.sum_duplicates()
        return cls(m, terms, docvars)

    def __repr__(self) -> str:
        return (f"DocumentTermMatrix({self.n_docs} documents, {self.n_terms} terms, "
                f"{int(self.matrix.sum())} tokens)")

    def __len__(self) -> int:
        return self.n_docs

    @property
    def n_docs(self) -> int:
        return self.matrix.shape[0]

    @property
    def n_terms(self) -> int:
        return self.matrix.shape[1]

    @property
    def n_tokens(self) -> np.ndarray:
        """Tokens per document."""
        return np.asarray(self.matrix.sum(axis=1)).ravel()

    def doc_frequency(self) -> np.ndarray:
        """Number of documents each term occurs in."""
        return np.bincount(self.matrix.indices, minlength=self.n_terms)

    def binary(self) -> sparse.csr_matrix:
        """1 where a term occurs in a document (for document co-occurrence)."""
        b = self.matrix.copy()
        b.data = np.ones_like(b.data)
        return b

    def subset(self, rows) -> DocumentTermMatrix:
        """The documents selected by a boolean mask or an index array (terms kept)."""
        rows = np.asarray(rows)
        if rows.dtype == bool:
            rows = np.flatnonzero(rows)
        return DocumentTermMatrix(self.matrix[rows], self.terms, self.docvars.iloc[rows])

    def trim(self, min_df: int | float = 1, max_df: int | float = 1.0) -> DocumentTermMatrix:
        """Drop terms by document frequency, with scikit-learn's meaning of ``min_df``/``max_df``.

        An integer is a number of documents, a float a share of them. Terms left with no
        occurrence are dropped too.
        """
        df = self.doc_frequency()
        low = min_df if isinstance(min_df, (int, np.integer)) else min_df * self.n_docs
        high = max_df if isinstance(max_df, (int, np.integer)) else max_df * self.n_docs
        keep = np.flatnonzero((df >= max(low, 1)) & (df <= high))
        return DocumentTermMatrix(self.matrix[:, keep], self.terms[keep], self.docvars)

    def columns(self, words: Iterable[str]) -> np.ndarray:
        """Column index of each word (-1 for a word not in the vocabulary)."""
        words = np.asarray(list(words), dtype=object)
        pos = np.searchsorted(self.terms, words) if len(self.terms) else np.zeros(len(words), dtype=int)
        pos = np.minimum(pos, max(len(self.terms) - 1, 0))
        hit = (len(self.terms) > 0) & (self.terms[pos] == words) if len(words) else np.zeros(0, dtype=bool)
        return np.where(hit, pos, -1)

    def indicator(self, group_by: str) -> tuple[list[str], sparse.csr_matrix]:
        """Sorted group labels and the (n_groups x n_docs) 0/1 matrix assigning documents to them.

        Documents with an empty value in ``group_by`` belong to no group.
        """
        if group_by not in self.docvars.columns:
            raise ValueError(f"no document variable {group_by!r} (have: {', '.join(self.docvars.columns)})")
        raw = self.docvars[group_by]
        labels = raw.fillna("").astype(str)
        labels = labels.where(labels.str.strip() != "", "")
        groups = sorted(set(labels) - {""})
        code = {g: i for i, g in enumerate(groups)}
        rows = np.array([code.get(v, -1) for v in labels], dtype=np.int64)
        keep = rows >= 0
        ind = sparse.csr_matrix((np.ones(int(keep.sum()), dtype=np.int64), (rows[keep], np.flatnonzero(keep))),
                                shape=(len(groups), self.n_docs))
        return groups, ind

    def group(self, group_by: str) -> DocumentTermMatrix:
        """Sum the documents of each value of ``group_by`` (a sparse product, sorted groups).

        The result's document variables are ``group_by`` and ``n_docs``.
        """
        groups, ind = self.indicator(group_by)
        docvars = pd.DataFrame({group_by: groups, "n_docs": np.asarray(ind.sum(axis=1)).ravel()})
        return DocumentTermMatrix(ind @ self.matrix, self.terms, docvars)

    def to_frame(self, docvars: Sequence[str] | None = None) -> pd.DataFrame:
        """Long (tidy) counts: one row per document and term that occurs in it.

        Columns: the document variables named in ``docvars`` (default all but ``text``),
        ``term`` and ``count``.
        """
        coo = self.matrix.tocoo()
        cols = [c for c in (docvars if docvars is not None else self.docvars.columns) if c != "text"]
        out = self.docvars.iloc[coo.row][cols].reset_index(drop=True)
        out["term"] = self.terms[coo.col]
        out["count"] = coo.data
        return out


def dfm(corpus_df: pd.DataFrame, lexicons: Lexicons | None = None, *, unit: str = "segment",
        tokenizer: Callable[[str], list[str]] | None = None, cache: str | Path | None = None) -> DocumentTermMatrix:
    """Count the tokens of a corpus table: one document per segment or per sentence.

    Parameters
    ----------
    corpus_df : DataFrame
        Rows of ``corpus.segments`` / :func:`c6lab.load_corpus` (at least ``text``),
        possibly filtered; every column becomes a document variable.
    lexicons : Lexicons, optional
        The corpus's word lists (``corpus.lexicons``): its tokenizer and sentence
        splitter are used. Default: the package's lists.
    unit : {"segment", "sentence"}
        ``"sentence"`` splits each segment with the lists' sentence splitter; the
        document variables then add ``sentence_no`` (1-based), ``sentence_start`` and
        ``sentence_end`` (offsets into the segment text), and ``text`` is the sentence.
    tokenizer : callable, optional
        ``str -> list[str]``; default ``lexicons.tokenizer``.
    cache : path, optional
        A folder where the counts are kept for the next call with the same texts, unit
        and word lists (:mod:`c6lab.counts_cache`; ``corpus.cache_folder`` is the
        corpus's own, None for a small corpus). The result is the same either way. Not
        used with a ``tokenizer`` of one's own.

    Returns
    -------
    DocumentTermMatrix
        For segments, the document variables also hold ``n_sentences``.

    Examples
    --------
    >>> df = pd.DataFrame({"segment_id": ["s1", "s2"], "country": ["AZ", "KG"],
    ...                    "text": ["The U.S. trades. Ports grow.", "Ports, ports."]})
    >>> m = dfm(df)
    >>> m.terms.tolist(), m.matrix.toarray().tolist(), m.docvars["n_sentences"].tolist()
    (['grow', 'ports', 'trades', 'united_states'], [[1, 1, 1, 1], [0, 2, 0, 0]], [2, 1])
    >>> dfm(df, unit="sentence").docvars[["segment_id", "sentence_no", "text"]].values.tolist()
    [['s1', 1, 'The U.S. trades.'], ['s1', 2, 'Ports grow.'], ['s2', 1, 'Ports, ports.']]
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    if "text" not in corpus_df.columns:
        raise ValueError("corpus_df needs a 'text' column (see c6lab.open_corpus)")
    lex = resolve(lexicons)
    texts = corpus_df["text"].tolist()
    key, kept = lookup(texts, lex, unit, cache if tokenizer is None else None)
    if kept is not None:
        return kept.matrix_of(corpus_df, texts)
    tok = tokenizer if tokenizer is not None else lex.tokenizer
    split = lex.sentence_splitter
    if tokenizer is None:  # the lists' own Tokenizer: its batch call, the same tokens faster
        tokenize = tok.pipe
    else:
        tokenize = functools.partial(map, tok)
    if unit == "segment":
        counted = Counted(unit, np.array([len(split.spans(t)) for t in texts], dtype=np.int64))
        m = DocumentTermMatrix.from_tokens(tokenize(texts), counted.docvars(corpus_df, texts))
    else:
        rows, sent_texts = [], []
        for i, text in enumerate(texts):
            for no, (a, b) in enumerate(split.spans(text), start=1):
                rows.append((i, no, a, b))
                sent_texts.append(text[a:b])
        counted = Counted(unit, *np.array(rows, dtype=np.int64).reshape(-1, 4).T)
        m = DocumentTermMatrix.from_tokens(tokenize(sent_texts), counted.docvars(corpus_df, texts, sent_texts))
    if key is not None:
        keep(cache, key, m, counted)
    return m


@dataclass
class Counted:
    """What the document variables of :func:`dfm` add to the corpus table, per document:
    ``n_sentences`` of each segment, or the segment row, number, start and end of each sentence."""

    unit: str
    per_document: np.ndarray  # n_sentences of each segment, or the row of each sentence's segment
    sentence_no: np.ndarray | None = None
    sentence_start: np.ndarray | None = None
    sentence_end: np.ndarray | None = None

    def docvars(self, corpus_df: pd.DataFrame, texts: list[str], sent_texts: list[str] | None = None) -> pd.DataFrame:
        if self.unit == "segment":
            docvars = corpus_df.reset_index(drop=True).copy()
            docvars["n_sentences"] = self.per_document.tolist()
            return docvars
        docvars = corpus_df.iloc[self.per_document].reset_index(drop=True).copy()
        docvars["sentence_no"] = self.sentence_no.tolist()
        docvars["sentence_start"] = self.sentence_start.tolist()
        docvars["sentence_end"] = self.sentence_end.tolist()
        if sent_texts is None:
            rows, starts, ends = (x.tolist() for x in (self.per_document, self.sentence_start, self.sentence_end))
            sent_texts = [texts[i][a:b] for i, a, b in zip(rows, starts, ends)]
        docvars["text"] = sent_texts
        return docvars

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays a cache file keeps (by field name)."""
        return {k: getattr(self, k) for k in _COUNTED if getattr(self, k) is not None}


_COUNTED = ("per_document", "sentence_no", "sentence_start", "sentence_end")  # Counted's arrays, in order


@dataclass
class Kept:
    """Counts read from a cache file: the matrix of a corpus table, without counting."""

    matrix: sparse.csr_matrix
    terms: list[str]
    counted: Counted

    def matrix_of(self, corpus_df: pd.DataFrame, texts: list[str]) -> DocumentTermMatrix:
        return DocumentTermMatrix(self.matrix, self.terms, self.counted.docvars(corpus_df, texts))


def lookup(texts: list[str], lex: Lexicons, unit: str, cache) -> tuple[str | None, Kept | None]:
    """The cache key of these texts (None without a cache folder) and the counts kept under it, if any."""
    if cache is None:
        return None, None
    from . import counts_cache as cc

    key = cc.counts_key(texts, unit, lex)
    arrays = cc.read_counts(Path(cache), key)
    if arrays is None:
        return key, None
    try:
        n_terms = int(arrays["shape"][1])
        matrix = sparse.csr_matrix((arrays["data"], arrays["indices"], arrays["indptr"]),
                                   shape=tuple(int(x) for x in arrays["shape"]))
        counted = Counted(unit, *(arrays.get(k) for k in _COUNTED))
        expected = len(texts) if unit == "segment" else matrix.shape[0]
        fits = len(counted.per_document) == expected and (unit == "sentence" or matrix.shape[0] == len(texts))
        if unit == "sentence":
            fits = fits and all(arrays.get(k) is not None and len(arrays[k]) == expected for k in _COUNTED) and (
                not expected or (0 <= counted.per_document.min() and counted.per_document.max() < len(texts)))
        if not fits:
            raise ValueError("the file does not fit these texts")
        return key, Kept(matrix, cc.terms_of(arrays["terms"], n_terms), counted)
    except (KeyError, ValueError, TypeError) as exc:
        import warnings

        warnings.warn(f"{cc.path_of(Path(cache), key)}: kept counts cannot be used ({exc}); counting again",
                      stacklevel=3)
        return key, None


def keep(cache, key: str, m: DocumentTermMatrix, counted: Counted) -> None:
    """Write the counts ``m`` under ``key`` (nothing when a term holds a NUL, the file's separator)."""
    from . import counts_cache as cc

    if any("\x00" in t for t in m.terms):
        return
    mat = m.matrix
    cc.write_counts(Path(cache), key, {"data": mat.data, "indices": mat.indices, "indptr": mat.indptr,
                                       "shape": np.array(mat.shape, dtype=np.int64),
                                       "terms": cc.terms_array(m.terms), **counted.arrays()})
