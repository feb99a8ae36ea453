"""Every setting of the tone analysis from one pass over a corpus table.

A notebook compares methods, windows and lexicons on the same mentions. Calling
:func:`~c6lab.sentiment.score_mentions` once per setting would find, split and mask every
segment again and score the same sentences again. :class:`MentionScores` analyses each
segment once, finds its mentions once, scores each distinct text once per lexicon
(:class:`~c6lab.sentiment.vadercache.VaderCache`) and then hands out, for any setting and
any subset of its segments, the table ``score_mentions`` would give, row for row::

    tone = MentionScores(corpus.select(), lexicons=corpus.lexicons)
    tone.score_mentions("window", window=3, domain=True)          # every segment
    tone.score_mentions("masked_sentence", segments=speech)         # a subset: its own baselines

The work is linear in the size of the corpus: one analysis per segment, one score per
distinct text, and tables built from columns (no frame per mention or per call).
:func:`analyse` is the per-partition step :class:`c6lab.parallel.Engine` runs on Dask workers.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..lexicons import Lexicons, resolve
from .mentions import MENTION_COLUMNS, docvars_of, mention_rows, segment_sentences
from .scorers import _voice, with_baselines
from .scoring import _TOKEN, get_scorer
from .vadercache import VaderCache

#: the settings notebook 03 compares: each method with and without the domain changes, windows of 3, 5, 10
SETTINGS = tuple((m, k, d) for d in (False, True)
                 for m, k in (("masked_sentence", 5), ("naive_sentence", 5), ("window", 3), ("window", 5),
                              ("window", 10)))


def tone_settings(window: int = 5, *, windows: Iterable[int] = (3, 5, 10)) -> list[tuple[str, int, bool]]:
    """Each method with ``window`` and the window method with each of ``windows``, with and without the domain changes.

    Examples
    --------
    >>> tone_settings(5, windows=(3,))
    [('masked_sentence', 5, False), ('naive_sentence', 5, False), ('window', 5, False), ('window', 3, False), \
('masked_sentence', 5, True), ('naive_sentence', 5, True), ('window', 5, True), ('window', 3, True)]
    """
    return [(m, k, d) for d in (False, True)
            for m, k in dict.fromkeys([("masked_sentence", window), ("naive_sentence", window), ("window", window),
                                       *(("window", int(k)) for k in windows)])]


def setting_key(method: str, window: int = 5, domain: bool = False) -> tuple[str, int, bool]:
    """The setting as :class:`MentionScores` stores it (the window counts only for ``window``).

    Examples
    --------
    >>> setting_key("masked_sentence", 10, True), setting_key("window", 3)
    (('masked_sentence', 0, True), ('window', 3, False))
    """
    if not isinstance(method, str):
        raise TypeError(f"MentionScores scores the VADER methods by name, not {method!r}; "
                        "score a scorer object with score_mentions")
    scorer = get_scorer(method, window, domain)  # checks every argument
    return method, scorer.window if method == "window" else 0, scorer.domain


def _windows(masked: str, targets, ks: Iterable[int]) -> dict[int, list[str]]:
    # as WindowVader.scored_texts: the sentence's tokens once, a binary search per mention
    toks = [(t.start(), t.group()) for t in _TOKEN.finditer(masked)]
    starts = [t[0] for t in toks]
    where = [bisect.bisect_right(starts, at) - 1 for _, at in targets]
    return {k: [" ".join(t[1] for t in toks[max(0, i - k): i + k + 1]) for i in where] for k in ks}


def analyse(corpus_df: pd.DataFrame, lexicons: Lexicons | None, settings: Iterable[tuple]) -> dict:
    """One pass over ``corpus_df``: its mention rows, their scores in every setting, and the
    baseline scores (masked sentences without a mention) of each segment, with and without
    the domain changes. ``settings`` are :func:`setting_key` tuples. Picklable, so a Dask
    worker can return it; :class:`MentionScores` joins the parts."""
    lex = resolve(lexicons)
    settings = list(dict.fromkeys(settings))
    vader = VaderCache(lex)
    docvars = docvars_of(corpus_df)
    has_raw = {"article_id", "char_start"} <= set(corpus_df.columns)
    ks = sorted({k for m, k, _ in settings if m == "window"})
    columns = docvars + MENTION_COLUMNS
    rows: dict[str, list] = {c: [] for c in columns}  # by column: no dict per mention
    seg, plain_ptr = [], [0]
    texts: dict[tuple, list[str]] = {s: [] for s in settings}
    scores: dict[tuple, list[float]] = {s: [] for s in settings}
    plain: tuple[list[float], list[float]] = ([], [])
    add_plain, add_domain, compounds = plain[0].append, plain[1].append, vader.compounds
    for i, (rec, sents) in enumerate(segment_sentences(corpus_df, lex)):
        for sent in sents:
            if not sent.targets:  # most sentences: a baseline score only
                without, with_domain = compounds(sent.masked)
                add_plain(without)
                add_domain(with_domain)
                continue
            n = len(sent.targets)
            # each text once, with and without the domain changes
            read = {("masked_sentence", 0): [sent.masked] * n, ("naive_sentence", 0): [sent.cleaned] * n}
            if ks:
                read.update((("window", k), w) for k, w in _windows(sent.masked, sent.targets, ks).items())
            scored = {}
            for s in settings:
                method, k, domain = s
                if (method, k) not in scored:
                    both = [vader.compounds(read[method, k][0])] * n if method != "window" else [
                        vader.compounds(t) for t in read[method, k]]
                    scored[method, k] = both
                texts[s].extend(read[method, k])
                scores[s].extend(b[domain] for b in scored[method, k])
        for row, _, _ in mention_rows(rec, sents, docvars, has_raw):
            for c in columns:
                rows[c].append(row[c])
            seg.append(i)
        plain_ptr.append(len(plain[0]))
    return {"rows": rows, "segment": np.asarray(seg, dtype=np.int64), "texts": texts,
            "scores": {s: np.asarray(v, dtype=float) for s, v in scores.items()},
            "plain_ptr": np.asarray(plain_ptr, dtype=np.int64),
            "plain": tuple(np.asarray(p, dtype=float) for p in plain), "n_segments": len(plain_ptr) - 1}


class MentionScores:
    """The mentions of a corpus table, analysed once, scored in many settings.

    Parameters
    ----------
    corpus_df : DataFrame
        Segments (``corpus.select()``): at least ``segment_id`` and ``text``.
    lexicons : Lexicons, optional
        The corpus's word lists (``corpus.lexicons``); default the package's.
    settings : iterable of (method, window, domain)
        The settings to score (default :data:`SETTINGS`, those of notebook 03).
    parts : list of dict, optional
        :func:`analyse` of consecutive slices of ``corpus_df`` (how
        :meth:`c6lab.parallel.Engine.mention_scores` builds it on a cluster).

    Examples
    --------
    >>> df = pd.DataFrame({"article_id": ["a"] * 2, "segment_id": ["s1", "s2"], "kind": ["quote", "narrative"],
    ...                    "speaker_id": ["x", ""], "text": ["Trust grows. China builds roads.", "Peace with Russia."]})
    >>> tone = MentionScores(df)
    >>> tone.score_mentions()[["segment_id", "power", "compound", "baseline"]].values.tolist()
    [['s1', 'CN', 0.0, 0.5106], ['s2', 'RU', 0.5423, nan]]
    >>> tone.score_mentions(segments=df[df["kind"] == "quote"])["power"].tolist()
    ['CN']
    """

    def __init__(self, corpus_df: pd.DataFrame, *, lexicons: Lexicons | None = None,
                 settings: Iterable[tuple] = SETTINGS, parts: list[dict] | None = None):
        self.settings = list(dict.fromkeys(setting_key(*s) for s in settings))
        self.corpus_df = corpus_df
        from_elsewhere = parts is not None  # made by other processes: their strings are copies
        if parts is None:
            parts = [analyse(corpus_df, lexicons, self.settings)]
        self.docvars = docvars_of(corpus_df)
        offsets = np.cumsum([0] + [p["n_segments"] for p in parts])
        segment = np.concatenate([p["segment"] + o for p, o in zip(parts, offsets)])
        if offsets[-1] != len(corpus_df):
            raise ValueError(f"the parts cover {offsets[-1]} segments, corpus_df has {len(corpus_df)}")
        self._mention_ptr = np.searchsorted(segment, np.arange(len(corpus_df) + 1))
        self._texts = {s: [t for p in parts for t in p["texts"][s]] for s in self.settings}
        self._scores = {s: np.concatenate([p["scores"][s] for p in parts]) for s in self.settings}
        starts = [p["plain_ptr"][:-1] + sum(len(q["plain"][0]) for q in parts[:j]) for j, p in enumerate(parts)]
        self._plain_ptr = np.append(np.concatenate(starts), sum(len(p["plain"][0]) for p in parts)).astype(np.int64)
        self._plain = tuple(np.concatenate([p["plain"][d] for p in parts]) for d in (0, 1))
        columns = self.docvars + MENTION_COLUMNS
        values = {c: [v for p in parts for v in p["rows"][c]] for c in columns}
        if from_elsewhere:
            _share_strings(values, corpus_df, self.docvars, segment)
        # as find_mentions builds it from records (the same dtypes), one column at a time
        self._mentions = pd.DataFrame(values, columns=columns)
        self._mentions = _as_from_records(self._mentions, columns)
        self._voices = _voice(corpus_df).to_numpy(dtype=object) if len(corpus_df) else np.array([], dtype=object)
        self._position = pd.Series(np.arange(len(corpus_df)), index=corpus_df["segment_id"].to_numpy())
        self._whole_baselines: dict[bool, pd.DataFrame] = {}  # of every segment, by domain: one per run

    def __repr__(self) -> str:
        return f"MentionScores({len(self._mentions)} mentions, {len(self.settings)} settings)"

    # -- which rows ------------------------------------------------------------------------------
    def _segments(self, segments: pd.DataFrame | None) -> tuple[pd.DataFrame, np.ndarray]:
        """The segment table asked for and the positions of its rows in ``corpus_df``."""
        if segments is None:
            return self.corpus_df, np.arange(len(self.corpus_df))
        if not self._position.index.is_unique:
            raise ValueError("segments= needs a corpus table whose segment_id values are unique")
        ids = segments["segment_id"].to_numpy()
        missing = ~pd.Index(ids).isin(self._position.index)
        if missing.any():
            raise ValueError(f"segment {ids[missing][0]!r} is not in the table these mentions were found in")
        return segments, self._position.loc[ids].to_numpy()

    def _mention_rows(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The mentions of those segments, segment after segment (text order within each),
        and for each the number of its segment among ``positions``."""
        starts, ends = self._mention_ptr[positions], self._mention_ptr[positions + 1]
        return _ranges(starts, ends - starts), np.repeat(np.arange(len(positions)), ends - starts)

    def _table(self, rows: np.ndarray, full: bool) -> pd.DataFrame:
        if full:
            return self._mentions.copy()
        return self._mentions.iloc[rows].reset_index(drop=True)

    # -- the tables ------------------------------------------------------------------------------
    def find_mentions(self, segments: pd.DataFrame | None = None) -> pd.DataFrame:
        """:func:`c6lab.sentiment.find_mentions` of ``segments`` (default: every segment)."""
        seg_df, positions = self._segments(segments)
        rows, _ = self._mention_rows(positions)
        if not len(rows):
            return pd.DataFrame([], columns=self.docvars + MENTION_COLUMNS)
        return self._table(rows, segments is None)

    def speaker_baselines(self, domain: bool = False, segments: pd.DataFrame | None = None) -> pd.DataFrame:
        """:func:`c6lab.sentiment.speaker_baselines` of ``segments`` (default: every segment)."""
        seg_df, positions = self._segments(segments)
        domain = setting_key("masked_sentence", 5, domain)[2]  # checks the value
        return self._baselines(positions, self._voices_of(seg_df, segments), domain)

    def _voices_of(self, seg_df: pd.DataFrame, segments) -> np.ndarray:
        if segments is None:
            return self._voices
        return _voice(seg_df).to_numpy(dtype=object) if len(seg_df) else np.array([], dtype=object)

    def _baselines(self, positions: np.ndarray, voices: np.ndarray, domain: bool) -> pd.DataFrame:
        # as scorers._baselines: per voice, the scores of its segments' plain sentences in
        # segment order, and np.mean of that list (the same numbers, the same summation)
        plain = self._plain[domain]
        starts, ends = self._plain_ptr[positions], self._plain_ptr[positions + 1]
        codes, uniques = pd.factorize(pd.Series(voices, dtype=object), sort=False)
        order = np.argsort(codes, kind="stable")
        counts = ends - starts
        values = plain[_ranges(starts[order], counts[order])]
        per_voice = np.bincount(codes, weights=counts, minlength=len(uniques)).astype(np.int64)
        bounds = np.concatenate([[0], np.cumsum(per_voice)])
        rows = []
        for j, v in enumerate(uniques):
            s = values[bounds[j]:bounds[j + 1]]
            rows.append({"voice": v, "n_sentences": len(s),
                         "baseline": round(float(np.mean(s)), 4) if len(s) and not np.isnan(s).any() else np.nan})
        return pd.DataFrame(rows, columns=["voice", "n_sentences", "baseline"])

    def score_mentions(self, method: str = "masked_sentence", window: int = 5, domain: bool = False, *,
                       segments: pd.DataFrame | None = None) -> pd.DataFrame:
        """:func:`c6lab.sentiment.score_mentions` of ``segments`` (default: every segment), row for row.

        ``segments`` must be rows of the table the mentions were found in (e.g.
        ``corpus.select(kinds)`` of ``corpus.select()``); its baselines are its own.
        """
        key = setting_key(method, window, domain)
        if key not in self._scores:
            raise ValueError(f"setting {key} was not scored; scored: {self.settings}")
        scorer = get_scorer(method, window, domain)
        seg_df, positions = self._segments(segments)
        rows, local = self._mention_rows(positions)
        seg_voices = self._voices_of(seg_df, segments)
        cols = self.docvars + MENTION_COLUMNS + ["scored_text", "compound"]
        if not len(rows):
            df = pd.DataFrame([], columns=cols)
        else:
            df = self._table(rows, segments is None)
            texts = self._texts[key]
            df["scored_text"] = texts if segments is None else [texts[i] for i in rows.tolist()]
            df["compound"] = self._scores[key][rows]
        if segments is None:  # the settings of one lexicon share them: computed once
            if key[2] not in self._whole_baselines:
                self._whole_baselines[key[2]] = self._baselines(positions, seg_voices, key[2])
            base = self._whole_baselines[key[2]].copy()
        else:
            base = self._baselines(positions, seg_voices, key[2])
        return with_baselines(df, scorer.name, scorer.lexicon, base, seg_voices[local] if len(rows) else None)


def _share_strings(values: dict[str, list], corpus_df: pd.DataFrame, docvars: list[str], segment: np.ndarray) -> None:
    """Point each mention's document variables (ids, names) at the strings of its own row of
    ``corpus_df`` where they are equal: parts analysed in other processes send back copies,
    which at 20,000 articles hold a few hundred MB more than one process does."""
    for c in docvars:
        own = corpus_df[c].to_numpy(dtype=object)[segment].tolist()
        values[c] = [o if type(o) is str and type(v) is str and o == v else v for o, v in zip(own, values[c])]


def _as_from_records(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``df`` with the dtypes ``pd.DataFrame(records, columns=columns)`` would have given."""
    if not len(df):
        return pd.DataFrame([], columns=columns)
    probe = pd.DataFrame(df.head(1).to_dict("records") + df.tail(1).to_dict("records"), columns=columns)
    return df if (probe.dtypes == df.dtypes).all() else pd.DataFrame(df.to_dict("records"), columns=columns)


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``concatenate([arange(s, s + c) for s, c in zip(starts, counts)])``, without the loop."""
    total = int(counts.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    shift = np.repeat(starts - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
    return (shift + np.arange(total)).astype(np.int64)

