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
# # 01 · Keywords: what each group of commentators says distinctively
#
# **Question.** Which words does each group of commentators (by default: the commentators of
# one country) use distinctively, how sure can we be when a group is one or a few speakers,
# and where in the text do those words come from?
#
# **Data.** The segments of the kinds in `kinds` (by default quotes and paraphrases) that the
# annotation attributes to a speaker (see `00_corpus`), grouped by `group_by` (by default the
# speaker's country). Words are counted as *tokens* with the corpus's own word lists
# (`corpus.lexicons`): lower-cased, name variants unified (U.S./US → `united_states`), phrases
# joined (`south_caucasus`), stopwords removed. The tokens are counted once, into a sparse
# document-term matrix (`c6lab.dfm`: one row per segment, or per sentence for the bootstrap),
# and every table below is computed from it. Every number in the text below is computed by
# this run; interpretations written for the bundled study are shown only when this run is
# that study. Formulas and checks: `docs/methods.md`.

# %% tags=["parameters"]
# Parameters (papermill), declared with their allowed values in c6lab/parameters.py (`c6lab run --help`).
corpus_root = None  # None: $C6LAB_CORPUS (read in the next cell), else the repository's corpus/
results_dir = None  # None: $C6LAB_RESULTS, else the repository's results/
dask_scheduler = None  # None: $C6LAB_DASK_SCHEDULER, else this process (same results either way)
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
import functools
import os
import re

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

import c6lab
from c6lab import keywords as kw
from c6lab.io import save_figure, write_table
from c6lab.narrative import for_bundled_study, prose
from c6lab.parameters import defaults as declared_defaults
from c6lab.paths import resolve_corpus_root, resolve_results_dir, resolve_scheduler
from c6lab.plots import show_saved
from c6lab.plots.keywords import keyword_scatter

pd.set_option("display.max_colwidth", 90)
pd.set_option("display.max_rows", 120)
pd.set_option("display.width", 200)
corpus = c6lab.open_corpus(resolve_corpus_root(corpus_root, os.environ))
results_dir = resolve_results_dir(results_dir, os.environ)
# tokens and counts here, or as Dask partitions on a scheduler: identical results
engine = c6lab.parallel.Engine(resolve_scheduler(dask_scheduler, os.environ))
lexicons = corpus.lexicons  # this corpus's word lists, handed to every step below
speech = corpus.select(kinds)  # the segments compared
# one document per segment; a large corpus keeps its counts (cache_folder): counted once per run
counts = engine.dfm(speech, lexicons, cache=corpus.cache_folder)
sentence_counts = engine.dfm(speech, lexicons, unit="sentence", cache=corpus.cache_folder)  # sentence bootstrap
quote_counts = counts.subset(counts.docvars["kind"] == "quote")  # the quotes alone
# the interpretations below were written for the bundled corpus with these parameters' defaults
as_written = all(globals()[name] == value for name, value in declared_defaults("01_keywords").items()
                 if name not in ("corpus_root", "results_dir", "dask_scheduler"))
interpret = functools.partial(for_bundled_study, corpus, defaults=as_written)
counts

# %% [markdown]
# ## The slice compared
# Before any result: how many commentators, segments, sentences and tokens each group has.
# Every statistic below rests on these numbers. With fewer than two groups there is nothing to
# compare: the notebook says so and skips the comparisons.

# %%
slice_table = kw.group_summary(counts, group_by=group_by)  # one row per group
groups = slice_table["group"].tolist()
comparable = len(groups) >= 2  # every comparison below needs two groups or more
display(slice_table)
prose("""
{% if comparable %}
This run compares {{ groups | length | count("group") }} by `{{ group_by }}`, with
{{ slice.n_tokens | span }} tokens per group:
{% else %}
The keyword comparison needs at least two groups in `{{ group_by }}`; this corpus has
{{ groups | length | count("group") }}, so the comparisons below are skipped:
{% endif %}
{% for r in slice.itertuples() %}
* **{{ r.group }}**: {{ r.n_speakers | count("speaker") }} ({{ r.speakers.split("; ") | join_names }}),
  {{ r.n_segments | count("segment") }}, {{ r.n_tokens | count("token") }}
{% endfor %}
""", comparable=comparable, groups=groups, group_by=group_by, slice=slice_table)

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
# Words are ranked by $z$; tied words (same counts, hence same statistics) share a rank. With one
# statistic per word and small counts, neither $|z| > 1.96$ nor $p < 0.05$ is a test of
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
    strong = kw.strong_words(one_vs_rest)  # words a group uses more with z >= 1.96
    display(prose("""
In the one-vs-rest comparisons {{ strong | length | count("word") }} reach $z \\ge 1.96$
{%- if strong | length %} ({% for r in strong.itertuples() %}`{{ r.word }}` for {{ r.group }}{{ ", " if not loop.last }}{% endfor %}),
each on {{ (strong.count_group + strong.count_reference) | span }} occurrences{% endif %}.
The top lists hold {{ top | length | count("word") }} for `top_n` = {{ top_n }} per group, because
tied words are all kept: the largest tie is {{ tie.n_words | count("word") }} at rank {{ tie.rank }}
in {{ tie.comparison }}. {{ (top.count_group <= 3).sum() }} of the {{ top | length }} top words
occur three times or fewer in their group.
""", strong=strong, top=top, top_n=top_n, tie=kw.largest_tie(top)))

# %% [markdown]
# ## Figures
# One scattertext-style plot per comparison: frequency of the word in the two sides (log scale)
# against $z$. Words with the same counts sit on the same point (marker area grows with the
# number of words); a label names at most three of them, and the caption under the plot lists
# the others, and any label left out for lack of room. The pairwise comparisons are saved to
# the results folder's `figures/` but not shown.

# %%
figure_paths = []
for comparison in results["comparison"].unique() if comparable else []:
    fig = keyword_scatter(results, comparison, n_labels=n_labels)
    name = "01_keywords_" + re.sub(r"\W+", "_", comparison) + ".png"
    figure_paths.append(save_figure(fig, name, results_dir))
    if comparison.endswith(" vs rest"):
        display(show_saved(fig, figure_paths[-1]))  # the saved file: the figure is not drawn again
    else:
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
    display(kw.concordance_table(concordance))

# %% [markdown]
# ## Robustness
# ### Leave one speaker out
# For every group with two or more speakers, the comparison is re-run without each speaker in
# turn. `count_group` and `z` are for the reduced group. A word that is no longer ranked in a run
# (`status`: `absent` from both sides, or `below_min_count`) gets `rank` = number of ranked
# words + 1, i.e. it comes after every word still ranked.

# %%
if comparable:
    loo = kw.leave_one_out(counts, group_by=group_by, alpha0=alpha0, min_count=min_count, top_n=top_n)
    loo_wide = loo.pivot_table(index=["group", "word"], columns="dropped",
                               values=["count_group", "z", "rank", "status"], aggfunc="first", sort=False)
    display(loo_wide.round(2) if len(loo) else "no group has two or more speakers")
    loo_summary = kw.leave_one_out_summary(loo)  # one row per group and speaker left out
    display(prose("""
{% for r in loo_summary.itertuples() %}
* Without {{ r.dropped }}, **{{ r.group }}** keeps {{ r.n_group | count("token") }} ({{ r.kept.split("; ") | join_names }}),
  and {{ r.n_still_top }} of its {{ r.n_words }} top words stay in the top list{{ ": " if r.n_still_top else "." }}
  {{- r.still_top | join_names }}{{ "." if r.n_still_top }}
{% else %}
No group has two or more speakers, so no speaker can be left out.
{% endfor %}
""", loo_summary=loo_summary))

# %%
if comparable:
    display(interpret("""
Without Shafiyev the Azerbaijani list barely changes; without Bayramli it collapses: Shafiyev's
{{ az_tokens }} tokens contain almost none of the words. The "Azerbaijani" keywords are Roza Bayramli's
keywords, from one interview.
""", az_tokens=loo_summary.set_index("dropped")["n_group"].get("Roza Bayramli")))

# %% [markdown]
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
# each top word when $\alpha_0$ is ten times smaller or larger. When the quotes alone have fewer
# than two groups there is no quotes-only comparison, and the survival check below does without it.

# %%
quotes_only = None  # the quotes-only comparison, if the quotes have two groups or more
if comparable:
    quote_slice = kw.group_summary(quote_counts, group_by=group_by)
    if len(quote_slice) >= 2:
        quotes_only = kw.keyness(quote_counts, group_by=group_by, alpha0=alpha0, min_count=min_count)
    display(quote_slice)
    display(prose("""
{% if quotes_only is none %}
The quotes alone have {{ n | count("group") }} in `{{ group_by }}`: there is no quotes-only comparison, and
no word is checked on quotes alone.
{% else %}
The quotes alone have {{ n | count("group") }} with {{ quote_slice.n_tokens | span }} tokens each.
{% endif %}
""", quotes_only=quotes_only, n=len(quote_slice), group_by=group_by, quote_slice=quote_slice))

# %% [markdown]
# With a small prior a word the group uses only a little more than the reference can outrank a
# word only the group uses, because a zero count then has a large variance; a large prior
# favours frequent one-sided words. Words whose rank does not depend on the prior's weight are
# the safer findings.

# %%
if comparable:
    prior = kw.prior_ranks(counts, top, [alpha0 / 10, alpha0, alpha0 * 10], group_by=group_by,
                           min_count=min_count)
    display(prior)
    rank_columns = prior.filter(like="rank at")  # one column per weight
    display(prose("""
{{ first | length | count("top word") | capitalize }} {{ "is" if first | length == 1 else "are" }} ranked
first under all three weights{{ ": " if first | length else "." }}
{%- for r in first.itertuples() %}`{{ r.word }}` ({{ r.group }}){{ ", " if not loop.last else "." }}{% endfor %}
{{ " " }}{{ changed }} of the {{ prior | length }} top words change rank between the weights.
""", first=prior[(rank_columns == 1).all(axis=1)], prior=prior,
        changed=int((rank_columns.nunique(axis=1, dropna=False) > 1).sum())))

# %% [markdown]
# ### Which findings survive
# A top word *survives* if it stays in the top list in at least `stable_share` of the bootstrap
# replicates, is still in the top list on quotes alone (when there is a quotes-only
# comparison), and (for a group of several speakers) stays in the top list whichever speaker is
# left out (`kw.robustness_table`). A word not ranked on quotes alone gets, as above, the
# number of ranked words + 1 as `rank_quotes_only`.

# %%
if comparable:
    robustness = kw.robustness_table(top, boot, quotes_only, loo, top_n=top_n, stable_share=stable_share)
    display(robustness.round(3))
    display(prose("""
{% if quotes_only is none %}(Without the quotes-only check: the quotes alone have fewer than two groups.){% endif %}
{% for r in survivors.itertuples() %}
* **{{ r.group }}**: {{ r.n_survive }} of {{ r.n_top }} top words survive{{ ": " if r.n_survive else "." }}
  {{- r.words | join_names }}{{ "." if r.n_survive }}
{% endfor %}
""", survivors=kw.survivors(robustness), quotes_only=quotes_only))

# %%
if comparable:
    found = {g: d.set_index("word").to_dict("index") for g, d in robustness.groupby("group")}  # group -> word -> row
    display(interpret("""
Plainly:
* **KG (Osmonbetov):** `south_caucasus` is the one robust keyword: {{ kg.south_caucasus.count_group }} uses
  against {{ kg.south_caucasus.count_reference }} elsewhere, first on quotes alone and under every prior
  weight, in the top list in {{ kg.south_caucasus.top_share | number }} of the replicates. The concordance
  shows why: he describes the C6 as a transport link from China through Central Asia and the South
  Caucasus to Europe.
* **UZ (Tursunova):** her own country's name (`uzbekistan`), `cooperation` and `ties` survive. They mark her
  register (strengthening ties, cooperation) more than a distinct position; `development` is stable under
  resampling but drops to rank {{ uz.development.rank_quotes_only }} on quotes alone.
* **AZ:** nothing survives as an *Azerbaijani* keyword. `meetings` and `consultative` are stable under
  resampling and on quotes alone, but they are Bayramli's words about the Consultative Meetings; without
  her the group has {{ az_tokens }} tokens and none of its top words.
* Everything else in the top lists (words said a few times) is not stable enough to interpret.
""", kg=found.get("KG", {}), uz=found.get("UZ", {}),
        az_tokens=loo_summary.set_index("dropped")["n_group"].get("Roza Bayramli")))

# %% [markdown]
# ## Exported tables

# %%
tables = {  # None: skipped above, not written
    "keywords.csv": results if comparable else None,
    "keywords_slice.csv": slice_table,
    "keywords_robustness.csv": robustness if comparable else None,
    "keywords_bootstrap.csv": boot if comparable else None,
    "keywords_leave_one_out.csv": loo if comparable else None,
    "keywords_concordance.csv": concordance if comparable else None,
}
outputs = [write_table(table, name, results_dir) for name, table in tables.items() if table is not None]
[p.name for p in outputs]

# %% [markdown]
# `keywords.csv` holds every comparison (`design` = `one_vs_rest` or `pairwise`; `comparison`
# names it: `<group> vs rest` or `<group> vs <group>`) and every word with at least `min_count`
# uses. Its columns `count_group, count_reference, n_group, n_reference, alpha0` are enough to
# recompute `alpha_w`, `delta` and `z` with the formulas above.
#
# ## What this cannot show
# * **Few speakers per group.** The keywords describe these people in these articles, not the
#   opinion of everyone their group stands for; another speaker of the same group could differ
#   more than the groups do.
# * **Tiny counts.** The $z$ scores and p-values are rankings, not tests.
# * **Wording not always the speaker's.** Paraphrases are the journalist's wording, and a
#   translated or edited text may carry the translator's or the editor's word choice.
# * **Absence is not evidence.** A word missing from a group's tokens says nothing about what the
#   commentator thinks of it.
#
# For this run:

# %%
prose("""
* {{ n_speakers | count("commentator") | capitalize }} in {{ n_articles | count("article") }} from
  {{ n_outlets | count("outlet") }}{% if single %}; {{ single | join_names }}
  {{ "is one speaker" if single | length == 1 else "are one speaker each" }}{% endif %}.
* {{ slice.n_tokens | span }} tokens per group{% if top is not none and top | length %}; the most frequent
  top word occurs {{ top.count_group.max() }} times in its group{% endif %}.
""", n_speakers=speech["speaker_id"].nunique(), n_articles=speech["article_id"].nunique(),
       n_outlets=speech["outlet"].nunique(), slice=slice_table,
       single=slice_table.loc[slice_table["n_speakers"] == 1, "group"].tolist(),
       top=top if comparable else None)

# %%
interpret("""
* Azerbaijan's commentators are dominated by one (Bayramli), so the "Azerbaijani" keywords are
  largely hers, and the interview format (Bayramli answering questions about the Consultative
  Meetings) shapes her vocabulary as much as her views do.
* The texts are English renderings published by Azerbaijani-based outlets, probably translated and
  edited.
* Russia, for instance, is absent from all the commentary; that says nothing about what the
  commentators think of it.
""")
