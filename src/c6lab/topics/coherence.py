"""Topic coherence from *document* co-occurrence: NPMI and UMass.

Both measures count documents, read from the binary form of the document-term matrix
(only the columns of the topic's top words; sparse): ``D(w)`` is the number of documents
that contain ``w``, ``D(w_i, w_j)`` the number that contain both, ``N`` the number of
documents.

* **NPMI** is gensim's ``c_npmi`` with the whole document as the window
  (``CoherenceModel(coherence="c_npmi", window_size=<longest document>)`` gives the same
  values; the test suite checks it). gensim's *default* ``c_npmi`` slides a 10-token
  window over each document and counts every window as a document. That is not "about
  the same" on paragraphs: on the study corpus (44 segments, NMF and LDA at K = 2..6,
  top 10 words) every topic's NPMI is negative with 10-token windows, 21 of the 40
  topics change sign, and the NMF K with the highest mean NPMI moves from 5 to 6. The
  window is part of the method; we use the document (two words co-occur when the same
  paragraph, or sentence, uses both).
* **UMass** (Mimno et al. 2011) is gensim's ``u_mass`` (which also counts documents)
  up to its smoothing: gensim adds ``1e-12`` to the joint *probability*, we add ``eps``
  (default 1, as Mimno et al.) to the joint *count*; with ``eps = 1e-12 * N`` the two
  agree. gensim also scores a pair whose conditioning word is absent as 0, where we skip
  the pair.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from ..counts import DocumentTermMatrix

#: epsilon added to the joint probability in NPMI (as in gensim and Röder et al. 2015)
NPMI_EPS = 1e-12
#: smoothing count added to the co-document frequency in UMass (Mimno et al. 2011 use 1)
UMASS_EPS = 1.0


def document_cooccurrence(words: Sequence[str], counts: DocumentTermMatrix):
    """``N``, ``D(w)`` per word and ``D(w_i, w_j)`` per pair, counted in documents.

    A word not in the matrix has ``D(w) = 0``. Only the words' columns are read (a
    sparse binary product).

    Examples
    --------
    >>> m = DocumentTermMatrix.from_tokens([["a", "b", "b"], ["a"], ["c"]])
    >>> n, d1, d2 = document_cooccurrence(["a", "b", "zz"], m)
    >>> n, d1.tolist(), d2.tolist()
    (3, [2, 1, 0], [[2, 1, 0], [1, 1, 0], [0, 0, 0]])
    """
    cols = counts.columns(words)
    have = np.flatnonzero(cols >= 0)
    sub = counts.matrix[:, cols[have]]
    sub.data = (sub.data > 0).astype(np.int64)
    sub.eliminate_zeros()
    d1 = np.zeros(len(words), dtype=np.int64)
    d2 = np.zeros((len(words), len(words)), dtype=np.int64)
    d1[have] = np.asarray(sub.sum(axis=0)).ravel()
    d2[np.ix_(have, have)] = (sub.T @ sub).toarray()
    return counts.n_docs, d1, d2


def npmi_coherence(topics: Sequence[Sequence[str]], counts: DocumentTermMatrix,
                   eps: float = NPMI_EPS) -> np.ndarray:
    """Mean NPMI of the top-word pairs of each topic, with *document* co-occurrence.

    P(w) = D(w) / N and P(w_i, w_j) = D(w_i, w_j) / N, where D counts the documents that
    contain the word(s) and N is the number of documents. For each pair::

        NPMI = log[(P(w_i, w_j) + eps) / (P(w_i) P(w_j))] / -log(P(w_i, w_j) + eps)

    averaged over all pairs i < j of a topic's words. This is gensim's ``c_npmi`` with
    the window set to the whole document. NPMI lies in [-1, 1]: 1 for words that always
    occur together, 0 for independence. Pairs that never co-occur score close to -1
    (exactly -1 only as ``eps`` -> 0; with the default ``eps=1e-12`` and word
    probabilities around 0.1 about -0.83). Pairs with a word absent from ``counts`` are
    undefined and skipped; a topic with no defined pair is NaN.

    Parameters
    ----------
    topics : sequence of sequence of str
        Top words of each topic.
    counts : DocumentTermMatrix
        The reference corpus (only whether a document contains a word matters).
    eps : float
        Added to the joint probability to keep the logarithm finite.

    Returns
    -------
    ndarray, one value per topic

    Examples
    --------
    >>> m = DocumentTermMatrix.from_tokens([["a", "b"], ["a", "b"], ["c"], ["c"]])
    >>> npmi_coherence([["a", "b"]], m).round(6).tolist()   # always together
    [1.0]
    """
    out = np.full(len(topics), np.nan)
    for t, words in enumerate(topics):
        n, d1, d2 = document_cooccurrence(list(words), counts)
        vals = []
        for i, j in itertools.combinations(range(len(words)), 2):
            if d1[i] == 0 or d1[j] == 0:
                continue
            p_ij = d2[i, j] / n + eps
            vals.append(np.log(p_ij / ((d1[i] / n) * (d1[j] / n))) / -np.log(p_ij))
        if vals:
            out[t] = float(np.mean(vals))
    return out


def umass_coherence(topics: Sequence[Sequence[str]], counts: DocumentTermMatrix,
                    eps: float = UMASS_EPS) -> np.ndarray:
    """Mean UMass coherence of each topic (Mimno et al. 2011), document co-occurrence.

    For the topic's words in rank order w_1, w_2, ... (best first)::

        UMass = mean over j < i of log[(D(w_i, w_j) + eps) / D(w_j)]

    where D counts documents. The conditioning word w_j is the higher-ranked one (as in
    gensim's ``u_mass``). Mimno et al. use ``eps = 1`` (the default); values are
    <= log(1 + eps / D(w_j)), higher is more coherent, and they are not comparable across
    corpora of different size. Pairs whose higher-ranked word is absent from ``counts``
    are skipped. gensim's ``u_mass`` equals this with ``eps = 1e-12 * N``.

    Examples
    --------
    >>> m = DocumentTermMatrix.from_tokens([["a", "b"], ["a", "b"], ["c"], ["c"]])
    >>> umass_coherence([["a", "b"]], m).round(6).tolist()   # log((2 + 1) / 2)
    [0.405465]
    """
    out = np.full(len(topics), np.nan)
    for t, words in enumerate(topics):
        _, d1, d2 = document_cooccurrence(list(words), counts)
        vals = [np.log((d2[i, j] + eps) / d1[j])
                for i in range(1, len(words)) for j in range(i) if d1[j] > 0]
        if vals:
            out[t] = float(np.mean(vals))
    return out
