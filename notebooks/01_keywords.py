# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 01 · Keywords: what Uzbek, Kyrgyz and Azerbaijani commentators say differently
#
# **Question.** Which words does each group of commentators use distinctively, how sure can we
# be with one or two speakers per group, and where in the text do those words come from?
#
# **Data.** The quotes and paraphrases of the four commentators in the two articles (see
# `00_corpus`), grouped by the commentator's country: AZ = Farid Shafiyev + Roza Bayramli,
# KG = Edil Osmonbetov, UZ = Ranokhon Tursunova. Words are counted as *tokens* with the corpus's
# own word lists (`corpus.lexicons`): lower-cased, name variants unified (U.S./US →
# `united_states`), phrases joined (`south_caucasus`), stopwords removed. The tokens are counted
# once, into a sparse document-term matrix (`c6lab.dfm`: one row per segment, or per sentence for
# the bootstrap), and every table below is computed from it.

# %% tags=["parameters"]
# Parameters (papermill), declared with their allowed values in c6lab/parameters.py (`c6lab run --help`).
corpus_root = None  # None: $C6LAB_CORPUS, else the repository's corpus/
results_dir = None  # None: $C6LAB_RESULTS, else the repository's results/
group_by = "country"  # or "speaker", "outlet"
kinds = ["quote", "paraphrase"]  # segment kinds compared
alpha0 = 100.0  # weight of the informative prior, in pseudo-tokens
min_count = 2  # a word must occur at least this often in the two sides of a comparison
top_n = 6  # length of a top list (words tied at the last place are kept)
n_boot = 500  # sentence-bootstrap replicates
random_state = 2024  # seed of the bootstrap's numpy Generator
stable_share = 0.5  # a word "survives" the bootstrap if it stays in the top list this often
kwic_top = 3  # concordance for each group's words ranked up to this
kwic_window = 8  # words of context on each side
n_labels = 8  # words labelled on each side of a figure

# %%
import re

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

import c6lab
from c6lab import keywords as kw
from c6lab.io import save_figure, write_table
from c6lab.paths import resolve_corpus_root, resolve_results_dir
from c6lab.plots.keywords import keyword_scatter

pd.set_option("display.max_colwidth", 90)
pd.set_option("display.max_rows", 120)
pd.set_option("display.width", 200)
corpus = c6lab.open_corpus(resolve_corpus_root(corpus_root))
results_dir = resolve_results_dir(results_dir)
lexicons = corpus.lexicons  # this corpus's word lists, handed to every step below
speech = corpus.select(kinds)  # the segments compared
counts = c6lab.dfm(speech, lexicons)  # one document per segment
sentence_counts = c6lab.dfm(speech, lexicons, unit="sentence")  # for the sentence bootstrap
quote_counts = counts.subset(counts.docvars["kind"] == "quote")  # the quotes alone
counts

# %% [markdown]
# ## The slice compared
# Before any result: how many commentators, segments, sentences and tokens each group has.
# Every statistic below rests on these numbers. With fewer than two groups there is nothing to
# compare: the notebook says so and skips the comparisons.

# %%
slice_table = kw.group_summary(counts, group_by=group_by)
groups = slice_table["group"].tolist()
comparable = len(groups) >= 2  # every comparison below needs two groups or more
if not comparable:
    print(f"The keyword comparison needs at least two groups in `{group_by}`; this corpus has "
          + (f"one: {groups[0]}." if groups else "none.") + " The comparisons below are skipped.")
slice_table

# %% [markdown]
# Tokens by kind. A paraphrase is the journalist's wording of what a commentator said, so it is
# weaker evidence of the commentator's own vocabulary; the robustness section repeats the
# comparison on quotes alone.

# %%
by_kind = c6lab.word_counts(counts, group_by=[group_by])
by_kind.pivot_table(index=group_by, columns="kind", values="n_tokens", aggfunc="sum", fill_value=0)

# %% [markdown]
# ## Method
# For every word $w$ and comparison of a group $i$ with a reference $j$ (one-vs-rest: all other
# groups pooled; pairwise: one other group), with $y_{wi}$ the count of $w$ in $i$ and $n_i$ the
# number of tokens of $i$:
#
# **Fightin' Words** (Monroe, Colaresi & Quinn 2008): a log-odds ratio shrunk by an informative
# Dirichlet prior $\alpha_w = \alpha_0\,\pi_w$, where $\pi_w$ is the share of $w$ among all tokens
# of the two sides and $\alpha_0$ the prior's weight in pseudo-tokens:
#
# $$\delta_w = \log\frac{y_{wi}+\alpha_w}{n_i+\alpha_0-y_{wi}-\alpha_w}
#            - \log\frac{y_{wj}+\alpha_w}{n_j+\alpha_0-y_{wj}-\alpha_w},\qquad
#   \operatorname{Var}(\delta_w) \approx \frac{1}{y_{wi}+\alpha_w} + \frac{1}{y_{wj}+\alpha_w},\qquad
#   z_w = \frac{\delta_w}{\sqrt{\operatorname{Var}(\delta_w)}}.$$
#
# This is the paper's two-term variance. In plain words: how much more often the group uses the
# word than the reference, on a log-odds scale, pulled toward "no difference" when the counts are
# small, and divided by its uncertainty. Positive $z$ = the group uses the word more.
#
# **Signed G2** (log-likelihood keyness) on the 2×2 table $a = y_{wi}$, $b = y_{wj}$,
# $c = n_i - a$, $d = n_j - b$, $N = n_i + n_j$, with expected counts $E$ from the margins and
# Williams' correction:
#
# $$G^2 = \frac{2\sum O\ln(O/E)}{q},\qquad
#   q = 1 + \frac{\left(\frac{N}{a+b} + \frac{N}{c+d} - 1\right)\left(\frac{N}{n_i} + \frac{N}{n_j} - 1\right)}{6N},$$
#
# signed $+$ when $a$ exceeds its expected count; its p-value is from $\chi^2_1$.
# **Log Ratio** (Hardie 2014) is the effect size: $\log_2\frac{a/n_i}{b/n_j}$, one unit per
# doubling of relative frequency; a count of zero is replaced by 0.5 so that it stays finite
# (non-zero counts are used as they are).
#
# Words are ranked by $z$; tied words (same counts, hence same statistics) share a rank. With
# hundreds of words and counts of 2 to 10, neither $|z| > 1.96$ nor $p < 0.05$ is a test of
# anything: they are rankings, uncorrected for testing every word. The table below keeps only
# words seen at least `min_count` times in the two sides; totals $n$ and the prior use every token.

# %%
if comparable:
    results = kw.keyness(counts, group_by=group_by, design="both", alpha0=alpha0, min_count=min_count)
    one_vs_rest = results[results["design"] == "one_vs_rest"]
    display(results.groupby(["design", "comparison"], sort=False).agg(
        words=("word", "size"), n_group=("n_group", "first"), n_reference=("n_reference", "first"),
        max_z=("z", "max")).round(3))

# %% [markdown]
# ## Top distinctive words per group (one-vs-rest)
# Raw counts beside every statistic. `n_group` / `n_reference` are the token totals.

# %%
if comparable:
    top = kw.top_keywords(one_vs_rest, top_n=top_n)
    show = ["comparison", "rank", "word", "count_group", "count_reference", "n_group", "n_reference",
            "z", "g2", "p_value", "log_ratio"]
    display(top[show].round({"z": 2, "g2": 2, "p_value": 3, "log_ratio": 2}))

# %% [markdown]
# In the one-vs-rest comparisons only four words reach $|z| \ge 1.96$ (`meetings`,
# `consultative`, `south_caucasus`, `uzbekistan`), each on 4 to 7 occurrences. Below the first
# few ranks the lists fill with words one group says twice and the others never;
# dozens of them tie (that is why ties are kept instead of cut alphabetically).
#
# ## Figures
# One scattertext-style plot per comparison: frequency of the word in the two sides (log scale)
# against $z$. Words with the same counts sit on the same point (marker area grows with the
# number of words). The pairwise comparisons are saved to `results/figures/` but not shown.

# %%
figure_paths = []
for comparison in results["comparison"].unique() if comparable else []:
    fig = keyword_scatter(results, comparison, n_labels=n_labels)
    name = "01_keywords_" + re.sub(r"\W+", "_", comparison) + ".png"
    figure_paths.append(save_figure(fig, name, results_dir))
    if not comparison.endswith(" vs rest"):
        plt.close(fig)
[p.name for p in figure_paths]

# %% [markdown]
# ## Where the words come from
# Every occurrence of each group's top words (rank ≤ `kwic_top`), searched only in that group's
# own segments. The `kind` column shows whether the word is the commentator's quoted wording or
# the journalist's paraphrase.

# %%
if comparable:
    concordance = kw.keyword_concordance(speech, kw.top_keywords(one_vs_rest, top_n=kwic_top), lexicons,
                                         group_by=group_by, window=kwic_window)
    display(concordance[["group", "word", "speaker", "kind", "left", "keyword", "right"]])

# %% [markdown]
# ## Robustness
# ### Leave one speaker out
# For every group with two or more speakers (with the default grouping: AZ, Shafiyev and
# Bayramli), the comparison is re-run without each speaker in turn. `count_group` and `z` are for
# the reduced group. A word that is no longer ranked in a run (`status`: `absent` from both sides,
# or `below_min_count`) gets `rank` = number of ranked words + 1, i.e. it comes after every word
# still ranked.

# %%
if comparable:
    loo = kw.leave_one_out(counts, group_by=group_by, alpha0=alpha0, min_count=min_count, top_n=top_n)
    loo_wide = loo.pivot_table(index=["group", "word"], columns="dropped",
                               values=["count_group", "z", "rank", "status"], aggfunc="first", sort=False)
    display(loo_wide.round(2) if len(loo) else "no group has two or more speakers")

# %% [markdown]
# Without Shafiyev the Azerbaijani list barely changes; without Bayramli it collapses: Shafiyev's
# 34 tokens contain almost none of the words. The "Azerbaijani" keywords are Roza Bayramli's
# keywords, from one interview.
#
# ### Sentence bootstrap
# Each replicate resamples, within every group, as many sentences as the group has (with
# replacement), recounts and re-ranks. `top_share` is how often a word stays in its group's top
# list (rank ≤ `top_n`); `z_low`–`z_high` is the middle 95% of its $z$ over the replicates.

# %%
if comparable:
    boot = kw.bootstrap_top_words(sentence_counts, group_by=group_by, alpha0=alpha0,
                                  min_count=min_count, top_n=top_n, n_boot=n_boot, random_state=random_state)
    display(boot.drop(columns=["n_boot", "random_state"]).round(3))

# %% [markdown]
# ### Quotes only, and the weight of the prior
# The same comparison on quotes alone (the commentators' own published wording), and the rank of
# each top word when $\alpha_0$ is ten times smaller or larger.

# %%
checkable = False  # whether the top words can be checked on quotes alone
if comparable:
    quote_slice = kw.group_summary(quote_counts, group_by=group_by)
    checkable = len(quote_slice) >= 2  # the quotes need two groups too
    if checkable:
        quotes_only = kw.keyness(quote_counts, group_by=group_by, alpha0=alpha0, min_count=min_count)
    else:
        print(f"The quotes alone have fewer than two groups in `{group_by}`, so no word can be checked on "
              "quotes alone and the survival table below is skipped.")
    display(quote_slice)

# %%
if comparable:
    display(kw.prior_ranks(counts, top, [alpha0 / 10, alpha0, alpha0 * 10], group_by=group_by,
                           min_count=min_count))

# %% [markdown]
# A small prior ($\alpha_0 = 10$) favours words the reference also uses (3 vs 1) over words only
# the group uses, because a zero count then has a large variance; a large prior
# ($\alpha_0 = 1000$) favours frequent one-sided words. The order of most top words depends on
# this choice; `south_caucasus` is first under all three weights, `uzbekistan` and `meetings`
# under the two larger ones.
#
# ### Which findings survive
# A top word *survives* if it stays in the top list in at least `stable_share` of the bootstrap
# replicates, is still in the top list on quotes alone, and (for a group of several speakers)
# stays in the top list whichever speaker is left out (`kw.robustness_table`). A word not ranked
# on quotes alone gets, as above, the number of ranked words + 1 as `rank_quotes_only`.

# %%
if checkable:
    robustness = kw.robustness_table(top, boot, quotes_only, loo, top_n=top_n, stable_share=stable_share)
    display(robustness.round(3))

# %%
for group, words in robustness.groupby("group") if checkable else []:
    kept = words.loc[words["survives"], "word"].tolist()
    print(f"{group}: {len(kept)} of {len(words)} top words survive: {', '.join(kept) or '-'}")

# %% [markdown]
# Plainly:
# * **KG (Osmonbetov):** `south_caucasus` is the one robust keyword: six uses against one
#   elsewhere, first on quotes alone and under every prior weight, in the top list in about three
#   quarters of the replicates. The concordance shows why: he describes the C6 as a transport
#   link from China through Central Asia and the South Caucasus to Europe.
# * **UZ (Tursunova):** her own country's name (`uzbekistan`), `cooperation` and `ties` survive.
#   They mark her register (strengthening ties, cooperation) more than a distinct position;
#   `development` is stable under resampling but drops to rank 8 on quotes alone.
# * **AZ:** nothing survives as an *Azerbaijani* keyword. `meetings` and `consultative` are
#   stable under resampling and on quotes alone, but they are Bayramli's words about the
#   Consultative Meetings; without her the group has 34 tokens and none of its top words.
# * Everything else in the top lists (words said 3 or 4 times) is not stable enough to interpret.
#
# ## Exported tables

# %%
tables = {  # None: skipped above, not written
    "keywords.csv": results if comparable else None,
    "keywords_slice.csv": slice_table,
    "keywords_robustness.csv": robustness if checkable else None,
    "keywords_bootstrap.csv": boot if comparable else None,
    "keywords_leave_one_out.csv": loo if comparable else None,
    "keywords_concordance.csv": concordance if comparable else None,
}
outputs = [write_table(table, name, results_dir) for name, table in tables.items() if table is not None]
[p.name for p in outputs]

# %% [markdown]
# `keywords.csv` holds every comparison (`design` = `one_vs_rest` or `pairwise`; `comparison`
# names it, e.g. `AZ vs rest`, `AZ vs KG`) and every word with at least `min_count` uses. Its
# columns `count_group, count_reference, n_group, n_reference, alpha0` are enough to recompute
# `alpha_w`, `delta` and `z` with the formulas above.
#
# ## What this cannot show
# * **Four commentators, two outlets.** Each "country" is one person (two for Azerbaijan, of whom
#   one dominates). The keywords describe these people in these two articles, not Uzbek, Kyrgyz
#   or Azerbaijani expert opinion; a different speaker from the same country could differ more
#   than the countries do.
# * **English translations.** The texts are English renderings published by Azerbaijani-based
#   outlets, probably translated and edited; word choice may be the translator's or the editor's.
#   Paraphrases are the journalist's wording.
# * **Tiny counts.** 169–320 tokens per group; the strongest keyword occurs six times. The $z$
#   scores and p-values are rankings, not tests, and the interview format (Bayramli answering
#   questions about the Consultative Meetings) shapes her vocabulary as much as her views do.
# * **Absence is not evidence.** A word missing from a group's few hundred tokens (e.g. Russia,
#   absent from all commentary) says nothing about what the commentator thinks of it.
