"""The rule for choosing the topic model and K from the :func:`select_k` table, as code.

The rule (the one the topic notebook states):

1. **Model**: the model whose subsample stability, averaged over the K tried, is highest
   (ties: higher mean NPMI). Topics that change when a fifth of the documents is left out
   are not findings.
2. **K**: among that model's K whose topics are more coherent than chance (mean NPMI > 0),
   the K with the highest subsample stability; K values whose stability is within
   ``tolerance`` of it count as equally stable, and the largest of them is taken (the
   finest reading the data support). If no K has positive NPMI, the K with the highest
   NPMI.

It is a rule, not a discovery of "the number of themes": the notebook shows the table it
was applied to, and the stability differences it rests on are often no larger than the
spread over subsamples (``stability_sd``).
"""

from __future__ import annotations

import pandas as pd

TOLERANCE = 0.05


def _check(selection: pd.DataFrame) -> None:
    missing = {"model", "k", "npmi", "stability"} - set(selection.columns)
    if missing:
        raise ValueError(f"selection needs the columns {sorted(missing)} (the table select_k returns)")
    if selection.empty:
        raise ValueError("selection is empty: select_k fitted no model")


def suggest_model(selection: pd.DataFrame) -> str:
    """Step 1 of the rule: the model with the highest mean subsample stability over K."""
    _check(selection)
    means = selection.groupby("model", sort=True)[["stability", "npmi"]].mean()
    return str(means.sort_values(["stability", "npmi"], ascending=False, kind="stable").index[0])


def suggest_k(selection: pd.DataFrame, model: str | None = None, tolerance: float = TOLERANCE) -> tuple[str, int]:
    """Apply the rule (module description) to a :func:`select_k` table; return ``(model, k)``.

    Parameters
    ----------
    selection : DataFrame
        The table :func:`c6lab.topics.select_k` returns.
    model : {"nmf", "lda"}, optional
        Choose K for this model; default: step 1 of the rule.
    tolerance : float
        Stability differences up to this count as ties (the larger K is taken).

    Examples
    --------
    >>> table = pd.DataFrame({"model": ["nmf"] * 4 + ["lda"] * 4, "k": [2, 3, 4, 5] * 2,
    ...                       "npmi": [-0.1, 0.07, 0.10, 0.11, -0.05, 0.0, 0.03, -0.1],
    ...                       "stability": [0.61, 0.61, 0.48, 0.49, 0.48, 0.41, 0.37, 0.32]})
    >>> suggest_k(table)
    ('nmf', 3)
    """
    _check(selection)
    model = model or suggest_model(selection)
    rows = selection[selection["model"] == model]
    if rows.empty:
        raise ValueError(f"no row for model {model!r} in the selection table")
    coherent = rows[rows["npmi"] > 0]
    if coherent.empty:
        best = rows.sort_values(["npmi", "k"], ascending=[False, True], kind="stable").iloc[0]
        return model, int(best["k"])
    top = coherent["stability"].max()
    ties = coherent[coherent["stability"] >= top - tolerance]
    return model, int(ties["k"].max())


def explain_k(selection: pd.DataFrame, model: str, k: int, tolerance: float = TOLERANCE) -> str:
    """One or two sentences (Markdown) saying why the rule gives ``(model, k)``, with this table's numbers.

    Examples
    --------
    >>> table = pd.DataFrame({"model": ["nmf", "nmf", "lda", "lda"], "k": [2, 3, 2, 3],
    ...                       "npmi": [-0.1, 0.07, -0.05, 0.01], "stability": [0.61, 0.6, 0.48, 0.41]})
    >>> first, second = explain_k(table, *suggest_k(table)).split(". ")
    >>> first
    'NMF has the higher mean subsample stability over K (0.605, against 0.445 for LDA)'
    >>> second
    'Among its K with mean NPMI above 0 (K = 3), K = 3 is the most stable (0.6); no larger K is within 0.05 of it.'
    """
    _check(selection)
    means = selection.groupby("model", sort=True)["stability"].mean()
    others = ", ".join(f"{means[m]:.3g} for {m.upper()}" for m in means.index if m != model)
    parts = [f"{model.upper()} has the higher mean subsample stability over K ({means[model]:.3g}"
             + (f", against {others})." if others else ").")]
    rows = selection[selection["model"] == model]
    coherent = rows[rows["npmi"] > 0]
    if coherent.empty:
        parts.append(f"No K has mean NPMI above 0, so K = {k} is the one with the highest NPMI "
                     f"({rows.set_index('k').loc[k, 'npmi']:.3g}): no K gives topics more coherent than chance.")
    else:
        ks = ", ".join(str(int(v)) for v in coherent["k"])
        stab = coherent.set_index("k")["stability"]
        top_k = int(stab.idxmax())
        if top_k == k:
            parts.append(f"Among its K with mean NPMI above 0 (K = {ks}), K = {k} is the most stable "
                         f"({stab[k]:.3g}); no larger K is within {tolerance:g} of it.")
        else:
            parts.append(f"Among its K with mean NPMI above 0 (K = {ks}), K = {top_k} is the most stable "
                         f"({stab[top_k]:.3g}) and K = {k} ({stab[k]:.3g}) is the largest K within "
                         f"{tolerance:g} of it.")
    return " ".join(parts)
