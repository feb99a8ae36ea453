"""c6lab: text-as-data tools for expert commentary on the C6 format.

Verbs in data-flow order: :func:`load_corpus` -> :func:`tokens` / :func:`tokenize`
-> counts -> statistics (``c6lab.keywords``, ``c6lab.topics``, ``c6lab.sentiment``).
"""

from .boilerplate import compare_proposals, propose_kinds
from .corpus import KINDS, load_corpus, validate_corpus
from .describe import word_counts
from .errors import CorpusError, Problem
from .keywords import bootstrap_top_words, group_summary, keyness, leave_one_out, top_keywords
from .sentiment import find_mentions, score_mentions, score_text, speaker_baselines, summarize_powers
from .text import normalize, sentence_spans, sentences
from .tidy import kwic, tokens
from .tokenizer import Tokenizer, tokenize
from .topics import TopicModel, fit_topics, select_k, topic_share

__version__ = "0.1.0"

__all__ = [
    "KINDS",
    "CorpusError",
    "Problem",
    "TopicModel",
    "Tokenizer",
    "fit_topics",
    "select_k",
    "topic_share",
    "bootstrap_top_words",
    "find_mentions",
    "group_summary",
    "keyness",
    "leave_one_out",
    "score_mentions",
    "score_text",
    "speaker_baselines",
    "summarize_powers",
    "top_keywords",
    "kwic",
    "load_corpus",
    "normalize",
    "compare_proposals",
    "propose_kinds",
    "sentence_spans",
    "sentences",
    "tokenize",
    "tokens",
    "validate_corpus",
    "word_counts",
]
