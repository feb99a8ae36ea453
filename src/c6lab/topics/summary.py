"""Which model and K a run shows, and why, in words built from the :func:`select_k` table.

:func:`resolve_choice` applies the rule of :mod:`c6lab.topics.choice` unless the user set
the model or K, and says which it was; :func:`skipped_sentence` says which K could not be
fitted. Both return Markdown for a notebook's prose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from .choice import TOLERANCE, explain_k, suggest_k, suggest_model


@dataclass(frozen=True)
class Choice:
    """The model and K a run shows.

    Attributes
    ----------
    model, k : the model and number of topics shown
    rule_model, rule_k : what the rule (:func:`c6lab.topics.suggest_k`) gives on its own
    set_by : ``"rule"``, ``"chosen_model"``, ``"chosen_k"`` or ``"chosen_model and chosen_k"``
        (the parameters the user set)
    available : bool
        Whether the selection table has a row for ``(model, k)``: False when that K was
        skipped (:func:`c6lab.topics.k_problems`) or not tried.
    explanation : str
        Markdown: what was chosen, by whom, and the numbers the rule rests on.
    """

    model: str
    k: int
    rule_model: str
    rule_k: int
    set_by: str
    available: bool
    explanation: str


def _model_sentence(selection: pd.DataFrame, model: str, k: int, tolerance: float) -> tuple[str, str]:
    """explain_k split into its sentence about the model and the one(s) about K."""
    head, _, rest = explain_k(selection, model, k, tolerance).partition(". ")
    if selection["model"].nunique() == 1:
        head = f"{model.upper()} is the only model fitted (`models`)"
    return head + ".", rest


def resolve_choice(selection: pd.DataFrame, chosen_model: str | None = None, chosen_k: int | None = None,
                   skipped: Mapping[int, str] | None = None, tolerance: float = TOLERANCE) -> Choice:
    """The model and K to show: the rule's, or the user's where the user set them.

    Parameters
    ----------
    selection : DataFrame
        :func:`c6lab.topics.select_k` (not empty).
    chosen_model, chosen_k : optional
        The notebook's parameters; None leaves the choice to the rule (with a model but
        no K, the rule chooses K for that model).
    skipped : dict, optional
        ``{k: reason}`` of the K that could not be fitted (``selection.attrs["skipped"]``),
        to say why a K the user set is missing.
    tolerance : float
        The rule's tolerance (:func:`c6lab.topics.suggest_k`).

    Examples
    --------
    >>> table = pd.DataFrame({"model": ["nmf", "nmf", "lda", "lda"], "k": [2, 3, 2, 3],
    ...                       "npmi": [-0.1, 0.07, -0.05, 0.01], "stability": [0.61, 0.6, 0.48, 0.41]})
    >>> c = resolve_choice(table)
    >>> c.model, c.k, c.set_by
    ('nmf', 3, 'rule')
    >>> for sentence in c.explanation.split(". "):
    ...     print(sentence)
    **NMF with K = 3**, chosen by the rule (`c6lab.topics.suggest_k`, see docs/methods.md)
    NMF has the higher mean subsample stability over K (0.605, against 0.445 for LDA)
    Among its K with mean NPMI above 0 (K = 3), K = 3 is the most stable (0.6); no larger K is within 0.05 of it.
    >>> for sentence in resolve_choice(table, chosen_k=2).explanation.split(". "):  # doctest: +ELLIPSIS
    ...     print(sentence)
    **NMF with K = 2**: K was set with `chosen_k`; the model is the rule's: NMF has the higher ... for LDA)
    The rule alone would choose NMF with K = 3.
    """
    if selection.empty:
        raise ValueError("the selection table is empty: no K could be fitted")
    rule_model, rule_k = suggest_k(selection, tolerance=tolerance)
    model = chosen_model or (rule_model if chosen_k is None else suggest_model(selection))
    given = [name for name, v in (("chosen_model", chosen_model), ("chosen_k", chosen_k)) if v is not None]
    set_by = " and ".join(given) or "rule"
    if chosen_k is None:
        k = suggest_k(selection, model=model, tolerance=tolerance)[1] if model in set(selection["model"]) else None
    else:
        k = int(chosen_k)
    available = k is not None and bool(((selection["model"] == model) & (selection["k"] == k)).any())
    title = f"**{model.upper()} with K = {k}**" if k is not None else f"**{model.upper()}**"
    if not available:
        why = (skipped or {}).get(k) if k is not None else None
        text = (f"{title} was set with `{set_by}`, but the selection table has no such model: "
                + (f"{why}." if why else "it was not fitted (see `models`, `k_min` and `k_max`).")
                + f" The rule alone would choose {rule_model.upper()} with K = {rule_k}.")
        return Choice(model, k if k is not None else rule_k, rule_model, rule_k, set_by, False, text)
    if set_by == "rule":
        head, rest = _model_sentence(selection, model, k, tolerance)
        text = f"{title}, chosen by the rule (`c6lab.topics.suggest_k`, see docs/methods.md). {head} {rest}"
    elif chosen_k is None:
        rest = _model_sentence(selection, model, k, tolerance)[1]
        text = f"{title}: the model was set with `chosen_model`, and the rule chose K for it. {rest}"
    elif chosen_model is None:
        head = _model_sentence(selection, rule_model, rule_k, tolerance)[0]
        text = f"{title}: K was set with `chosen_k`; the model is the rule's: {head}"
    else:
        text = f"{title}: the model and K were set with `chosen_model` and `chosen_k`."
    if set_by != "rule" and (model, k) != (rule_model, rule_k):
        text += f" The rule alone would choose {rule_model.upper()} with K = {rule_k}."
    elif set_by != "rule":
        text += " The rule alone would choose the same."
    return Choice(model, int(k), rule_model, rule_k, set_by, True, text.strip())


def skipped_sentence(skipped: Mapping[int, str]) -> str:
    """One sentence per K that could not be fitted, or an empty string.

    Examples
    --------
    >>> skipped_sentence({5: "K = 5 is more than the 4 documents"})
    'K = 5 was not fitted: K = 5 is more than the 4 documents.'
    >>> skipped_sentence({})
    ''
    """
    return " ".join(f"K = {k} was not fitted: {why}." for k, why in sorted(skipped.items()))
