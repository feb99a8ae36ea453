"""What the tone notebook says about the validation, computed from this run's tables.

The part of :mod:`c6lab.sentiment.facts` about the hand labels: the label mix, the
measures with their intervals, the warnings (few labels, no clear gain over the
majority baseline), the caption under every tone figure, and the labelled sentences where
tone and stance part ways. Every function accepts a corpus without hand labels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..narrative import prose
from .validation import LABELS, THRESHOLD, label_from_compound


def label_table(mentions: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Hand labels per kind of segment (integers, with totals), for the mentions found.

    Mentions without a label are left out. The kind comes from the mention, so a gold
    file with only the required columns will do.

    Examples
    --------
    >>> m = pd.DataFrame({"mention_id": ["a", "b", "c"], "kind": ["quote", "quote", "unrelated"]})
    >>> g = pd.DataFrame({"mention_id": ["a", "c"], "label": [1, 0]})
    >>> label_table(m, g).values.tolist()
    [[0, 0, 1, 1], [0, 1, 0, 1], [0, 1, 1, 2]]
    """
    df = mentions[["mention_id", "kind"]].merge(gold[["mention_id", "label"]], on="mention_id")
    kinds = sorted(set(df["kind"]))
    counts = df.groupby(["kind", "label"]).size()
    table = pd.DataFrame([[int(counts.get((k, v), 0)) for v in LABELS] for k in kinds],
                         index=pd.Index(kinds, name="kind"), columns=pd.Index(list(LABELS), name="label"),
                         dtype="int64")
    table["All"] = table.sum(axis=1)
    table.loc["All"] = table.sum(axis=0)
    return table.astype("int64")


def confusion_table(confusion: pd.DataFrame, lexicon: str = "vader") -> pd.DataFrame:
    """One lexicon of :func:`c6lab.sentiment.confusion` as counts: (method, gold) x predicted.

    Examples
    --------
    >>> c = pd.DataFrame({"method": "m", "lexicon": "vader", "gold": [1, 1], "predicted": [1, 0],
    ...                   "n": [3, 1]})
    >>> confusion_table(c).values.tolist()
    [[1, 3]]
    """
    part = confusion[confusion["lexicon"] == lexicon]
    table = part.pivot_table(index=["method", "gold"], columns="predicted", values="n", aggfunc="sum",
                             sort=False, fill_value=0)
    return table.reindex(columns=sorted(table.columns)).astype("int64").rename_axis(columns="predicted →")


def _settings(validation: pd.DataFrame) -> pd.DataFrame:
    v = validation.copy()
    v["setting"] = v["method"].astype(str) + ", " + v["lexicon"].astype(str)
    v["n_correct"] = (v["accuracy"] * v["n_mentions"]).round().astype(int)
    return v


def _labelled(validation: pd.DataFrame) -> bool:
    return not validation.empty and int(validation["n_mentions"].max()) > 0


def validation_warnings(validation: pd.DataFrame, min_n: int = 100) -> dict:
    """The warnings a reader of the validation needs: too few labels, no clear gain over the baseline.

    Returns ``n_labelled``, ``min_n``, ``few`` (fewer than ``min_n`` labelled mentions),
    ``n_settings`` (with a labelled mention), ``overlap`` (settings whose macro-F1 interval
    overlaps the majority baseline's) and ``not_above`` (settings whose accuracy interval
    does not lie above the baseline's accuracy). Settings are written ``method (lexicon)``.

    Examples
    --------
    >>> v = pd.DataFrame({"method": ["a", "b"], "lexicon": "vader", "n_mentions": 34, "accuracy": [0.5, 0.9],
    ...     "accuracy_ci_low": [0.34, 0.8], "macro_f1_ci_low": [0.3, 0.6], "macro_f1_ci_high": [0.7, 0.9],
    ...     "baseline_accuracy": 0.74, "baseline_macro_f1_ci_low": 0.25, "baseline_macro_f1_ci_high": 0.31})
    >>> validation_warnings(v)
    {'n_labelled': 34, 'min_n': 100, 'few': True, 'n_settings': 2, 'overlap': ['a (vader)'], 'not_above': ['a (vader)']}
    """
    if not _labelled(validation):
        return {"n_labelled": 0, "min_n": min_n, "few": True, "n_settings": 0, "overlap": [], "not_above": []}
    v = _settings(validation[validation["n_mentions"] > 0])
    v["setting"] = v["method"].astype(str) + " (" + v["lexicon"].astype(str) + ")"
    overlap = (v["macro_f1_ci_low"] <= v["baseline_macro_f1_ci_high"]) & (
        v["baseline_macro_f1_ci_low"] <= v["macro_f1_ci_high"])
    n = int(v["n_mentions"].max())
    return {"n_labelled": n, "min_n": min_n, "few": n < min_n, "n_settings": len(v),
            "overlap": v.loc[overlap, "setting"].tolist(),
            "not_above": v.loc[~(v["accuracy_ci_low"] > v["baseline_accuracy"]), "setting"].tolist()}


def validation_facts(validation: pd.DataFrame, confusion: pd.DataFrame, method: str,
                     lexicon: str = "vader", min_n: int = 100) -> dict:
    """What the validation shows, for prose: the baseline, the best settings, the headline, the warnings.

    Parameters
    ----------
    validation : DataFrame
        :func:`c6lab.sentiment.evaluate` output (several methods and lexicons, possibly
        both evaluations concatenated).
    confusion : DataFrame
        :func:`c6lab.sentiment.confusion` of the same scores.
    method, lexicon : str
        The headline setting.
    min_n : int
        Fewer labelled mentions than this is warned about (:func:`validation_warnings`).

    Returns
    -------
    dict
        ``n_labelled`` (0: nothing else), ``n_unlabelled``, ``labels`` (label -> n),
        ``majority_label``, ``majority_accuracy`` and ``majority_f1`` (the baseline),
        ``beating`` (settings whose accuracy exceeds the baseline's), ``best_accuracy`` and
        ``best_f1`` (``{"settings": [...], "value": x}``; ties list every setting),
        ``headline`` and ``methods`` (per setting: ``accuracy, accuracy_ci, macro_f1,
        macro_f1_ci, kappa, evaluation, n_correct`` and, from the confusion counts,
        ``neutral_positive, neutral_negative, positive_found, negative_found``) and
        ``warnings``.

    Examples
    --------
    >>> import c6lab.sentiment as S
    >>> s = pd.DataFrame({"mention_id": list("abcd"), "power": "US", "alias": "US", "method": "m",
    ...                   "lexicon": "vader", "compound": [0.5, 0.0, 0.3, 0.0]})
    >>> g = pd.DataFrame({"mention_id": list("abcd"), "power": "US", "alias": "US", "label": [1, 0, 0, 0]})
    >>> f = validation_facts(S.evaluate(s, g, n_boot=99), S.confusion(s, g), "m")
    >>> f["n_labelled"], f["majority_label"], f["beating"], f["methods"]["m, vader"]["neutral_positive"]
    (4, 0, [], 1)
    """
    if not _labelled(validation):
        n_un = int(validation["n_unlabelled"].max()) if len(validation) else 0
        return {"n_labelled": 0, "n_unlabelled": n_un}
    v = _settings(validation[validation["n_mentions"] > 0])
    first = v.iloc[0]
    methods = {}
    for r in v.itertuples(index=False):
        c = confusion[(confusion["method"] == r.method) & (confusion["lexicon"] == r.lexicon)]
        cell = c.set_index(["gold", "predicted"])["n"]
        methods[r.setting] = {
            "method": r.method, "lexicon": r.lexicon, "evaluation": r.evaluation, "n_mentions": int(r.n_mentions),
            "accuracy": float(r.accuracy), "accuracy_ci": (float(r.accuracy_ci_low), float(r.accuracy_ci_high)),
            "macro_f1": float(r.macro_f1), "macro_f1_ci": (float(r.macro_f1_ci_low), float(r.macro_f1_ci_high)),
            "kappa": float(r.kappa), "n_correct": int(r.n_correct),
            "neutral_positive": int(cell.get((0, 1), 0)), "neutral_negative": int(cell.get((0, -1), 0)),
            "positive_found": int(cell.get((1, 1), 0)), "negative_found": int(cell.get((-1, -1), 0)),
        }

    def best(col: str) -> dict:
        top = v[col].round(9).max()
        return {"settings": v.loc[v[col].round(9) == top, "setting"].tolist(), "value": float(top)}

    headline = methods.get(f"{method}, {lexicon}")
    return {
        "n_labelled": int(v["n_mentions"].max()), "n_unlabelled": int(v["n_unlabelled"].max()),
        "labels": {-1: int(first["n_negative"]), 0: int(first["n_neutral"]), 1: int(first["n_positive"])},
        "majority_label": int(first["baseline_label"]), "majority_accuracy": float(first["baseline_accuracy"]),
        "majority_f1": float(first["baseline_macro_f1"]),
        "majority_f1_ci": (float(first["baseline_macro_f1_ci_low"]), float(first["baseline_macro_f1_ci_high"])),
        "beating": v.loc[v["accuracy"] > first["baseline_accuracy"] + 1e-12, "setting"].tolist(),
        "best_accuracy": best("accuracy"), "best_f1": best("macro_f1"),
        "headline": headline, "methods": methods, "warnings": validation_warnings(validation, min_n),
    }


def tone_caption(validation: pd.DataFrame, method: str, lexicon: str = "vader", min_n: int = 100) -> str:
    """One line for under a tone figure: how the method used agrees with the hand labels.

    Built from the validation row of ``method`` and ``lexicon`` (rounded to two decimals):
    accuracy and macro-F1 with their 95% intervals, kappa, and the majority baseline; or
    that there are no hand labels.

    Examples
    --------
    >>> v = pd.DataFrame({"method": "m", "lexicon": "vader", "n_mentions": [34], "accuracy": 0.529,
    ...     "accuracy_ci_low": 0.367, "accuracy_ci_high": 0.685, "macro_f1": 0.517, "macro_f1_ci_low": 0.294,
    ...     "macro_f1_ci_high": 0.7051, "kappa": 0.292, "baseline_label": 0, "baseline_accuracy": 0.7353,
    ...     "baseline_macro_f1": 0.282})
    >>> print(tone_caption(v, "m"))  # doctest: +NORMALIZE_WHITESPACE
    Tone is not stance. Against 34 hand labels of stance: m (vader) accuracy 0.53 [0.37, 0.69], macro-F1 0.52
    [0.29, 0.71], kappa 0.29; always answering 0: accuracy 0.74, macro-F1 0.28. Fewer than 100 labels: wide
    intervals.
    """
    row = validation[(validation["method"] == method) & (validation["lexicon"] == lexicon)] if len(
        validation) else validation
    if row.empty or int(row["n_mentions"].iloc[0]) == 0:
        return "Tone is not stance, and this corpus has no hand labels of stance: these scores are not validated."
    r = row.iloc[0]
    base = int(r["baseline_label"])
    return prose("""Tone is not stance. Against {{ r.n_mentions }} hand labels of stance: {{ method }} ({{ lexicon }})
accuracy {{ r.accuracy | number }} [{{ r.accuracy_ci_low | number }}, {{ r.accuracy_ci_high | number }}], macro-F1
{{ r.macro_f1 | number }} [{{ r.macro_f1_ci_low | number }}, {{ r.macro_f1_ci_high | number }}], kappa
{{ r.kappa | number }}; always answering {{ base }}: accuracy {{ r.baseline_accuracy | number }}, macro-F1
{{ r.baseline_macro_f1 | number }}.{% if r.n_mentions < min_n %} Fewer than {{ min_n }} labels: wide intervals.{%
endif %}""", r=r, method=method, lexicon=lexicon, base=f"{base:+d}" if base else "0", min_n=min_n).replace("\n", " ")


def tone_stance_gaps(scored: pd.DataFrame, gold: pd.DataFrame, min_abs: float = 0.5,
                     threshold: float = THRESHOLD, top_n: int | None = None) -> pd.DataFrame:
    """Labelled mentions where the lexicon tone and the hand-labelled stance part ways, by rule.

    Two kinds, each sorted by ``|c|`` (largest first, then ``mention_id``):

    * ``opposite sign``: a stance of -1 or +1 and a tone of the other sign beyond the
      neutral band (``c * label < 0`` and ``|c| >= threshold``), e.g. a criticism of a
      power scored positive;
    * ``tone without stance``: a stance of 0 and ``|c| >= min_abs``.

    Parameters
    ----------
    scored : DataFrame
        One method and lexicon of :func:`c6lab.sentiment.score_mentions`.
    gold : DataFrame
        :func:`c6lab.sentiment.read_gold`.
    min_abs, threshold : float
    top_n : int, optional
        At most this many rows per kind.

    Returns
    -------
    DataFrame
        ``kind, mention_id``, the power, alias and speaker columns present, ``label``,
        ``compound`` and ``sentence``.

    Examples
    --------
    >>> s = pd.DataFrame({"mention_id": list("abc"), "power": "US", "compound": [0.6, -0.7, 0.0],
    ...                   "sentence": ["x", "y", "z"]})
    >>> g = pd.DataFrame({"mention_id": list("abc"), "label": [-1, 0, 1]})
    >>> tone_stance_gaps(s, g)[["kind", "mention_id"]].values.tolist()
    [['opposite sign', 'a'], ['tone without stance', 'b']]
    """
    cols = [c for c in ("mention_id", "power", "alias", "speaker", "kind") if c in scored.columns]
    df = scored.drop(columns=["label"], errors="ignore").merge(gold[["mention_id", "label"]], on="mention_id")
    df = df.rename(columns={"kind": "segment_kind"}) if "kind" in df else df
    cols = ["segment_kind" if c == "kind" else c for c in cols]
    c, lab = df["compound"].astype(float), df["label"].astype(int)
    kind = np.select([(lab != 0) & (c * lab < 0) & (c.abs() >= threshold), (lab == 0) & (c.abs() >= min_abs)],
                     ["opposite sign", "tone without stance"], "")
    out = df.assign(kind=kind, _abs=c.abs())
    out = out[out["kind"] != ""].sort_values(["kind", "_abs", "mention_id"], ascending=[True, False, True])
    if top_n is not None:
        out = out.groupby("kind", sort=False).head(top_n)
    return out[["kind", *cols, "label", "compound", "sentence"]].reset_index(drop=True)


def domain_effect(validation: pd.DataFrame) -> list[dict]:
    """Per method: correctly labelled mentions without and with the domain lexicon.

    Examples
    --------
    >>> v = pd.DataFrame({"method": ["m", "m"], "lexicon": ["vader", "vader+domain"],
    ...                   "n_mentions": [4, 4], "accuracy": [0.5, 0.75]})
    >>> domain_effect(v)
    [{'method': 'm', 'plain': 2, 'domain': 3, 'change': 1}]
    """
    if not _labelled(validation):
        return []
    v = _settings(validation[validation["n_mentions"] > 0])
    out = []
    for method, part in v.groupby("method", sort=False):
        by = part.set_index("lexicon")["n_correct"]
        if {"vader", "vader+domain"} <= set(by.index):
            out.append({"method": method, "plain": int(by["vader"]), "domain": int(by["vader+domain"]),
                        "change": int(by["vader+domain"] - by["vader"])})
    return out


def masking_facts(masking: pd.DataFrame) -> dict:
    """What masking did to the mentions of a table with ``naive_sentence``, ``masked_sentence``,
    ``gold`` (NaN: no label) and ``sentence`` columns.

    Returns ``n_mentions``, ``n_sentences``, ``n_changed`` (score differs), and
    ``agree_naive``/``agree_masked`` (mentions whose implied label equals the hand label).

    Examples
    --------
    >>> t = pd.DataFrame({"naive_sentence": [0.42, 0.9], "masked_sentence": [0.0, 0.9],
    ...                   "gold": [0, 1], "sentence": ["a", "b"]})
    >>> masking_facts(t)
    {'n_mentions': 2, 'n_sentences': 2, 'n_changed': 1, 'agree_naive': 1, 'agree_masked': 2}
    """
    if masking.empty:
        return {"n_mentions": 0, "n_sentences": 0, "n_changed": 0, "agree_naive": 0, "agree_masked": 0}
    gold = masking["gold"]
    return {
        "n_mentions": len(masking), "n_sentences": int(masking["sentence"].nunique()),
        "n_changed": int((masking["naive_sentence"] != masking["masked_sentence"]).sum()),
        "agree_naive": int((label_from_compound(masking["naive_sentence"]).to_numpy() == gold).sum()),
        "agree_masked": int((label_from_compound(masking["masked_sentence"]).to_numpy() == gold).sum()),
    }
