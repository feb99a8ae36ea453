"""Sentiment toward external powers: find each mention, mask every alias, score with VADER.

A *mention* is one occurrence of an alias of a power (``US``, ``CN``, ``RU``, ``EU`` for
the EU / Europe / the West, ``TR``) from ``corpus/lexicons/powers.csv``. Person aliases
(Trump, Putin, Xi ...) count for their state; ``exclude`` rows are names that contain an
alias but are not the power ("South China Sea"): they are never mentions.

Scoring methods (VADER compound, Hutto & Gilbert 2014):

* ``masked_sentence``: the sentence holding the mention, with **every** alias of every
  power replaced by a placeholder (``_us_``, ``_cn_`` ...; exclude names by ``_x_``)
  that is not in VADER's lexicon, so "United" (+1.8) in "United States" or "Peace" in
  the name "Trump Route for International Peace and Prosperity" cannot score;
* ``window``: the same masked sentence cut to ``window`` whitespace tokens either side
  of the mention (never across the sentence boundary);
* ``naive_sentence``: the sentence unmasked, for comparison.

Before scoring, curly quotes become straight ones and em dashes a space (one character
for one, so offsets hold): VADER splits on white space and strips only ASCII
punctuation, so "“Good" or "declarative—it" would otherwise hide words from it.

The VADER lexicon is read from the installed ``vaderSentiment`` package with
:mod:`importlib.resources` (nothing is downloaded; NLTK's ``vader_lexicon`` is not
needed). Domain changes to it live in ``corpus/lexicons/vader_domain.csv`` and are used
only when asked for (``domain=True``).
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from .errors import CorpusError, Problem
from .paths import default_corpus_root, default_lexicon_dir
from .text import sentence_spans

POWERS = ("US", "CN", "RU", "EU", "TR")
ALIAS_TYPES = ("state", "person", "exclude")
METHODS = ("masked_sentence", "window", "naive_sentence")
LABELS = (-1, 0, 1)
THRESHOLD = 0.05  # VADER's own cut-off: compound >= 0.05 positive, <= -0.05 negative
EXCLUDE_PLACEHOLDER = "_x_"

# segment columns carried on to each mention when present
_DOCVARS = ("article_id", "segment_id", "outlet", "kind", "speaker_id", "speaker", "country")


def placeholder(power: str) -> str:
    """The token that replaces an alias of ``power`` before scoring.

    It is lower case (so VADER's ALL-CAPS rule is not switched on), and VADER strips
    it to a two-letter core it then keeps whole, which is not in its lexicon.

    Examples
    --------
    >>> placeholder("US"), placeholder("TR")
    ('_us_', '_tr_')
    """
    return f"_{power.lower()}_"


# -- the alias list -----------------------------------------------------------------------
@dataclass(frozen=True)
class Alias:
    """One row of ``powers.csv``."""

    power: str
    alias: str
    case_sensitive: bool
    type: str
    note: str = ""


def _read_csv_rows(path: Path, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        fh = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise CorpusError([Problem(str(path), None, None, "file not found")]) from None
    with fh:
        reader = csv.DictReader(fh)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise CorpusError([Problem(str(path), 1, c, "missing column") for c in missing])
        return [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k})
                for row in reader]


def read_powers(path: str | Path | None = None) -> tuple[Alias, ...]:
    """Read and check the alias list (default ``corpus/lexicons/powers.csv``).

    Columns ``power`` (one of ``US, CN, RU, EU, TR``), ``alias``, ``case_sensitive``
    (``yes``/``no``), ``type`` (``state``, ``person`` or ``exclude``) and an optional
    ``note``. Every problem found is reported at once in a :class:`c6lab.CorpusError`.

    Examples
    --------
    >>> aliases = read_powers()
    >>> sorted({a.power for a in aliases})
    ['CN', 'EU', 'RU', 'TR', 'US']
    >>> [a.type for a in aliases if a.alias == "South China Sea"]
    ['exclude']
    """
    path = Path(path) if path is not None else default_lexicon_dir() / "powers.csv"
    return _cached_powers(str(path), _mtime(path))


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        raise CorpusError([Problem(str(path), None, None, "file not found")]) from None


@lru_cache(maxsize=8)
def _cached_powers(path: str, mtime: float) -> tuple[Alias, ...]:
    p = Path(path)
    problems, out, seen = [], [], {}
    for line, row in _read_csv_rows(p, ("power", "alias", "case_sensitive", "type")):
        power, alias, flag, kind = row["power"], row["alias"], row["case_sensitive"].lower(), row["type"]
        if power not in POWERS:
            problems.append(Problem(path, line, "power", f"{power!r} is not one of {', '.join(POWERS)}"))
        if not alias:
            problems.append(Problem(path, line, "alias", "empty"))
        if flag not in ("yes", "no"):
            problems.append(Problem(path, line, "case_sensitive", f"must be yes or no, got {flag!r}"))
        if kind not in ALIAS_TYPES:
            problems.append(Problem(path, line, "type", f"{kind!r} is not one of {', '.join(ALIAS_TYPES)}"))
        key = alias if flag == "yes" else alias.casefold()
        if alias and key in seen:
            problems.append(Problem(path, line, "alias", f"{alias!r} repeats line {seen[key]}"))
        seen.setdefault(key, line)
        out.append(Alias(power, unicodedata.normalize("NFC", alias), flag == "yes", kind,
                         row.get("note", "")))
    if problems:
        raise CorpusError(problems)
    return tuple(out)


def _alias_pattern(a: Alias) -> str:
    bodies = []
    for form in dict.fromkeys([a.alias, unicodedata.normalize("NFD", a.alias)]):
        body = re.escape(form).replace(r"\ ", r"\s+").replace("'", "['\u2019]")
        bodies.append(body)
    body = "|".join(bodies)
    return f"(?:{body})" if a.case_sensitive else f"(?i:{body})"


class _Matcher:
    """All aliases in one regular expression; the longest alias wins at a position."""

    def __init__(self, aliases: Iterable[Alias]):
        self.aliases = sorted(aliases, key=lambda a: len(a.alias), reverse=True)
        groups = "|".join(f"({_alias_pattern(a)})" for a in self.aliases)
        # an alias is a whole word: "US" is not in "USAID", "Russia" not in "Belarussian".
        # The word-start test comes once, before the alternatives (faster than one per
        # alias); if the end test fails, the engine backtracks into the next alternative.
        self.regex = re.compile(rf"(?<!\w)(?:{groups})(?!\w)") if self.aliases else None

    def finditer(self, text: str):
        """Yield ``(start, end, Alias)`` for every alias or exclude name in ``text``."""
        if self.regex is None:
            return
        for m in self.regex.finditer(text):
            yield m.start(), m.end(), self.aliases[m.lastindex - 1]


@lru_cache(maxsize=8)
def _matcher(path: str | None, mtime: float | None) -> _Matcher:
    return _Matcher(read_powers(path))


def _get_matcher(powers: str | Path | None) -> _Matcher:
    path = Path(powers) if powers is not None else default_lexicon_dir() / "powers.csv"
    return _matcher(str(path), _mtime(path))


# -- VADER ----------------------------------------------------------------------------------
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
    lexicon = {w: float(v) for w, v in _read_package_table("vader_lexicon.txt").items()}
    return lexicon, _read_package_table("emoji_utf8_lexicon.txt")


def read_domain_lexicon(path: str | Path | None = None) -> pd.DataFrame:
    """Read the domain changes to VADER's lexicon (default ``corpus/lexicons/vader_domain.csv``).

    Columns ``word`` (lower case, one token), ``valence`` (VADER's -4..+4 scale; ``0``
    removes the word from the lexicon) and ``note``.

    Examples
    --------
    >>> d = read_domain_lexicon()
    >>> float(d.set_index("word").loc["sanctions", "valence"])
    -1.5
    """
    path = Path(path) if path is not None else default_lexicon_dir() / "vader_domain.csv"
    problems, rows = [], []
    for line, row in _read_csv_rows(path, ("word", "valence")):
        word = row["word"]
        if not word or word != word.lower() or len(word.split()) != 1:
            problems.append(Problem(str(path), line, "word", f"must be one lower-case word, got {word!r}"))
        try:
            value = float(row["valence"])
        except ValueError:
            problems.append(Problem(str(path), line, "valence", f"not a number: {row['valence']!r}"))
            continue
        if not -4 <= value <= 4:
            problems.append(Problem(str(path), line, "valence", f"{value} is outside -4..+4"))
        rows.append({"word": word, "valence": value, "note": row.get("note", "")})
    if problems:
        raise CorpusError(problems)
    return pd.DataFrame(rows, columns=["word", "valence", "note"])


def vader_lexicon(domain: bool | str | Path = False) -> dict[str, float]:
    """Return a copy of VADER's word -> valence lexicon, optionally with the domain changes.

    Parameters
    ----------
    domain : bool or path
        ``False``: the lexicon as shipped with ``vaderSentiment``; ``True``: with
        ``corpus/lexicons/vader_domain.csv`` applied; a path: with that file applied.

    Examples
    --------
    >>> vader_lexicon()["united"]
    1.8
    >>> "like" in vader_lexicon(domain=True), vader_lexicon(domain=True)["cooperation"]
    (False, 1.2)
    """
    lexicon = dict(_package_lexicons()[0])
    path = _domain_path(domain)
    if path is not None:
        for word, value in read_domain_lexicon(path)[["word", "valence"]].itertuples(index=False):
            if value == 0:
                lexicon.pop(word, None)  # 0: no sentiment in this domain
            else:
                lexicon[word] = value
    return lexicon


def _domain_path(domain: bool | str | Path) -> Path | None:
    if domain is False or domain is None:
        return None
    if domain is True:
        return default_lexicon_dir() / "vader_domain.csv"
    return Path(domain)


class _Vader(SentimentIntensityAnalyzer):
    """vaderSentiment's analyser with a lexicon given in memory (no file reading)."""

    def __init__(self, lexicon: dict[str, float], emojis: dict[str, str]):
        self.lexicon = lexicon
        self.emojis = emojis


@lru_cache(maxsize=8)
def _analyzer(domain_path: str | None, mtime: float | None) -> _Vader:
    return _Vader(vader_lexicon(domain_path if domain_path else False), _package_lexicons()[1])


def _get_analyzer(domain: bool | str | Path) -> _Vader:
    path = _domain_path(domain)
    return _analyzer(str(path), _mtime(path)) if path is not None else _analyzer(None, None)


def _lexicon_label(domain: bool | str | Path) -> str:
    return "vader" if _domain_path(domain) is None else "vader+domain"


# -- text preparation -------------------------------------------------------------------------
# one character for one, so offsets into the original stay valid
_VADER_CLEAN = str.maketrans(
    {
        **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u02bc"},
        **{c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"},
        **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d"},
        **{c: " " for c in "\u2014\u2015\u00a0\u2007\u202f\u2009\u200a"},
    }
)


def _clean(text: str) -> str:
    return text.translate(_VADER_CLEAN)


@dataclass
class _Match:
    start: int
    end: int
    alias: Alias


def _mask(sentence: str, base: int, matches: list[_Match]) -> tuple[str, list[int]]:
    """Replace every match (offsets relative to ``base``) by its placeholder.

    Returns the masked text and, per match, the offset of its placeholder in it.
    """
    out, pos, where = [], 0, []
    length = 0
    for m in matches:
        s, e = max(m.start - base, pos), min(m.end - base, len(sentence))
        out.append(sentence[pos:s])
        length += s - pos
        token = EXCLUDE_PLACEHOLDER if m.alias.type == "exclude" else placeholder(m.alias.power)
        where.append(length)
        out.append(token)
        length += len(token)
        pos = e
    out.append(sentence[pos:])
    return "".join(out), where


def _window(masked: str, at: int, k: int) -> str:
    toks = list(re.finditer(r"\S+", masked))
    i = next(j for j, t in enumerate(toks) if t.start() <= at < t.end())
    return " ".join(t.group() for t in toks[max(0, i - k) : i + k + 1])


def _check_method(method: str, window: int) -> None:
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    if method == "window" and (not isinstance(window, int | np.integer) or window < 0):
        raise ValueError(f"window must be a non-negative integer, got {window!r}")


def _analyse(text: str, matcher: _Matcher, vader: _Vader | None, method: str, window: int,
             plain: bool = False) -> tuple[list[dict], list[float]]:
    """Mentions of ``text`` (scored if ``vader`` is given) and, if ``plain``, the masked
    scores of the sentences without a mention (for the speakers' baselines)."""
    matches = [_Match(s, e, a) for s, e, a in matcher.finditer(text)]
    mentions, plain_scores = [], []
    spans = sentence_spans(text)
    j = 0
    for n, (a, b) in enumerate(spans):
        inside = []
        while j < len(matches) and matches[j].start < b:
            if matches[j].start >= a:
                inside.append(matches[j])
            j += 1
        sentence = text[a:b]
        cleaned = _clean(sentence)
        masked, where = _mask(cleaned, a, inside)
        targets = [(m, w) for m, w in zip(inside, where, strict=True) if m.alias.type != "exclude"]
        if not targets:
            if plain and vader is not None:
                plain_scores.append(vader.polarity_scores(masked)["compound"])
            continue
        sentence_score = None
        for m, w in targets:
            rec = {
                "sentence_no": n, "sentence_start": a, "sentence_end": b, "sentence": sentence,
                "power": m.alias.power, "alias": text[m.start:m.end],
                "alias_type": m.alias.type, "start": m.start, "end": m.end,
            }
            if vader is not None:
                if method == "naive_sentence":
                    scored = cleaned
                elif method == "masked_sentence":
                    scored = masked
                else:
                    scored = _window(masked, w, window)
                if method != "window" and sentence_score is not None:
                    compound = sentence_score
                else:
                    compound = vader.polarity_scores(scored)["compound"]
                    sentence_score = compound
                rec.update(scored_text=scored, compound=compound)
            mentions.append(rec)
    return mentions, plain_scores


# -- public API ----------------------------------------------------------------------------------
_TEXT_COLUMNS = ["power", "alias", "alias_type", "start", "end", "sentence", "sentence_start",
                 "sentence_end", "method", "lexicon", "scored_text", "compound"]


def score_text(text: str, method: str = "masked_sentence", window: int = 5,
               domain: bool | str | Path = False, powers: str | Path | None = None) -> pd.DataFrame:
    """Score every mention of a power in any English string.

    Parameters
    ----------
    text : str
        Any text; it is split into sentences with :func:`c6lab.sentence_spans`.
    method : {"masked_sentence", "window", "naive_sentence"}
        What is scored for each mention (see the module description).
    window : int
        Tokens either side of the mention for ``method="window"``.
    domain : bool or path
        Apply the domain changes to VADER's lexicon (see :func:`vader_lexicon`).
    powers : path, optional
        Alias list; default ``corpus/lexicons/powers.csv``.

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
    mentions, _ = _analyse(text, _get_matcher(powers), _get_analyzer(domain), method, window)
    label = _lexicon_label(domain)
    # built column by column in one call: score_text is called once per sentence in loops
    data = {c: [m.get(c, method if c == "method" else label) for m in mentions] for c in _TEXT_COLUMNS}
    return pd.DataFrame(data, columns=_TEXT_COLUMNS)


_MENTION_COLUMNS = ["mention_id", "raw_start", "raw_end", "sentence_id", "sentence", "sentence_start",
                    "sentence_end", "power", "alias", "alias_type", "start", "end"]


def _records(corpus_df: pd.DataFrame, vader, method, window, powers):
    if "text" not in corpus_df.columns or "segment_id" not in corpus_df.columns:
        raise ValueError("corpus_df needs the columns segment_id and text (see c6lab.load_corpus)")
    matcher = _get_matcher(powers)
    docvars = [c for c in _DOCVARS if c in corpus_df.columns]
    has_raw = {"article_id", "char_start"} <= set(corpus_df.columns)
    rows = []
    for rec in corpus_df.to_dict("records"):
        found, _ = _analyse(rec["text"], matcher, vader, method, window)
        for m in found:
            if has_raw:
                rs, re_ = int(rec["char_start"]) + m["start"], int(rec["char_start"]) + m["end"]
                mid = f"{rec['article_id']}:{rs}-{re_}"
            else:
                rs = re_ = pd.NA
                mid = f"{rec['segment_id']}:{m['start']}-{m['end']}"
            rows.append({**{c: rec[c] for c in docvars}, "mention_id": mid, "raw_start": rs,
                         "raw_end": re_, "sentence_id": f"{rec['segment_id']}:s{m['sentence_no'] + 1}",
                         **m})
    return rows, docvars


def find_mentions(corpus_df: pd.DataFrame, powers: str | Path | None = None) -> pd.DataFrame:
    """Find every mention of a power in the segments of a corpus table.

    Parameters
    ----------
    corpus_df : DataFrame
        Output of :func:`c6lab.load_corpus` (at least ``segment_id`` and ``text``).
    powers : path, optional
        Alias list; default ``corpus/lexicons/powers.csv``.

    Returns
    -------
    DataFrame
        One row per mention, in text order: the segment's document variables
        (``article_id, segment_id, outlet, kind, speaker_id, speaker, country`` where
        present), ``mention_id`` (``article_id:raw_start-raw_end``), ``raw_start,
        raw_end`` (offsets into the **raw file**, ``char_start`` + offset),
        ``sentence_id`` (``segment_id:sN``), ``sentence`` (verbatim, cut at the segment
        boundary), ``sentence_start, sentence_end``, ``power, alias, alias_type``,
        ``start, end`` (these four offsets are into the **segment text**).

    Examples
    --------
    >>> df = pd.DataFrame({"segment_id": ["s1"], "text": ["Trump met Xi. Let us see."]})
    >>> find_mentions(df)[["power", "alias", "alias_type", "start", "end"]].values.tolist()
    [['US', 'Trump', 'person', 0, 5], ['CN', 'Xi', 'person', 10, 12]]
    """
    rows, docvars = _records(corpus_df, None, "masked_sentence", 0, powers)
    return pd.DataFrame(rows, columns=docvars + _MENTION_COLUMNS)


def _voice(df: pd.DataFrame) -> pd.Series:
    # a commentator is one voice; text without a speaker is one voice per kind and article
    spk = df["speaker_id"].fillna("").astype(str) if "speaker_id" in df else pd.Series("", index=df.index)
    parts = [df[c].astype(str) for c in ("kind", "article_id") if c in df]
    other = "(" + parts[0].str.cat(parts[1:], sep=", ") + ")" if parts else "(no speaker)"
    return spk.where(spk != "", other)


def speaker_baselines(corpus_df: pd.DataFrame, domain: bool | str | Path = False,
                      powers: str | Path | None = None) -> pd.DataFrame:
    """Each voice's mean sentence score over its sentences that mention no power.

    Diplomatic text is positive throughout; a mention's score is best read against how
    positively the same person writes anyway. Sentences are scored with exclude names
    masked (as in ``masked_sentence``). A *voice* is a ``speaker_id``; segments without
    a speaker form one voice per kind and article, e.g. ``(narrative, anewz_bayramli_c6)``.

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
    vader, matcher = _get_analyzer(domain), _get_matcher(powers)
    voices = _voice(corpus_df)
    scores: dict[str, list[float]] = {v: [] for v in voices}
    for voice, text in zip(voices, corpus_df["text"], strict=True):
        scores[voice].extend(_analyse(text, matcher, vader, "masked_sentence", 0, plain=True)[1])
    rows = [{"voice": v, "n_sentences": len(s), "baseline": round(float(np.mean(s)), 4) if s else np.nan}
            for v, s in scores.items()]
    return pd.DataFrame(rows, columns=["voice", "n_sentences", "baseline"])


def score_mentions(corpus_df: pd.DataFrame, method: str = "masked_sentence", window: int = 5,
                   domain: bool | str | Path = False, powers: str | Path | None = None) -> pd.DataFrame:
    """Score every mention of a power in a corpus table.

    Parameters
    ----------
    corpus_df : DataFrame
        Output of :func:`c6lab.load_corpus`, possibly filtered to some kinds; the
        speakers' baselines are computed on the same rows.
    method : {"masked_sentence", "window", "naive_sentence"}
    window : int
        Tokens either side of the mention for ``method="window"``.
    domain : bool or path
        Apply the domain changes to VADER's lexicon (see :func:`vader_lexicon`).
    powers : path, optional
        Alias list; default ``corpus/lexicons/powers.csv``.

    Returns
    -------
    DataFrame
        The columns of :func:`find_mentions` plus ``method, lexicon, scored_text,
        compound``, ``voice``, ``baseline`` (the voice's mean score of sentences without
        a mention, see :func:`speaker_baselines`), ``n_baseline_sentences`` and
        ``relative`` (``compound - baseline``).

    Examples
    --------
    >>> import c6lab
    >>> corpus = c6lab.load_corpus(kinds=["quote"])
    >>> scored = score_mentions(corpus)
    >>> sorted(scored["power"].unique())
    ['CN', 'EU', 'TR', 'US']
    """
    _check_method(method, window)
    rows, docvars = _records(corpus_df, _get_analyzer(domain), method, window, powers)
    cols = docvars + _MENTION_COLUMNS + ["scored_text", "compound"]
    df = pd.DataFrame(rows, columns=cols)
    df.insert(len(df.columns) - 2, "method", method)
    df.insert(len(df.columns) - 2, "lexicon", _lexicon_label(domain))
    base = speaker_baselines(corpus_df, domain=domain, powers=powers)
    df["voice"] = _voice(df) if len(df) else pd.Series(dtype=str)
    df = df.merge(base.rename(columns={"n_sentences": "n_baseline_sentences"}), on="voice",
                  how="left")
    df["relative"] = (df["compound"] - df["baseline"]).round(4)
    return df


# -- summaries --------------------------------------------------------------------------------------
def _degenerate(x: np.ndarray) -> bool:
    return bool(np.ptp(x) == 0)


def bootstrap_ci(values: Sequence[float], n_boot: int = 9999, seed: int = 0,
                 confidence: float = 0.95) -> tuple[float, float, str]:
    """Bootstrap confidence interval of the mean: BCa, else percentile.

    Uses :func:`scipy.stats.bootstrap` with a generator seeded by ``seed``. BCa cannot be
    computed on degenerate data (all values equal, where its acceleration is 0/0; SciPy
    then returns NaN): those go straight to the percentile method, as does any sample
    where BCa still returns NaN. Fewer than two values give no interval.

    Returns
    -------
    (low, high, method)
        ``method`` is ``"BCa"``, ``"percentile"`` or ``"none (n<2)"``.

    Examples
    --------
    >>> bootstrap_ci([0.5, 0.5, 0.5])
    (0.5, 0.5, 'percentile')
    >>> bootstrap_ci([0.2])
    (nan, nan, 'none (n<2)')
    """
    from scipy.stats import DegenerateDataWarning, bootstrap

    x = np.asarray(values, dtype=float)
    if len(x) < 2:
        return (math.nan, math.nan, "none (n<2)")
    kwargs = dict(n_resamples=n_boot, confidence_level=confidence, vectorized=True)
    if not _degenerate(x):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ci = bootstrap((x,), np.mean, method="BCa", rng=np.random.default_rng(seed),
                           **kwargs).confidence_interval
        failed = any(issubclass(w.category, DegenerateDataWarning) for w in caught)
        for w in caught:  # anything but the known BCa failure is passed on, not hidden
            if not (failed and issubclass(w.category, RuntimeWarning)):
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        if not failed and np.isfinite(ci.low) and np.isfinite(ci.high):
            return (float(ci.low), float(ci.high), "BCa")
    ci = bootstrap((x,), np.mean, method="percentile", rng=np.random.default_rng(seed),
                   **kwargs).confidence_interval
    return (float(ci.low), float(ci.high), "percentile")


def _group_labels(df: pd.DataFrame, group_by: str) -> pd.Series:
    g = df[group_by].fillna("").astype(str)
    return g.where(g != "", "(" + df["kind"].astype(str) + ")") if "kind" in df else g


SUMMARY_COLUMNS = ["group", "power", "method", "n_mentions", "mean_compound", "ci_low", "ci_high",
                   "ci_method", "lexicon", "n_sentences", "n_speakers", "mean_relative"]


def summarize_powers(scored: pd.DataFrame, group_by: str = "country",
                     groups: Iterable[str] | None = None, n_boot: int = 9999, seed: int = 0,
                     confidence: float = 0.95) -> pd.DataFrame:
    """Group x power summary of scored mentions, with bootstrap CIs of the mean.

    Parameters
    ----------
    scored : DataFrame
        Output of :func:`score_mentions` (one or several methods/lexicons concatenated).
    group_by : str
        Column defining the groups (``country``, ``speaker`` ...). Rows where it is
        empty (text without a speaker) are grouped by kind, e.g. ``(narrative)``.
    groups : iterable of str, optional
        Groups to list even if they mention no power (their rows get ``n_mentions`` 0).
    n_boot, seed, confidence
        Passed to :func:`bootstrap_ci`; the same seed is used for every cell, so a cell's
        interval does not depend on which other cells exist.

    Returns
    -------
    DataFrame
        One row per group x power x method x lexicon: ``group, power, method,
        n_mentions, mean_compound, ci_low, ci_high, ci_method, lexicon, n_sentences``
        (distinct sentences), ``n_speakers`` and ``mean_relative`` (mean of compound
        minus the speaker's baseline). Powers never mentioned by a group appear with
        ``n_mentions`` 0 and empty statistics.

    Examples
    --------
    >>> toy = pd.DataFrame({"country": ["UZ", "UZ", "UZ"], "power": ["CN"] * 3,
    ...                     "method": ["m"] * 3, "lexicon": ["vader"] * 3,
    ...                     "compound": [0.2, 0.4, 0.9], "sentence_id": ["a", "b", "c"],
    ...                     "speaker_id": ["t"] * 3, "relative": [0.0, 0.1, 0.2]})
    >>> row = summarize_powers(toy, n_boot=999).query("power == 'CN'").iloc[0]
    >>> int(row.n_mentions), round(float(row.mean_compound), 4)
    (3, 0.5)
    """
    df = scored.copy()
    df["group"] = _group_labels(df, group_by)
    all_groups = list(dict.fromkeys([*(groups or []), *df["group"]]))
    combos = df[["method", "lexicon"]].drop_duplicates().itertuples(index=False)
    rows = []
    for method, lexicon in combos:
        sub = df[(df["method"] == method) & (df["lexicon"] == lexicon)]
        for g in all_groups:
            for p in POWERS:
                cell = sub[(sub["group"] == g) & (sub["power"] == p)]
                x = cell["compound"].to_numpy(dtype=float)
                low, high, how = bootstrap_ci(x, n_boot, seed, confidence) if len(x) else (
                    math.nan, math.nan, "none (n<2)")
                rows.append({
                    "group": g, "power": p, "method": method, "n_mentions": len(x),
                    "mean_compound": float(x.mean()) if len(x) else math.nan,
                    "ci_low": low, "ci_high": high, "ci_method": how, "lexicon": lexicon,
                    "n_sentences": cell["sentence_id"].nunique() if "sentence_id" in cell else math.nan,
                    "n_speakers": cell["speaker_id"].replace("", np.nan).nunique()
                    if "speaker_id" in cell else math.nan,
                    "mean_relative": float(cell["relative"].mean())
                    if "relative" in cell and len(x) else math.nan,
                })
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


# -- validation against hand labels ------------------------------------------------------------------
def read_gold(path: str | Path | None = None) -> pd.DataFrame:
    """Read the hand labels (default ``corpus/annotations/power_sentiment_gold.csv``).

    One row per mention: ``mention_id`` (``article_id:raw_start-raw_end``, offsets into
    the raw file), ``power``, ``alias`` (as in the text), ``label`` (-1, 0 or +1: the
    stance of the sentence toward that power) and ``reason``; other columns (segment,
    sentence) are for the reader.

    Examples
    --------
    >>> gold = read_gold()
    >>> sorted(gold["label"].unique().tolist())
    [-1, 0, 1]
    """
    path = Path(path) if path is not None else default_corpus_root() / "annotations" / "power_sentiment_gold.csv"
    problems, rows, seen = [], [], {}
    fields = ("mention_id", "power", "alias", "label", "reason")
    for line, row in _read_csv_rows(path, fields):
        if row["mention_id"] in seen:
            problems.append(Problem(str(path), line, "mention_id",
                                    f"{row['mention_id']!r} repeats line {seen[row['mention_id']]}"))
        seen.setdefault(row["mention_id"], line)
        if row["label"] not in ("-1", "0", "1", "+1"):
            problems.append(Problem(str(path), line, "label", f"must be -1, 0 or 1, got {row['label']!r}"))
            continue
        if not row["reason"]:
            problems.append(Problem(str(path), line, "reason", "empty: say why"))
        rows.append({**row, "label": int(row["label"])})
    if problems:
        raise CorpusError(problems)
    return pd.DataFrame(rows)


def check_gold(mentions: pd.DataFrame, gold: pd.DataFrame) -> list[str]:
    """Problems joining mentions and gold labels (empty list = one label per mention).

    Reports mentions without a label, labels without a mention, repeated ids, and
    labels whose power or alias differ from what the finder found there.

    Examples
    --------
    >>> m = pd.DataFrame({"mention_id": ["a:0-5"], "power": ["US"], "alias": ["Trump"]})
    >>> check_gold(m, m.assign(power="RU"))
    ["a:0-5: gold says power 'RU', the finder 'US'"]
    """
    out = []
    for name, df in (("mentions", mentions), ("gold", gold)):
        for mid in df.loc[df["mention_id"].duplicated(), "mention_id"]:
            out.append(f"{mid}: repeated in {name}")
    m, g = set(mentions["mention_id"]), set(gold["mention_id"])
    out += [f"{mid}: found but has no gold label" for mid in sorted(m - g)]
    out += [f"{mid}: gold label but no such mention" for mid in sorted(g - m)]
    both = mentions.drop_duplicates("mention_id").merge(
        gold.drop_duplicates("mention_id"), on="mention_id", suffixes=("", "_gold"))
    for r in both.itertuples(index=False):
        for col in ("power", "alias"):
            if getattr(r, col) != getattr(r, f"{col}_gold"):
                out.append(f"{r.mention_id}: gold says {col} {getattr(r, f'{col}_gold')!r}, "
                           f"the finder {getattr(r, col)!r}")
    return out


def label_from_compound(compound, threshold: float = THRESHOLD):
    """VADER's three classes: +1 if ``compound >= threshold``, -1 if ``<= -threshold``, else 0.

    Examples
    --------
    >>> label_from_compound(pd.Series([0.05, 0.0499, -0.05])).tolist()
    [1, 0, -1]
    """
    c = pd.Series(compound, dtype=float)
    return pd.Series(np.select([c >= threshold, c <= -threshold], [1, -1], 0), index=c.index)


def _joined(scored: pd.DataFrame, gold: pd.DataFrame, threshold: float) -> pd.DataFrame:
    missing = {"mention_id", "power", "alias", "method", "lexicon", "compound"} - set(scored.columns)
    if missing:
        raise ValueError(f"scored needs the columns {sorted(missing)} (see score_mentions)")
    # A mention nobody has labelled yet (an article added after the gold file was written)
    # is left out and counted; a label that no longer matches its mention is an error.
    problems = []
    for (method, lexicon), part in scored.groupby(["method", "lexicon"], sort=False):
        problems += [f"{method}/{lexicon}: {p}" for p in check_gold(part, gold)
                     if not p.endswith("found but has no gold label")]
    if problems:
        raise ValueError("scored mentions and gold labels do not match:\n" + "\n".join(problems[:20]))
    df = scored.merge(gold[["mention_id", "label"]], on="mention_id", how="left")
    df["labelled"] = df["label"].notna()
    df["predicted"] = label_from_compound(df["compound"], threshold).to_numpy()
    return df


def evaluate(scored: pd.DataFrame, gold: pd.DataFrame, threshold: float = THRESHOLD) -> pd.DataFrame:
    """Accuracy and macro-F1 of each method against the hand labels.

    Parameters
    ----------
    scored : DataFrame
        :func:`score_mentions` output, one or several methods/lexicons concatenated.
        Mentions without a gold label are left out (and counted in ``n_unlabelled``);
        a gold label whose mention is gone, or whose power/alias differ, is an error.
    gold : DataFrame
        :func:`read_gold` output.
    threshold : float
        Compound cut-off for the positive and negative classes (VADER's 0.05).

    Returns
    -------
    DataFrame
        ``method, lexicon, n_mentions, n_unlabelled, accuracy, macro_f1`` (F1 averaged over the
        classes -1, 0, +1; a class never predicted nor present counts 0) and
        ``majority_accuracy`` (always answering the most frequent gold class).

    Examples
    --------
    >>> s = pd.DataFrame({"mention_id": list("abc"), "power": "US", "alias": "US",
    ...                   "method": "m", "lexicon": "vader", "compound": [0.5, 0.0, -0.3]})
    >>> g = pd.DataFrame({"mention_id": list("abc"), "power": "US", "alias": "US",
    ...                   "label": [1, 1, -1]})
    >>> evaluate(s, g)[["accuracy", "macro_f1"]].round(4).values.tolist()
    [[0.6667, 0.5556]]
    """
    from sklearn.metrics import accuracy_score, f1_score

    df = _joined(scored, gold, threshold)
    rows = []
    for (method, lexicon), every in df.groupby(["method", "lexicon"], sort=False):
        part = every[every["labelled"]].astype({"label": int})
        majority = part["label"].value_counts().iloc[0] / len(part)
        rows.append({
            "method": method, "lexicon": lexicon, "n_mentions": len(part),
            "n_unlabelled": int((~every["labelled"]).sum()),
            "accuracy": accuracy_score(part["label"], part["predicted"]),
            "macro_f1": f1_score(part["label"], part["predicted"], labels=list(LABELS),
                                 average="macro", zero_division=0),
            "majority_accuracy": majority,
        })
    return pd.DataFrame(rows)


def confusion(scored: pd.DataFrame, gold: pd.DataFrame, threshold: float = THRESHOLD) -> pd.DataFrame:
    """Confusion counts of each method against the hand labels, long form.

    Returns
    -------
    DataFrame
        ``method, lexicon, gold, predicted, n`` with all nine gold x predicted cells
        (zeros included) per method and lexicon.

    Examples
    --------
    >>> s = pd.DataFrame({"mention_id": list("ab"), "power": "US", "alias": "US",
    ...                   "method": "m", "lexicon": "vader", "compound": [0.5, 0.0]})
    >>> g = pd.DataFrame({"mention_id": list("ab"), "power": "US", "alias": "US",
    ...                   "label": [1, -1]})
    >>> confusion(s, g).query("n > 0")[["gold", "predicted", "n"]].values.tolist()
    [[-1, 0, 1], [1, 1, 1]]
    """
    df = _joined(scored, gold, threshold)
    df = df[df["labelled"]].astype({"label": int})
    rows = []
    for (method, lexicon), part in df.groupby(["method", "lexicon"], sort=False):
        counts = part.groupby(["label", "predicted"]).size()
        for g in LABELS:
            for p in LABELS:
                rows.append({"method": method, "lexicon": lexicon, "gold": g, "predicted": p,
                             "n": int(counts.get((g, p), 0))})
    return pd.DataFrame(rows)
