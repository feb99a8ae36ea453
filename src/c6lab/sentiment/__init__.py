"""Lexicon tone of sentences that mention an external power: find, mask every alias, score with VADER.

A tone score is not a stance: VADER rates the words of the sentence, not what it says
about the power. :mod:`~c6lab.sentiment.validation` measures how far the two agree on hand
labels of stance.

The powers are data: every power, alias and domain change comes from the word lists of
the corpus given (:class:`c6lab.Lexicons`, ``corpus.lexicons``), so a row added to
``powers.csv`` appears in every table and figure with no change to the code::

    corpus = c6lab.open_corpus(root)
    speech = corpus.select(["quote", "paraphrase"])
    scored = sentiment.score_mentions(speech, lexicons=corpus.lexicons)
    summary = sentiment.summarize_powers(scored, corpus.lexicons.power_codes)

Modules, in data-flow order:

* :mod:`~c6lab.sentiment.mentions`: :class:`AliasMatcher`, masking, :func:`find_mentions`;
* :mod:`~c6lab.sentiment.scoring`: the :class:`Scorer` interface and the VADER scorers
  (masked, window, naive; VADER's lexicon and its domain changes);
* :mod:`~c6lab.sentiment.scorers`: :func:`score_text`, :func:`score_texts` (many
  sentences, one table), :func:`score_mentions`, :func:`speaker_baselines`;
* :mod:`~c6lab.sentiment.runs`: :class:`MentionScores`, every setting (method, window,
  lexicon) and any subset of the segments from one analysis, each distinct text scored once
  (:mod:`~c6lab.sentiment.vadercache`);
* :mod:`~c6lab.sentiment.transformer`: an optional scorer backed by a local model
  (``pip install c6lab[models]``; imported only when used);
* :mod:`~c6lab.sentiment.summary`: :func:`summarize_powers` (group x power, bootstrap CIs);
* :mod:`~c6lab.sentiment.validation`: hand labels (:func:`read_gold`, :func:`check_gold`),
  :func:`evaluate` (with intervals and the majority baseline; ``tune_band=True`` evaluates a
  neutral band chosen leave-one-article-out), :func:`confusion`, :func:`label_from_compound`;
* :mod:`~c6lab.sentiment.facts`: what the notebook's prose quotes, from these tables.

Before scoring, curly quotes become straight ones and em dashes a space (one character
for one, so offsets hold): VADER splits on white space and strips only ASCII
punctuation, so "“Good" or "declarative—it" would otherwise hide words from it.
"""

from . import facts
from .mentions import EXCLUDE_PLACEHOLDER, AliasMatcher, find_mentions, masked_sentences, placeholder
from .runs import SETTINGS, MentionScores, tone_settings
from .scorers import METHODS, score_mentions, score_text, score_texts, speaker_baselines, vader_lexicon
from .scoring import MaskedVader, NaiveVader, Scored, Scorer, VaderScorer, WindowVader, get_scorer
from .summary import SUMMARY_COLUMNS, group_labels, summarize_powers
from .validation import (
    BAND_GRID,
    LABELS,
    THRESHOLD,
    VALIDATION_COLUMNS,
    band_choices,
    check_gold,
    confusion,
    evaluate,
    label_from_compound,
    measures,
    read_gold,
)

__all__ = [
    "BAND_GRID",
    "EXCLUDE_PLACEHOLDER",
    "LABELS",
    "METHODS",
    "SETTINGS",
    "SUMMARY_COLUMNS",
    "THRESHOLD",
    "VALIDATION_COLUMNS",
    "AliasMatcher",
    "MaskedVader",
    "MentionScores",
    "NaiveVader",
    "Scored",
    "Scorer",
    "VaderScorer",
    "WindowVader",
    "band_choices",
    "check_gold",
    "confusion",
    "evaluate",
    "facts",
    "find_mentions",
    "get_scorer",
    "group_labels",
    "label_from_compound",
    "masked_sentences",
    "measures",
    "placeholder",
    "read_gold",
    "score_mentions",
    "score_text",
    "score_texts",
    "speaker_baselines",
    "summarize_powers",
    "tone_settings",
    "vader_lexicon",
]
