"""Scoring the mentions of the powers: one text, many sentences, a corpus, and baselines.

* :func:`score_text`: every mention in one string (split into sentences);
* :func:`score_texts`: every mention in many sentences at once, one long table (the
  batch entry point: the alias search is compiled once, rows are built as lists and one
  DataFrame is made at the end);
* :func:`score_mentions`: every mention in a corpus table, with each voice's baseline
  (each segment is split, searched and masked once for both);
* :func:`speaker_baselines`: each voice's mean score of sentences without a mention.

``method`` is one of :data:`METHODS` or a scorer object (:mod:`c6lab.sentiment.scoring`):
``masked_sentence`` (VADER on the sentence with every alias masked, the default),
``window`` and ``naive_sentence``. Tone scoring is linear in the length of the text:
sentences are bounded (:data:`c6lab.sentiment.mentions.MAX_SENTENCE_CHARS`) and each
sentence is tokenised once, whatever the number of its mentions.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..lexicons import Lexicons, resolve
from .mentions import (
    MENTION_COLUMNS,
    MaskedSentence,
    Match,
    docvars_of,
    masked_sentences,
    mention_rows,
    segment_sentences,
)
from .scoring import (  # noqa: F401  (_analyser, vader_lexicon: this module's API before the split)
    METHODS,
    Scorer,
    VaderScorer,
    _analyser,
    get_scorer,
    vader_lexicon,
)

TEXT_COLUMNS = ["power", "alias", "alias_type", "start", "end", "sentence", "sentence_start",
                "sentence_end", "method", "lexicon", "scored_text", "compound", "label"]
TEXTS_COLUMNS = ["sentence_index", "power", "alias", "alias_type", "start", "end", "score", "label",
                 "method", "lexicon"]


# -- public API ------------------------------------------------------------------------------------
def score_text(text: str, method: str | Scorer = "masked_sentence", window: int = 5, domain: bool = False, *,
               lexicons: Lexicons | None = None) -> pd.DataFrame:
    """Score every mention of a power in any English string.

    Parameters
    ----------
    text : str
        Any text; it is split into sentences by ``lexicons.sentence_splitter``.
    method : {"masked_sentence", "window", "naive_sentence"} or Scorer
        What is scored for each mention (see :mod:`c6lab.sentiment.scoring`).
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
        ``scored_text`` (what the scorer saw), ``compound`` (the score, -1..1: VADER's
        compound score, rounded by VADER to 4 decimals) and ``label`` (-1/0/+1; for VADER
        +1 from 0.05, -1 from -0.05).

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
    scorer = get_scorer(method, window, domain, lexicons=lexicons)
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__} (score_texts takes many)")
    sentences = [s for s in masked_sentences(text, lexicons) if s.targets]
    scored = iter(_score(scorer, sentences))
    cols: dict[str, list] = {c: [] for c in TEXT_COLUMNS}
    for sent in sentences:
        for m, _ in sent.targets:
            res = next(scored)
            for c, v in zip(TEXT_COLUMNS, (m.alias.power, text[m.start:m.end], m.alias.type, m.start, m.end,
                                           sent.text, sent.start, sent.end, scorer.name, scorer.lexicon,
                                           res.text, res.score, res.label), strict=True):
                cols[c].append(v)
    return pd.DataFrame(cols, columns=TEXT_COLUMNS)


def _score(scorer, sentences: list[MaskedSentence]) -> list:
    """The scorer's results, checked: one per target, scores in [-1, 1], labels in -1/0/1."""
    out = list(scorer.score(sentences)) if sentences else []
    n = sum(len(s.targets) for s in sentences)
    if len(out) != n:
        raise ValueError(f"scorer {scorer.name!r} returned {len(out)} scores for {n} mentions")
    for r in out:
        if not -1.0 <= r.score <= 1.0 or r.label not in (-1, 0, 1):
            raise ValueError(f"scorer {scorer.name!r} returned score {r.score!r} and label {r.label!r}; "
                             f"a score must be in [-1, 1] and a label -1, 0 or 1")
    return out


def score_texts(sentences: Iterable[str], method: str | Scorer = "masked_sentence", window: int = 5,
                domain: bool = False, *, lexicons: Lexicons | None = None, split: bool = False,
                batch_size: int = 4096) -> pd.DataFrame:
    """Score every mention of a power in many sentences: one long table.

    Parameters
    ----------
    sentences : iterable of str
        One sentence each (``split=False``), or texts to split (``split=True``).
    method : {"masked_sentence", "window", "naive_sentence"} or Scorer
    window : int
        Tokens either side of the mention for ``method="window"``.
    domain : bool
        Apply the domain changes to VADER's lexicon.
    lexicons : Lexicons, optional
        The word lists; default the package's.
    split : bool
        Split each item into sentences first (as :func:`score_text` does).
    batch_size : int
        Sentences handed to the scorer at once (a model scores in batches).

    Returns
    -------
    DataFrame
        One row per mention, in input order: ``sentence_index`` (position in
        ``sentences``), ``power, alias, alias_type``, ``start, end`` (offsets into that
        item), ``score`` (-1..1), ``label`` (-1/0/+1), ``method, lexicon``. An item without
        a mention has no row.

    Examples
    --------
    >>> df = score_texts(["Peace with China.", "No power here.", "Russia and the EU disagree."])
    >>> df[["sentence_index", "power", "alias", "score", "label"]].values.tolist()
    [[0, 'CN', 'China', 0.5423, 1], [2, 'RU', 'Russia', -0.3818, -1], [2, 'EU', 'EU', -0.3818, -1]]
    """
    lex = resolve(lexicons)
    scorer = get_scorer(method, window, domain, lexicons=lex)
    if isinstance(sentences, str):
        raise TypeError("sentences must be a list of strings, not one string (use score_text)")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int | np.integer) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    finditer = lex.alias_matcher.finditer
    cols: dict[str, list] = {c: [] for c in TEXTS_COLUMNS}
    batch: list[tuple[int, str, MaskedSentence]] = []

    def flush() -> None:
        scored = iter(_score(scorer, [b[2] for b in batch]))
        index, power, alias, kind = cols["sentence_index"], cols["power"], cols["alias"], cols["alias_type"]
        start, end, score, label = cols["start"], cols["end"], cols["score"], cols["label"]
        for i, text, sent in batch:
            for m, _ in sent.targets:
                res = next(scored)
                index.append(i)
                power.append(m.alias.power)
                alias.append(text[m.start:m.end])
                kind.append(m.alias.type)
                start.append(m.start)
                end.append(m.end)
                score.append(res.score)
                label.append(res.label)
        batch.clear()

    for i, text in enumerate(sentences):
        if not isinstance(text, str):
            raise TypeError(f"sentences[{i}] is {type(text).__name__}, not str")
        found = [Match(a, b, al) for a, b, al in finditer(text)]
        if not found or all(m.alias.type == "exclude" for m in found):
            continue  # nothing to score: the search was all it cost
        batch.extend((i, text, s) for s in masked_sentences(text, lex, split=split, matches=found) if s.targets)
        if len(batch) >= batch_size:
            flush()
    flush()
    n = len(cols["power"])
    cols["method"], cols["lexicon"] = [scorer.name] * n, [scorer.lexicon] * n
    return pd.DataFrame(cols, columns=TEXTS_COLUMNS)


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
    analysed = segment_sentences(corpus_df, lexicons)
    return _baselines(corpus_df, (sents for _, sents in analysed), VaderScorer(domain, lexicons=lexicons))


def _baselines(corpus_df: pd.DataFrame, sentences: Iterable[list[MaskedSentence]], scorer) -> pd.DataFrame:
    """Each voice's mean score over the sentences (of each segment) without a mention."""
    voices = _voice(corpus_df)
    scores: dict[str, list[float]] = {v: [] for v in voices}
    baseline = getattr(scorer, "baseline", None)
    for voice, sents in zip(voices, sentences, strict=True):
        plain = [s for s in sents if not s.targets]
        if plain:
            scores[voice].extend(baseline(plain) if baseline else [np.nan] * len(plain))
    rows = [{"voice": v, "n_sentences": len(s),
             "baseline": round(float(np.mean(s)), 4) if s and not np.isnan(s).any() else np.nan}
            for v, s in scores.items()]
    return pd.DataFrame(rows, columns=["voice", "n_sentences", "baseline"])


def score_mentions(corpus_df: pd.DataFrame, method: str | Scorer = "masked_sentence", window: int = 5,
                   domain: bool = False, *, lexicons: Lexicons | None = None) -> pd.DataFrame:
    """Score every mention of a power in a corpus table.

    Parameters
    ----------
    corpus_df : DataFrame
        Segments (``corpus.select(kinds)``); the speakers' baselines are computed on the
        same rows.
    method : {"masked_sentence", "window", "naive_sentence"} or Scorer
        What is scored (:mod:`c6lab.sentiment.scoring`); a scorer object's ``baseline``
        scores the sentences without a mention (NaN if it has none).
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
    scorer = get_scorer(method, window, domain, lexicons=lexicons)
    docvars = docvars_of(corpus_df)
    has_raw = {"article_id", "char_start"} <= set(corpus_df.columns)
    rows, targets, per_segment = [], [], []
    # one pass: each segment is split, searched and masked once, for its mentions and its
    # voice's baseline alike
    for rec, sents in segment_sentences(corpus_df, lexicons):
        per_segment.append(sents)
        for row, sent, k in mention_rows(rec, sents, docvars, has_raw):
            rows.append(row)
            if k == 0:
                targets.append(sent)
    for row, res in zip(rows, _score(scorer, targets), strict=True):
        row["scored_text"], row["compound"] = res.text, res.score
    df = pd.DataFrame(rows, columns=docvars + MENTION_COLUMNS + ["scored_text", "compound"])
    return with_baselines(df, scorer.name, scorer.lexicon, _baselines(corpus_df, per_segment, scorer))


def with_baselines(df: pd.DataFrame, method: str, lexicon: str, baselines: pd.DataFrame,
                   voices=None) -> pd.DataFrame:
    """The end of :func:`score_mentions`, wherever the scores were computed.

    ``df`` holds the mention columns, ``scored_text`` and ``compound``; this inserts
    ``method`` and ``lexicon`` before the last two, adds each row's ``voice`` (``voices``
    when the caller has them, else :func:`_voice`), joins the voices' ``baselines``
    (:func:`speaker_baselines`' table) and adds ``relative``. One function, so one
    process, :class:`~c6lab.sentiment.runs.MentionScores` and Dask partitions give the
    same table.
    """
    df.insert(len(df.columns) - 2, "method", method)
    df.insert(len(df.columns) - 2, "lexicon", lexicon)
    if not len(df):
        df["voice"] = pd.Series(dtype=str)
    else:
        df["voice"] = _voice(df) if voices is None else voices
    df = df.merge(baselines.rename(columns={"n_sentences": "n_baseline_sentences"}), on="voice", how="left")
    df["relative"] = (df["compound"] - df["baseline"]).round(4)
    return df
