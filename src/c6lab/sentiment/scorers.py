"""Scoring mentions with VADER (Hutto & Gilbert 2014): sentences, windows, baselines.

Methods (VADER's compound score, -1..+1):

* ``masked_sentence``: the sentence holding the mention, with **every** alias of every
  power masked (:mod:`c6lab.sentiment.mentions`), so "United" (+1.8) in "United
  States" cannot score;
* ``window``: the same masked sentence cut to ``window`` white-space tokens either side
  of the mention (never across the sentence boundary);
* ``naive_sentence``: the sentence unmasked, for comparison.

The VADER lexicon is read from the installed ``vaderSentiment`` package with
:mod:`importlib.resources` (nothing is downloaded; NLTK's ``vader_lexicon`` is not
needed). The domain changes to it are a list of the corpus
(:attr:`c6lab.Lexicons.vader_domain`, from ``vader_domain.csv``), applied only when
asked for (``domain=True``).
"""

from __future__ import annotations

import weakref
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from ..lexicons import Lexicons, resolve
from .mentions import MENTION_COLUMNS, MaskedSentence, corpus_mentions, cut_window, masked_sentences, text_mentions

METHODS = ("masked_sentence", "window", "naive_sentence")
TEXT_COLUMNS = ["power", "alias", "alias_type", "start", "end", "sentence", "sentence_start",
                "sentence_end", "method", "lexicon", "scored_text", "compound"]


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


def _lexicon_label(domain: bool) -> str:
    return "vader+domain" if domain else "vader"


def _check_method(method: str, window: int) -> None:
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    if method == "window" and (not isinstance(window, int | np.integer) or window < 0):
        raise ValueError(f"window must be a non-negative integer, got {window!r}")


def _scorer(vader: _Vader, method: str, window: int):
    """``(sentence, placeholder offset) -> (scored text, compound)`` for one method."""
    cache: dict[str, float] = {}  # a sentence with several mentions is scored once

    def score(sent: MaskedSentence, at: int) -> tuple[str, float]:
        if method == "naive_sentence":
            text = sent.cleaned
        elif method == "masked_sentence":
            text = sent.masked
        else:
            text = cut_window(sent.masked, at, window)
        if text not in cache:
            cache[text] = vader.polarity_scores(text)["compound"]
        return text, cache[text]

    return score


# -- public API ------------------------------------------------------------------------------------
def score_text(text: str, method: str = "masked_sentence", window: int = 5, domain: bool = False, *,
               lexicons: Lexicons | None = None) -> pd.DataFrame:
    """Score every mention of a power in any English string.

    Parameters
    ----------
    text : str
        Any text; it is split into sentences by ``lexicons.sentence_splitter``.
    method : {"masked_sentence", "window", "naive_sentence"}
        What is scored for each mention (see the module description).
    window : int
        Tokens either side of the mention for ``method="window"``.
    domain : bool
        Apply the domain changes to VADER's lexicon (see :func:`vader_lexicon`).
    lexicons : Lexicons, optional
        The word lists (aliases, sentence splitter, domain changes); default the package's.

    Returns
    -------
    DataFrame
        One row per mention: ``power, alias`` (as written in the text), ``alias_type``
        (state/person), ``start, end`` (character offsets into ``text``), ``sentence``
        (verbatim), ``sentence_start, sentence_end``, ``method``, ``lexicon``,
        ``scored_text`` (what VADER saw) and ``compound`` (VADER's compound score,
        -1..1, rounded by VADER to 4 decimals).

    Examples
    --------
    >>> s = "The United States announced new tariffs."
    >>> score_text(s)[["power", "alias", "compound"]].values.tolist()
    [['US', 'United States', 0.0]]
    >>> float(score_text(s, method="naive_sentence")["compound"].iloc[0])  # "united" +1.8
    0.4215
    >>> score_text("Let us talk about the South China Sea.").empty
    True
    """
    _check_method(method, window)
    score = _scorer(_analyser(lexicons, domain), method, window)
    mentions = text_mentions(text, lexicons, score)
    label = _lexicon_label(domain)
    # built column by column in one call: score_text is called once per sentence in loops
    data = {c: [m.get(c, method if c == "method" else label) for m in mentions] for c in TEXT_COLUMNS}
    return pd.DataFrame(data, columns=TEXT_COLUMNS)


def _voice(df: pd.DataFrame) -> pd.Series:
    # a commentator is one voice; text without a speaker is one voice per kind and article
    spk = df["speaker_id"].fillna("").astype(str) if "speaker_id" in df else pd.Series("", index=df.index)
    parts = [df[c].astype(str) for c in ("kind", "article_id") if c in df]
    other = "(" + parts[0].str.cat(parts[1:], sep=", ") + ")" if parts else "(no speaker)"
    return spk.where(spk != "", other)


def speaker_baselines(corpus_df: pd.DataFrame, domain: bool = False, *,
                      lexicons: Lexicons | None = None) -> pd.DataFrame:
    """Each voice's mean sentence score over its sentences that mention no power.

    Diplomatic text is positive throughout; a mention's score is best read against how
    positively the same person writes anyway. Sentences are scored with exclude names
    masked (as in ``masked_sentence``). A *voice* is a ``speaker_id``; segments without
    a speaker form one voice per kind and article, e.g. ``(narrative, anewz_bayramli_c6)``.

    Parameters
    ----------
    corpus_df : DataFrame
        Segments (``corpus.select(kinds)``).
    domain : bool
        Apply the domain changes to VADER's lexicon.
    lexicons : Lexicons, optional
        The corpus's word lists (``corpus.lexicons``); default the package's.

    Returns
    -------
    DataFrame
        ``voice, n_sentences`` (without a mention), ``baseline`` (their mean compound;
        NaN if there are none).

    Examples
    --------
    >>> df = pd.DataFrame({"article_id": ["a"], "segment_id": ["s1"], "kind": ["quote"],
    ...                    "speaker_id": ["x"],
    ...                    "text": ["Trust grows. China builds roads. Nothing else."]})
    >>> speaker_baselines(df).values.tolist()  # "trust" 2.3 -> 0.5106; second: mention
    [['x', 2, 0.2553]]
    """
    vader, lex = _analyser(lexicons, domain), resolve(lexicons)
    voices = _voice(corpus_df)
    scores: dict[str, list[float]] = {v: [] for v in voices}
    for voice, text in zip(voices, corpus_df["text"], strict=True):
        scores[voice].extend(vader.polarity_scores(s.masked)["compound"]
                             for s in masked_sentences(text, lex) if not s.targets)
    rows = [{"voice": v, "n_sentences": len(s), "baseline": round(float(np.mean(s)), 4) if s else np.nan}
            for v, s in scores.items()]
    return pd.DataFrame(rows, columns=["voice", "n_sentences", "baseline"])


def score_mentions(corpus_df: pd.DataFrame, method: str = "masked_sentence", window: int = 5,
                   domain: bool = False, *, lexicons: Lexicons | None = None) -> pd.DataFrame:
    """Score every mention of a power in a corpus table.

    Parameters
    ----------
    corpus_df : DataFrame
        Segments (``corpus.select(kinds)``); the speakers' baselines are computed on the
        same rows.
    method : {"masked_sentence", "window", "naive_sentence"}
    window : int
        Tokens either side of the mention for ``method="window"``.
    domain : bool
        Apply the domain changes to VADER's lexicon (see :func:`vader_lexicon`).
    lexicons : Lexicons, optional
        The corpus's word lists (``corpus.lexicons``); default the package's.

    Returns
    -------
    DataFrame
        The columns of :func:`c6lab.sentiment.find_mentions` plus ``method, lexicon,
        scored_text, compound``, ``voice``, ``baseline`` (the voice's mean score of
        sentences without a mention, see :func:`speaker_baselines`),
        ``n_baseline_sentences`` and ``relative`` (``compound - baseline``).

    Examples
    --------
    >>> import c6lab
    >>> corpus = c6lab.open_corpus()
    >>> scored = score_mentions(corpus.select(["quote"]), lexicons=corpus.lexicons)
    >>> sorted(scored["power"].unique())
    ['CN', 'EU', 'TR', 'US']
    """
    _check_method(method, window)
    score = _scorer(_analyser(lexicons, domain), method, window)
    rows, docvars = corpus_mentions(corpus_df, lexicons, score)
    df = pd.DataFrame(rows, columns=docvars + MENTION_COLUMNS + ["scored_text", "compound"])
    df.insert(len(df.columns) - 2, "method", method)
    df.insert(len(df.columns) - 2, "lexicon", _lexicon_label(domain))
    base = speaker_baselines(corpus_df, domain=domain, lexicons=lexicons)
    df["voice"] = _voice(df) if len(df) else pd.Series(dtype=str)
    df = df.merge(base.rename(columns={"n_sentences": "n_baseline_sentences"}), on="voice", how="left")
    df["relative"] = (df["compound"] - df["baseline"]).round(4)
    return df
