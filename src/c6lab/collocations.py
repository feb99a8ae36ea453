"""Multi-word expressions worth adding to ``phrases.txt``, found with NLTK's collocation finders.

Like quanteda's ``textstat_collocations``: candidate bigrams and trigrams are counted
within sentences (never across a sentence or segment boundary) on the corpus's own
tokens, stopwords kept, and scored with NLTK's association measures. A candidate may not
begin or end with a stopword ("of the"), but may hold one inside ("belt and road").
Names already joined by ``phrases.txt`` or ``variants.csv`` are single tokens and are
therefore never proposed again.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .lexicons import Lexicons, resolve
from .tokenizer import Tokenizer

COLUMNS = ["phrase", "n_words", "count", "likelihood_ratio", "pmi"]


def _word(token: str) -> bool:
    # plain words only: no numbers, no tokens that are already joined phrases or names
    return token.isalpha()


def suggest_phrases(texts: Iterable[str], lexicons: Lexicons | None = None, *, min_count: int = 3,
                    top_n: int = 30, max_words: int = 3) -> pd.DataFrame:
    """Propose multi-word expressions, best first.

    Parameters
    ----------
    texts : iterable of str
        The texts to search (e.g. ``corpus.segments["text"]``); each is split into
        sentences with the lists' sentence splitter.
    lexicons : Lexicons, optional
        The corpus's word lists (``corpus.lexicons``): tokenizer, stopwords, phrases.
    min_count : int
        A candidate must occur at least this often.
    top_n : int
        Rows returned per length. Two-word and three-word candidates are ranked
        separately: their likelihood ratios come from tables of different size and are
        not comparable.
    max_words : {2, 3}

    Returns
    -------
    DataFrame
        ``phrase`` (words joined by spaces, as a line of ``phrases.txt``), ``n_words``,
        ``count``, ``likelihood_ratio`` (Dunning's G2 of the n-gram's contingency table,
        NLTK's ``likelihood_ratio``) and ``pmi`` (NLTK's ``pmi``, log base 2).

    Examples
    --------
    >>> texts = ["The green economy grows.", "A green economy helps.", "Green economy now."] * 2
    >>> suggest_phrases(texts, min_count=3)[["phrase", "count"]].values.tolist()
    [['green economy', 6]]
    """
    from nltk.collocations import (
        BigramAssocMeasures,
        BigramCollocationFinder,
        TrigramAssocMeasures,
        TrigramCollocationFinder,
    )

    if max_words not in (2, 3):
        raise ValueError("max_words must be 2 or 3")
    if min_count < 1:
        raise ValueError("min_count must be >= 1")
    lex = resolve(lexicons)
    tok = Tokenizer(lex, stopwords=False)
    split = lex.sentence_splitter
    docs = [tok(s) for text in texts for s in split(text)]
    stop = lex.stopwords

    def edge_bad(*words: str) -> bool:
        return (words[0] in stop or words[-1] in stop or not all(_word(w) for w in words))

    rows = []
    finders = [(BigramCollocationFinder, BigramAssocMeasures)]
    if max_words == 3:
        finders.append((TrigramCollocationFinder, TrigramAssocMeasures))
    for finder_cls, measures in finders:
        finder = finder_cls.from_documents(docs)
        finder.apply_freq_filter(min_count)
        finder.apply_ngram_filter(edge_bad)
        lr = dict(finder.score_ngrams(measures.likelihood_ratio))
        pmi = dict(finder.score_ngrams(measures.pmi))
        for gram, score in lr.items():
            rows.append({"phrase": " ".join(gram), "n_words": len(gram), "count": finder.ngram_fd[gram],
                         "likelihood_ratio": score, "pmi": pmi[gram]})
    out = pd.DataFrame(rows, columns=COLUMNS)
    out = out.sort_values(["n_words", "likelihood_ratio", "phrase"], ascending=[True, False, True], kind="stable")
    return out.groupby("n_words", sort=True).head(top_n).reset_index(drop=True)
