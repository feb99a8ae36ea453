"""What the tone notebook says, computed from this run's tables.

Each function turns a table of the run (mentions, the group x power summary, the
validation ...) into the plain values a sentence quotes: counts, names, the best setting.
The notebook renders its prose from them (:func:`c6lab.narrative.prose`), so no number
in it is typed by hand and the text stays true on any corpus and with any parameters.
Every function accepts empty tables (a corpus without mentions, or without hand labels).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..lexicons import Lexicons, Power, resolve
from ..text import sentence_spans
from .facts_validation import (
    confusion_table,
    domain_effect,
    label_table,
    masking_facts,
    tone_caption,
    tone_stance_gaps,
    validation_facts,
    validation_warnings,
)
from .summary import group_labels, power_codes
from .validation import THRESHOLD

__all__ = [
    "absent_powers", "alias_table", "baseline_facts", "cell_facts", "confusion_table", "domain_changes",
    "domain_effect", "group_members", "label_table", "masking_facts", "mentions_per_group", "setting_extremes",
    "tone_caption", "tone_stance_gaps", "unreviewed_mentions", "validation_facts", "validation_warnings",
]


def group_members(segments: pd.DataFrame, group_by: str) -> list[dict]:
    """Each group (sorted) with the names of its speakers (sorted).

    Groups are labelled as in :func:`c6lab.sentiment.summarize_powers` (a segment with an
    empty ``group_by`` value is grouped by its kind, e.g. ``(quote)``).

    Examples
    --------
    >>> df = pd.DataFrame({"country": ["UZ", "AZ", "AZ"], "speaker": ["T", "S", "B"],
    ...                    "kind": "quote"})
    >>> group_members(df, "country")
    [{'group': 'AZ', 'speakers': ['B', 'S']}, {'group': 'UZ', 'speakers': ['T']}]
    """
    if segments.empty:
        return []
    df = segments.assign(_group=group_labels(segments, group_by))
    return [{"group": g, "speakers": sorted(s for s in set(part["speaker"]) if s)}
            for g, part in df.groupby("_group", sort=True)]


def alias_table(lexicons: Lexicons | None = None) -> pd.DataFrame:
    """Per power of ``powers.csv``: its name, aliases per type and how many are case-sensitive.

    Examples
    --------
    >>> t = alias_table()
    >>> t.columns.tolist()
    ['name', 'state', 'person', 'exclude', 'case-sensitive']
    >>> int(t.loc["US", "case-sensitive"]) > 0
    True
    """
    lex = resolve(lexicons)
    codes = list(lex.power_codes)
    types = ["state", "person", "exclude"]
    types += sorted({a.type for a in lex.aliases} - set(types))
    rows = []
    for p in lex.powers:
        own = [a for a in lex.aliases if a.power == p.code]
        rows.append([p.name, *(sum(a.type == t for a in own) for t in types),
                     sum(a.case_sensitive for a in own if a.type != "exclude")])
    return pd.DataFrame(rows, index=pd.Index(codes, name="code"), columns=["name", *types, "case-sensitive"])


def mentions_per_group(speech: pd.DataFrame, mentions: pd.DataFrame, powers: Sequence[str | Power],
                       group_by: str, lexicons: Lexicons | None = None) -> pd.DataFrame:
    """Mentions per group and power, with the speakers and sentences behind each group.

    Parameters
    ----------
    speech : DataFrame
        The segments analysed (``corpus.select(kinds)``).
    mentions : DataFrame
        :func:`c6lab.sentiment.find_mentions` of ``speech``.
    powers : sequence of str or Power
        Columns, in order (``corpus.lexicons.powers``); a power without a mention gets 0.
    group_by : str
    lexicons : Lexicons, optional
        For the sentence splitter (``corpus.lexicons``).

    Returns
    -------
    DataFrame
        Index: the groups (sorted); columns: one per power, ``all mentions``,
        ``n_speakers``, ``n_sentences`` and ``sentences with a mention`` (integers).

    Examples
    --------
    >>> speech = pd.DataFrame({"country": ["UZ", "KG"], "speaker_id": ["t", "o"], "kind": "quote",
    ...                        "segment_id": ["s1", "s2"], "text": ["China came. It left.", "Fine."]})
    >>> from c6lab.sentiment import find_mentions
    >>> t = mentions_per_group(speech, find_mentions(speech), ["US", "CN"], "country")
    >>> t.reset_index().values.tolist()
    [['KG', 0, 0, 0, 1, 1, 0], ['UZ', 0, 1, 1, 1, 2, 1]]
    """
    lex = resolve(lexicons)
    codes = power_codes(powers)
    s_group = group_labels(speech, group_by) if len(speech) else pd.Series(dtype=str)
    groups = sorted(set(s_group))
    m = mentions.assign(_group=group_labels(mentions, group_by) if len(mentions) else pd.Series(dtype=str))
    counts = m.groupby(["_group", "power"]).size()
    table = pd.DataFrame(
        [[int(counts.get((g, p), 0)) for p in codes] for g in groups], index=pd.Index(groups, name=group_by),
        columns=pd.Index(codes, name="power"), dtype="int64")
    table["all mentions"] = table[codes].sum(axis=1)
    table["n_speakers"] = [speech.loc[s_group == g, "speaker_id"].replace("", pd.NA).nunique() for g in groups]
    # summed in one pass over the segments, not one pass per group
    n_sentences = pd.Series([len(sentence_spans(t, lex)) for t in speech["text"]], dtype="int64")
    per_group = n_sentences.groupby(np.asarray(s_group, dtype=object)).sum() if len(speech) else {}
    table["n_sentences"] = [int(per_group.get(g, 0)) for g in groups]
    table["sentences with a mention"] = [m.loc[m["_group"] == g, "sentence_id"].nunique() for g in groups]
    return table.astype("int64")


def unreviewed_mentions(mentions: pd.DataFrame, segments: pd.DataFrame) -> int:
    """How many mentions lie in segments nobody has reviewed (proposals of ``c6lab corpus add``).

    Examples
    --------
    >>> segs = pd.DataFrame({"segment_id": ["a", "b"], "reviewed": [True, False]})
    >>> unreviewed_mentions(pd.DataFrame({"segment_id": ["a", "b", "b"]}), segs)
    2
    """
    if mentions.empty:
        return 0
    reviewed = segments.drop_duplicates("segment_id").set_index("segment_id")["reviewed"].astype(bool)
    return int((~mentions["segment_id"].map(reviewed).fillna(True).astype(bool)).sum())


def absent_powers(mentions: pd.DataFrame, all_mentions: pd.DataFrame,
                  powers: Iterable[Power]) -> list[dict]:
    """The powers never mentioned in ``mentions``, with where else the corpus mentions them.

    Returns one dict per such power, in the order of ``powers``: ``code``, ``name``,
    ``n_elsewhere`` (mentions in ``all_mentions``) and ``kinds`` (kind -> mentions).

    Examples
    --------
    >>> allm = pd.DataFrame({"power": ["US", "RU", "RU"], "kind": ["quote", "unrelated", "unrelated"]})
    >>> absent_powers(allm.iloc[:1], allm, [Power("US", "United States", "#000000"),
    ...                                     Power("RU", "Russia", "#000000")])
    [{'code': 'RU', 'name': 'Russia', 'n_elsewhere': 2, 'kinds': {'unrelated': 2}}]
    """
    said = set(mentions["power"]) if len(mentions) else set()
    out = []
    for p in powers:
        if p.code in said:
            continue
        where = all_mentions[all_mentions["power"] == p.code] if len(all_mentions) else all_mentions
        kinds = {str(k): int(n) for k, n in where["kind"].value_counts().sort_index().items()} if len(where) else {}
        out.append({"code": p.code, "name": p.name, "n_elsewhere": len(where), "kinds": kinds})
    return out


def cell_facts(summary: pd.DataFrame, min_n: int = 5) -> dict:
    """How much each group x power cell of a summary rests on.

    ``summary`` is one method and lexicon of :func:`c6lab.sentiment.summarize_powers`.
    Returns ``n_cells`` (cells with a mention), ``n_mentions``, ``min_n``/``max_n``
    (mentions per cell), ``n_thin`` (cells with fewer than ``min_n`` mentions, muted in
    the heatmap), ``n_single`` (one mention: no interval), ``n_shared`` (cells where
    mentions share a sentence), ``max_speakers`` and ``several_speakers`` (the cells of
    more than one speaker, as ``{"group", "power", "n_speakers"}``).

    Examples
    --------
    >>> s = pd.DataFrame({"group": ["AZ", "AZ", "KG"], "power": ["US", "EU", "US"],
    ...                   "n_mentions": [1, 2, 0], "n_sentences": [1, 1, 0], "n_speakers": [1, 2, 0]})
    >>> f = cell_facts(s)
    >>> f["n_cells"], f["n_mentions"], f["n_shared"], f["several_speakers"]
    (2, 3, 1, [{'group': 'AZ', 'power': 'EU', 'n_speakers': 2}])
    """
    cells = summary[summary["n_mentions"] > 0] if len(summary) else summary
    n = cells["n_mentions"].astype(int) if len(cells) else pd.Series(dtype=int)
    several = cells[cells["n_speakers"] > 1] if len(cells) else cells
    return {
        "n_cells": len(cells), "n_mentions": int(n.sum()),
        "min_n": int(n.min()) if len(n) else 0, "max_n": int(n.max()) if len(n) else 0,
        "threshold": min_n, "n_thin": int((n < min_n).sum()), "n_single": int((n == 1).sum()),
        "n_shared": int((cells["n_sentences"] < cells["n_mentions"]).sum()) if len(cells) else 0,
        "max_speakers": int(cells["n_speakers"].max()) if len(cells) else 0,
        "several_speakers": [{"group": r.group, "power": r.power, "n_speakers": int(r.n_speakers)}
                             for r in several.itertuples(index=False)],
    }


def baseline_facts(baselines: pd.DataFrame, names: pd.Series, threshold: float = THRESHOLD) -> dict:
    """Which speakers write positively anyway (baseline >= ``threshold``), and on how little.

    ``baselines`` is :func:`c6lab.sentiment.speaker_baselines`; ``names`` maps a voice
    (speaker id) to a name. Returns ``positive`` and ``one_sentence`` (names, in the
    table's order), ``lowest`` (the name with the lowest baseline, or None) and
    ``n_without`` (speakers with no sentence without a mention).

    Examples
    --------
    >>> b = pd.DataFrame({"voice": ["a", "b"], "n_sentences": [1, 9], "baseline": [0.46, 0.01]})
    >>> baseline_facts(b, pd.Series({"a": "Ann", "b": "Bo"}))
    {'positive': ['Ann'], 'one_sentence': ['Ann'], 'lowest': 'Bo', 'n_without': 0}
    """
    b = baselines.assign(name=baselines["voice"].map(names).fillna(baselines["voice"]))
    known = b[b["baseline"].notna()]
    return {
        "positive": known.loc[known["baseline"] >= threshold, "name"].tolist(),
        "one_sentence": b.loc[b["n_sentences"] == 1, "name"].tolist(),
        "lowest": known.loc[known["baseline"].idxmin(), "name"] if len(known) else None,
        "n_without": int(b["baseline"].isna().sum()),
    }


def domain_changes(vader_domain: Iterable[tuple], lexicon: dict[str, float]) -> dict:
    """What a ``vader_domain.csv`` does to VADER's lexicon: words it adds, changes and removes.

    ``vader_domain`` is :attr:`c6lab.Lexicons.vader_domain` (word, valence, note);
    ``lexicon`` is VADER's own (:func:`c6lab.sentiment.vader_lexicon`). Each list holds
    ``(word, valence)`` pairs (for ``changed``: ``(word, VADER's, new)``), in file order.

    Examples
    --------
    >>> domain_changes([("cooperation", 1.2, ""), ("like", 0.0, ""), ("dominance", -1.0, "")],
    ...                {"like": 1.5, "dominance": 0.8})
    {'added': [('cooperation', 1.2)], 'changed': [('dominance', 0.8, -1.0)], 'removed': [('like', 1.5)]}
    """
    added, changed, removed = [], [], []
    for word, value, *_ in vader_domain:
        if value == 0:
            if word in lexicon:
                removed.append((word, lexicon[word]))
        elif word not in lexicon:
            added.append((word, value))
        elif lexicon[word] != value:
            changed.append((word, lexicon[word], value))
    return {"added": added, "changed": changed, "removed": removed}


def setting_extremes(scores: pd.DataFrame, group_by: str, threshold: float = THRESHOLD) -> dict:
    """Group x power means over several settings: the lowest and highest, and which fall in
    VADER's classes.

    ``scores`` holds scored mentions of several settings (columns ``group_by, power,
    lexicon, method, compound``). Returns ``n_settings``, ``n_cells`` (group x power
    cells), ``lowest``/``highest`` (``{"group", "power", "setting", "mean"}``),
    ``negative`` (cells whose mean is at or below ``-threshold`` in at least one setting)
    and ``positive_everywhere`` (cells at or above ``threshold`` in every setting).

    Examples
    --------
    >>> s = pd.DataFrame({"country": ["KG", "KG"], "power": ["EU", "EU"], "lexicon": "vader",
    ...                   "method": ["a", "b"], "compound": [-0.07, 0.2]})
    >>> f = setting_extremes(s, "country")
    >>> f["lowest"], f["negative"]
    ({'group': 'KG', 'power': 'EU', 'setting': 'a, vader', 'mean': -0.07}, ['KG × EU'])
    """
    empty = {"n_settings": 0, "n_cells": 0, "lowest": None, "highest": None, "negative": [],
             "positive_everywhere": []}
    if scores.empty:
        return empty
    df = scores.assign(_group=group_labels(scores, group_by))
    means = df.groupby(["_group", "power", "lexicon", "method"], sort=False)["compound"].mean().reset_index()
    means["setting"] = means["method"].astype(str) + ", " + means["lexicon"].astype(str)
    means["cell"] = means["_group"].astype(str) + " × " + means["power"].astype(str)

    def row(i) -> dict:
        r = means.loc[i]
        return {"group": r["_group"], "power": r["power"], "setting": r["setting"], "mean": float(r["compound"])}

    cells = means.groupby("cell", sort=False)["compound"]
    return {
        "n_settings": int(means["setting"].nunique()), "n_cells": int(means["cell"].nunique()),
        "lowest": row(means["compound"].idxmin()), "highest": row(means["compound"].idxmax()),
        "negative": [c for c, x in cells.min().items() if x <= -threshold],
        "positive_everywhere": [c for c, x in cells.min().items() if x >= threshold],
    }
