"""c6lab: text-as-data tools for expert commentary on the C6 format.

Verbs in data-flow order, one configuration object handed down::

    corpus = c6lab.open_corpus("my_corpus")          # tables + word lists (corpus.lexicons)
    speech = corpus.select(["quote", "paraphrase"])  # segments, one row each
    counts = c6lab.dfm(speech, corpus.lexicons)      # sparse document-term matrix
    c6lab.keywords.keyness(counts, group_by="country")

Topic models (``c6lab.topics``) and tone toward the powers (``c6lab.sentiment``) take the
same objects.
"""

from .corpus import KINDS, Corpus, load_corpus, open_corpus, validate_corpus
from .describe import word_counts
from .errors import CorpusError, Problem
from .lexicons import Lexicons
from .text import normalize, sentence_spans, sentences
from .tidy import kwic, tokens
from .tokenizer import Tokenizer, tokenize

__version__ = "0.1.0"

# The analysis modules load scipy, scikit-learn and VADER, and the counts load
# scipy.sparse: imported on first use, so `import c6lab` costs little more than pandas
# (benchmarks/import_time.py).
_SUBMODULES = ("keywords", "topics", "sentiment", "plots", "collocations", "stats", "io", "paths", "parallel")
_LAZY = {"dfm": "counts", "DocumentTermMatrix": "counts"}


def __getattr__(name: str):
    import importlib

    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'c6lab' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_SUBMODULES) | set(_LAZY))


__all__ = [
    "KINDS",
    "Corpus",
    "CorpusError",
    "DocumentTermMatrix",
    "Lexicons",
    "Problem",
    "Tokenizer",
    "dfm",
    "kwic",
    "load_corpus",
    "normalize",
    "open_corpus",
    "sentence_spans",
    "sentences",
    "tokenize",
    "tokens",
    "validate_corpus",
    "word_counts",
]
