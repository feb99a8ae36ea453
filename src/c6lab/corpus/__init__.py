"""The corpus: load and validate it (:func:`open_corpus`), add articles, propose segments."""

from .location import bundled_corpus_root
from .model import Corpus, load_corpus, open_corpus
from .validate import KINDS, SPEAKER_KINDS, validate_corpus

__all__ = ["KINDS", "SPEAKER_KINDS", "Corpus", "bundled_corpus_root", "load_corpus", "open_corpus",
           "validate_corpus"]
