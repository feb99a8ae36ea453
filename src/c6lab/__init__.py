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
from .counts import DocumentTermMatrix, dfm
from .describe import word_counts
from .errors import CorpusError, Problem
from .lexicons import Lexicons
from .text import normalize, sentence_spans, sentences
from .tidy import kwic, tokens
from .tokenizer import Tokenizer, tokenize

__version__ = "0.1.0"

# the analysis modules load scipy, scikit-learn and VADER: imported on first use
_SUBMODULES = ("keywords", "topics", "sentiment", "plots", "collocations", "stats", "io", "paths")


def __getattr__(name: str):
    if name in _SUBMODULES:
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'c6lab' has no attribute {name!r}")


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
