"""Keyword comparison: which words does one group of commentators use distinctively?

Three statistics per word and comparison, all from the same 2x2 table of counts
(``count_group``, ``count_reference``) and token totals (``n_group``, ``n_reference``):

Fightin' Words (Monroe, Colaresi & Quinn 2008)
    log-odds ratio with an informative Dirichlet prior, ``alpha_w = alpha0 * pi_w``,
    where ``pi_w`` is the share of ``w`` among all tokens of the two sides being
    compared (the pooled corpus of the comparison). With ``y`` counts and ``n`` totals::

        delta_w = log((y_wi + a_w) / (n_i + a0 - y_wi - a_w))
                - log((y_wj + a_w) / (n_j + a0 - y_wj - a_w))
        Var(delta_w) ~= 1 / (y_wi + a_w) + 1 / (y_wj + a_w)
        z_w = delta_w / sqrt(Var(delta_w))

    This is the paper's two-term variance (scattertext uses a four-term one).
Signed G2 (log-likelihood) keyness with Williams' correction
    ``G2 = 2 * sum(O * ln(O / E))`` over the 2x2 table, divided by Williams' ``q``,
    positive when the group uses the word more than expected; p-value from the
    chi-square distribution with 1 degree of freedom.
Log Ratio (Hardie 2014)
    ``log2((a / n_group) / (b / n_reference))``, the log of the ratio of relative
    frequencies; a zero count is replaced by 0.5 (non-zero counts are used as they are),
    so a word absent from one side has a finite value.

The data path: ``corpus.select(kinds)`` -> :func:`c6lab.dfm` (the corpus's word lists)
-> :func:`keyness` with any grouping document variable, one-vs-rest and/or pairwise, one
long table. :func:`leave_one_out`, :func:`bootstrap_top_words` and :func:`prior_ranks`
check how much the top words depend on one speaker, on a few sentences or on the prior;
:func:`robustness_table` combines them. :mod:`c6lab.keywords.summary` reads the facts a
sentence about these tables quotes (:func:`survivors`, :func:`strong_words` ...).

Examples
--------
>>> import c6lab
>>> corpus = c6lab.open_corpus()
>>> counts = c6lab.dfm(corpus.select(["quote", "paraphrase"]), corpus.lexicons)
>>> top = top_keywords(keyness(counts, group_by="country"), top_n=1)
>>> top[["group", "word", "count_group", "count_reference"]].values.tolist()
[['AZ', 'meetings', 6, 0], ['KG', 'south_caucasus', 6, 1], ['UZ', 'uzbekistan', 6, 0]]
"""

from .robustness import (
    LOO_COLUMNS,
    LOO_STATUS,
    bootstrap_top_words,
    keyword_concordance,
    leave_one_out,
    prior_ranks,
    robustness_table,
)
from .statistics import (
    COLUMNS,
    DESIGNS,
    EXTRA_COLUMNS,
    fightin_words,
    g2_keyness,
    group_summary,
    keyness,
    log_ratio,
    rank_by,
    top_keywords,
)
from .summary import concordance_table, largest_tie, leave_one_out_summary, strong_words, survivors

__all__ = [
    "COLUMNS",
    "DESIGNS",
    "EXTRA_COLUMNS",
    "LOO_COLUMNS",
    "LOO_STATUS",
    "bootstrap_top_words",
    "concordance_table",
    "fightin_words",
    "g2_keyness",
    "group_summary",
    "keyness",
    "keyword_concordance",
    "largest_tie",
    "leave_one_out",
    "leave_one_out_summary",
    "log_ratio",
    "prior_ranks",
    "rank_by",
    "robustness_table",
    "strong_words",
    "survivors",
    "top_keywords",
]
