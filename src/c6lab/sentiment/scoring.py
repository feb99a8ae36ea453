"""The scorer interface and the three VADER scorers (Hutto & Gilbert 2014).

A *scorer* turns sentences whose mentions are known into one score in [-1, 1] and one
label (-1, 0, +1) per mention. Every sentence reaches it as a
:class:`~c6lab.sentiment.mentions.MaskedSentence`: the verbatim text, a cleaned copy, a
copy with every alias masked, and its targets (each mention with its span in the text and
the offset of its placeholder in the masked copy). So a scorer may read the sentence
as written, masked, or around the target, and it sees the whole batch at once (a model
scores in batches).

====================  ==========================================================================
method                what VADER scores for each mention
====================  ==========================================================================
``masked_sentence``   the sentence with **every** alias of every power masked (default), so
                      "United" (+1.8) in "United States" cannot score
``window``            the masked sentence cut to ``window`` white-space tokens either side of
                      the mention (never across the sentence boundary)
``naive_sentence``    the sentence unmasked: the baseline the others are compared with
====================  ==========================================================================

:func:`get_scorer` maps these names (the ``method=`` strings of
:func:`~c6lab.sentiment.score_mentions`) to scorer objects; any object with the
interface of :class:`Scorer` may be given instead, e.g.
:class:`c6lab.sentiment.transformer.TransformerScorer`.

The VADER lexicon is read from the installed ``vaderSentiment`` package with
:mod:`importlib.resources` (nothing is downloaded). The domain changes to it are a list
of the corpus (:attr:`c6lab.Lexicons.vader_domain`), applied only when asked for
(``domain=True``).
"""

from __future__ import annotations

import bisect
import re
import weakref
from abc import ABC, abstractmethod
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import numpy as np
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from ..lexicons import Lexicons, resolve
from .mentions import MaskedSentence

METHODS = ("masked_sentence", "window", "naive_sentence")
#: VADER's own cut-off: compound >= 0.05 is positive, <= -0.05 negative (as in validation)
VADER_THRESHOLD = 0.05


class Scored(NamedTuple):
    """What a scorer says about one mention."""

    text: str  #: what the scorer read (shown as ``scored_text``)
    score: float  #: in [-1, 1]
    label: int  #: -1, 0 or +1


class Scorer(ABC):
    """Scores the mentions of sentences: one :class:`Scored` per target, in order.

    Subclasses set :attr:`name` (the ``method`` column) and :attr:`lexicon` (the
    ``lexicon`` column: what the scores come from) and implement :meth:`score`.

    Examples
    --------
    A scorer that calls every mention positive:

    >>> class Cheerful(Scorer):
    ...     name, lexicon = "cheerful", "none"
    ...     def score(self, sentences):
    ...         return [Scored(s.text, 1.0, 1) for s in sentences for _ in s.targets]
    >>> from c6lab.sentiment import score_text
    >>> score_text("China and Russia met.", method=Cheerful())[["power", "compound", "label"]].values.tolist()
    [['CN', 1.0, 1], ['RU', 1.0, 1]]
    """

    name: str = "scorer"
    lexicon: str = ""

    @abstractmethod
    def score(self, sentences: Sequence[MaskedSentence]) -> list[Scored]:
        """One :class:`Scored` for each target of each sentence, in order."""

    def baseline(self, sentences: Sequence[MaskedSentence]) -> list[float]:
        """A score for each sentence *without* a mention (a voice's usual tone).

        NaN when the scorer has no meaning without a target (the default).
        """
        return [float("nan")] * len(sentences)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, lexicon={self.lexicon!r})"


def label_from_score(score: float, threshold: float = VADER_THRESHOLD) -> int:
    """+1 at or above ``threshold``, -1 at or below ``-threshold``, else 0.

    Examples
    --------
    >>> [label_from_score(x) for x in (0.05, 0.0499, -0.05)]
    [1, 0, -1]
    """
    return 1 if score >= threshold else -1 if score <= -threshold else 0


# -- the VADER lexicon ----------------------------------------------------------------------------
def _read_package_table(name: str) -> dict[str, str]:
    # the same parsing as vaderSentiment's make_lex_dict / make_emoji_dict
    text = resources.files("vaderSentiment").joinpath(name).read_text(encoding="utf-8")
    table = {}
    for line in text.rstrip("\n").split("\n"):
        if line:
            key, value = line.strip().split("\t")[0:2]
            table[key] = value
    return table


@lru_cache(maxsize=1)
def _package_lexicons() -> tuple[dict[str, float], dict[str, str]]:
    # the files of the installed package: the same for every corpus
    lexicon = {w: float(v) for w, v in _read_package_table("vader_lexicon.txt").items()}
    return lexicon, _read_package_table("emoji_utf8_lexicon.txt")


def _check_domain(domain) -> bool:
    if not isinstance(domain, bool | np.bool_):
        raise TypeError(f"domain must be True or False (the changes come from lexicons.vader_domain), "
                        f"not {domain!r}")
    return bool(domain)


def vader_lexicon(domain: bool = False, *, lexicons: Lexicons | None = None) -> dict[str, float]:
    """Return a copy of VADER's word -> valence lexicon, optionally with the domain changes.

    Parameters
    ----------
    domain : bool
        ``False``: the lexicon as shipped with ``vaderSentiment``; ``True``: with the
        changes of ``lexicons.vader_domain`` applied (valence 0 removes a word).
    lexicons : Lexicons, optional
        The corpus's word lists (``corpus.lexicons``); default the package's lists.

    Examples
    --------
    >>> vader_lexicon()["united"]
    1.8
    >>> "like" in vader_lexicon(domain=True), vader_lexicon(domain=True)["cooperation"]
    (False, 1.2)
    """
    lexicon = dict(_package_lexicons()[0])
    if _check_domain(domain):
        for word, value, _ in resolve(lexicons).vader_domain:
            if value == 0:
                lexicon.pop(word, None)  # 0: no sentiment in this domain
            else:
                lexicon[word] = value
    return lexicon


class _Vader(SentimentIntensityAnalyzer):
    """vaderSentiment's analyser with a lexicon given in memory (no file reading)."""

    def __init__(self, lexicon: dict[str, float], emojis: dict[str, str]):
        self.lexicon = lexicon
        self.emojis = emojis


# one analyser with the domain changes per Lexicons object, dropped with it
_DOMAIN_ANALYSERS: weakref.WeakKeyDictionary[Lexicons, _Vader] = weakref.WeakKeyDictionary()


@lru_cache(maxsize=1)
def _plain_analyser() -> _Vader:
    return _Vader(vader_lexicon(False), _package_lexicons()[1])


def _analyser(lexicons: Lexicons | None, domain: bool) -> _Vader:
    """The VADER analyser of ``lexicons`` (built once per Lexicons object)."""
    if not _check_domain(domain):
        return _plain_analyser()
    lex = resolve(lexicons)
    vader = _DOMAIN_ANALYSERS.get(lex)
    if vader is None:
        vader = _DOMAIN_ANALYSERS[lex] = _Vader(vader_lexicon(True, lexicons=lex), _package_lexicons()[1])
    return vader


# -- the VADER scorers ----------------------------------------------------------------------------
_TOKEN = re.compile(r"\S+")


class VaderScorer(Scorer):
    """VADER's compound score of the text :meth:`scored_texts` gives for each mention.

    Parameters
    ----------
    domain : bool
        Apply the domain changes of ``lexicons.vader_domain`` to VADER's lexicon.
    lexicons : Lexicons, optional
        The word lists the domain changes come from; default the package's.
    threshold : float
        The label cut-off (:data:`VADER_THRESHOLD`).
    """

    name = "masked_sentence"

    def __init__(self, domain: bool = False, *, lexicons: Lexicons | None = None,
                 threshold: float = VADER_THRESHOLD):
        self.domain = _check_domain(domain)
        self.vader = _analyser(lexicons, self.domain)
        self.lexicon = "vader+domain" if self.domain else "vader"
        self.threshold = threshold

    def scored_texts(self, sentence: MaskedSentence) -> list[str]:
        """The text scored for each target of ``sentence``: the masked sentence."""
        return [sentence.masked] * len(sentence.targets)

    def score(self, sentences: Sequence[MaskedSentence]) -> list[Scored]:
        out, polarity, cut = [], self.vader.polarity_scores, self.threshold
        for sent in sentences:
            last, value = None, 0.0
            for text in self.scored_texts(sent):
                if text is not last and text != last:  # a sentence's mentions share one score
                    value, last = polarity(text)["compound"], text
                out.append(Scored(text, value, 1 if value >= cut else -1 if value <= -cut else 0))
        return out

    def baseline(self, sentences: Sequence[MaskedSentence]) -> list[float]:
        """VADER's compound of each masked sentence (exclude names masked, as in scoring)."""
        return [self.vader.polarity_scores(s.masked)["compound"] for s in sentences]


class MaskedVader(VaderScorer):
    """``masked_sentence``: VADER on the sentence with every alias masked (the default)."""

    name = "masked_sentence"


class NaiveVader(VaderScorer):
    """``naive_sentence``: VADER on the sentence as written (cleaned, nothing masked)."""

    name = "naive_sentence"

    def scored_texts(self, sentence: MaskedSentence) -> list[str]:
        return [sentence.cleaned] * len(sentence.targets)


class WindowVader(VaderScorer):
    """``window``: VADER on ``window`` tokens either side of the mention's placeholder."""

    name = "window"

    def __init__(self, window: int = 5, domain: bool = False, *, lexicons: Lexicons | None = None,
                 threshold: float = VADER_THRESHOLD):
        if isinstance(window, bool) or not isinstance(window, int | np.integer) or window < 0:
            raise ValueError(f"window must be a non-negative integer, got {window!r}")
        super().__init__(domain, lexicons=lexicons, threshold=threshold)
        self.window = int(window)

    def scored_texts(self, sentence: MaskedSentence) -> list[str]:
        # the tokens once per sentence, then a binary search per mention: linear in its length
        toks = [(t.start(), t.end(), t.group()) for t in _TOKEN.finditer(sentence.masked)]
        starts = [t[0] for t in toks]
        k, out = self.window, []
        for _, at in sentence.targets:
            i = bisect.bisect_right(starts, at) - 1
            out.append(" ".join(t[2] for t in toks[max(0, i - k): i + k + 1]))
        return out


def get_scorer(method: str | Scorer = "masked_sentence", window: int = 5, domain: bool = False, *,
               lexicons: Lexicons | None = None) -> Scorer:
    """The scorer a ``method=`` argument names (a :class:`Scorer` is returned as it is).

    Examples
    --------
    >>> get_scorer("window", window=3)
    WindowVader(name='window', lexicon='vader')
    >>> get_scorer("naive_sentence", domain=True).lexicon
    'vader+domain'
    """
    if not isinstance(method, str) and callable(getattr(method, "score", None)):
        return method  # a Scorer, or any object with its name, lexicon and score
    if not isinstance(method, str) or method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)} or a c6lab.sentiment.Scorer; "
                         f"got {method!r}")
    if method == "window":
        return WindowVader(window, domain, lexicons=lexicons)
    return (MaskedVader if method == "masked_sentence" else NaiveVader)(domain, lexicons=lexicons)
