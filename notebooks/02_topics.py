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
# # 02 · Themes in the commentary: topic models chosen by coherence and stability
#
# **Question.** What themes run through the commentators' remarks (transport corridors,
# security, external powers, Turkic integration …), and how much of each does each country's
# commentary carry? With few documents, the honest answer includes how unsure we are.
#
# **Data.** The segments of the kinds in `kinds` (by default quotes and paraphrases) attributed
# to a commentator (`corpus.select`); by default the journalists' narrative, titles,
# boilerplate and unrelated teasers are left out.
#
# **Unit of analysis.** By default one document per annotated *segment*: a paragraph, or the
# part of a paragraph, that is one speaker's quote or paraphrase. Segments are the smallest
# units the annotation attributes to one speaker and one kind of speech, and they are what a
# reader of the articles sees as one statement. Sentences (`unit = "sentence"`) are available
# as a parameter (`c6lab.dfm(..., unit="sentence")`), but a segment is often one or two
# sentences, so splitting mainly adds very short documents whose topic mixture rests on a
# handful of words.
#
# **Method** (details and checks: `docs/methods.md`). Two models on the same document-term
# matrix (`c6lab.dfm` with the corpus's own word lists: stopwords removed, names unified,
# phrases such as `middle_corridor` joined), keeping words found in at least `min_df`
# documents: a word used in one paragraph only cannot show a theme shared across paragraphs,
# and on a small corpus it would let single paragraphs become "topics".
# * **NMF** on TF-IDF (scikit-learn, `nndsvda` start); **LDA** on counts (batch variational
#   Bayes, Dirichlet priors 1/K).
# * For every K from `k_min` to `k_max` and both models, `c6lab.topics.select_k` reports
#   * **NPMI coherence** of each topic's top words, averaged over word pairs, with
#     *document* co-occurrence: two words co-occur when they appear in the same document
#     (ε = 10⁻¹² added to the joint probability, so pairs that never co-occur score near −1).
#     This is gensim's `c_npmi` with the whole document as its window; gensim's default
#     10-token sliding window gives other values on short paragraphs, so the window is a
#     choice, not a detail;
#   * **UMass coherence** (Mimno et al. 2011; smoothing count 1), also on documents;
#   * **stability** (Greene, O'Callaghan & Cunningham 2014): the average Jaccard agreement of
#     the top-word rankings of the full-data model and of refits on 80% subsamples of the
#     documents, topics matched one-to-one by the Hungarian algorithm (1 = same topics);
#   * **seed stability**: the same agreement between the model and refits with other
#     random seeds on all documents.
#
#   A K that cannot be fitted (more topics than documents or than vocabulary terms, in the
#   data or in a subsample) is left out, and the notebook says so. Coherence is measured on
#   the modelled documents themselves (there is no larger reference corpus). Perplexity is not
#   used: it is known to be a poor guide to K (scikit-learn issues 6777 and 20032).
#
# **The choice of model and K.** Unless `chosen_model` and `chosen_k` are set, a rule chooses
# them from the selection table (`c6lab.topics.suggest_k`): the model with the higher mean
# subsample stability; within it, among the K whose topics are more coherent than chance
# (mean NPMI above 0), the most stable K, differences up to 0.05 counting as ties that go to
# the larger K. The notebook says which K it chose and the numbers behind it.

# %% tags=["parameters"]
# Parameters (papermill), declared with their allowed values in c6lab/parameters.py (`c6lab run --help`).
corpus_root = None  # None: $C6LAB_CORPUS (read in the next cell), else corpus/ of this repository
results_dir = None  # None: $C6LAB_RESULTS, else results/ of this repository
dask_scheduler = None  # None: $C6LAB_DASK_SCHEDULER, else this process (same results either way)
unit = "segment"  # "segment" or "sentence"
kinds = ["quote", "paraphrase"]
k_min = 2
k_max = 6
models = ["nmf", "lda"]
top_n = 10  # top words per topic: coherence, stability depth and the topic table
min_df = 2  # a word must occur in at least this many documents
n_subsamples = 5  # 80% document subsamples per (model, K)
n_seeds = 3  # extra random seeds per (model, K)
random_state = 0
n_jobs = 2  # processes fitting the K table from 300 documents on (the same table for any number)
chosen_model = None  # None: the rule chooses (c6lab.topics.suggest_k); or "nmf", "lda"
chosen_k = None  # None: the rule chooses; or a K from k_min to k_max
# Human labels, keyed by a topic's three top words: a label is used only while the topic it
# was written for comes out of the model; any other topic shows "(unlabelled)".
topic_labels = {
    "regional cooperation central_asia": "Regional cooperation and development",
    "role foreign_policy azerbaijan": "Foreign-policy roles and external powers",
    "meetings consultative one": "The consultative meetings and the C6 format",
}

# %%
import functools
import os

import pandas as pd
from IPython.display import display

import c6lab
from c6lab.io import save_figure, write_table
from c6lab.narrative import for_bundled_study, prose
from c6lab.parameters import defaults as declared_defaults
from c6lab.paths import resolve_corpus_root, resolve_results_dir, resolve_scheduler
from c6lab.plots import show_saved
from c6lab.plots.topics import plot_k_selection, plot_topic_share
from c6lab.topics import (
    document_summary,
    fit_topics,
    k_problems,
    label_topics,
    resolve_choice,
    select_k,
    skipped_sentence,
    topic_share,
    topic_table,
)

pd.set_option("display.max_colwidth", 400)
pd.set_option("display.max_rows", 100)
corpus = c6lab.open_corpus(resolve_corpus_root(corpus_root, os.environ))
results_dir = resolve_results_dir(results_dir, os.environ)
# tokens and counts here, or as Dask partitions on a scheduler: identical results
engine = c6lab.parallel.Engine(resolve_scheduler(dask_scheduler, os.environ))
lexicons = corpus.lexicons  # this corpus's word lists
speech = corpus.select(kinds)
# the documents: one row per segment or sentence (a large corpus: counted once per run, see cache_folder)
counts = engine.dfm(speech, lexicons, unit=unit, cache=corpus.cache_folder)
unit_name = f"{unit}s"
# the interpretations below were written for the bundled corpus with these parameters' defaults
as_written = all(globals()[name] == value for name, value in declared_defaults("02_topics").items()
                 if name not in ("corpus_root", "results_dir", "dask_scheduler", "n_jobs"))
interpret = functools.partial(for_bundled_study, corpus, defaults=as_written)
prose("{{ n_docs | count(unit) | capitalize }} from {{ n_speakers | count('speaker') }}, {{ n_tokens | count('token') }}; "
      "kinds: {{ kinds | join_names }}.", n_docs=counts.n_docs, unit=unit, n_speakers=speech["speaker_id"].nunique(),
      n_tokens=int(counts.n_tokens.sum()), kinds=kinds)

# %% [markdown]
# ## The documents
# How many documents and tokens each country contributes. Every later comparison by country
# rests on these numbers, and on the number of speakers behind them.

# %%
per_country = document_summary(counts, group_by="country")
display(per_country)
prose("""
{% for r in per_country.to_dict("records") %}
* **{{ r.country }}**: {{ r.n_speakers | count("speaker") }}, {{ r["n_" ~ unit ~ "s"] | count(unit) }},
  {{ r.n_tokens | count("token") }}
{% endfor %}
""", per_country=per_country, unit=unit)

# %% [markdown]
# ## Choosing K
# Both models for every K. `stability` is the mean agreement over the subsamples and
# `stability_sd` its spread; `stability_seeds` the mean agreement over other seeds. All values
# are means over topics; higher is better for every column.

# %%
selection, fitted = select_k(
    counts, range(k_min, k_max + 1), models, top_n=top_n, n_subsamples=n_subsamples,
    n_seeds=n_seeds, random_state=random_state, min_df=min_df, return_models=True, n_jobs=n_jobs)
skipped = selection.attrs["skipped"]  # {K: why it could not be fitted}
fittable = not selection.empty  # False: no K could be fitted, and the rest is skipped
display(selection.round(3))
if skipped:
    display(prose("""
{{ skipped_text }}
{% if not fittable %}No K from {{ k_min }} to {{ k_max }} can be fitted to these {{ n_docs | count(unit) }},
so there are no topics to show: the rest of this notebook is skipped.{% endif %}
""", skipped_text=skipped_sentence(skipped), fittable=fittable, k_min=k_min, k_max=k_max, n_docs=counts.n_docs,
        unit=unit))

# %%
if fittable:
    fig = plot_k_selection(selection,
                           title=f"Choosing K ({counts.n_docs} {unit_name}, {top_n} top words)")
    k_figure = save_figure(fig, "02_k_selection.png", results_dir)
    display(show_saved(fig, k_figure))  # the saved file: the figure is not drawn again

# %%
choice = resolve_choice(selection, chosen_model, chosen_k, skipped) if fittable else None
shown = fittable and choice.available  # whether a model is shown below
if choice is not None:
    display(prose(choice.explanation))

# %%
if fittable:
    by_model_k = {f"{r.model}{r.k}": r for r in selection.itertuples()}  # e.g. by_model_k["nmf3"]
    nmf_from_4 = selection[(selection["model"] == "nmf") & (selection["k"] >= 4)]
    display(interpret("""
**Reading the table.** NMF is the better model here on every column that matters: for K ≥ 3 its
NPMI and UMass coherence are higher than LDA's at the same K, its subsample stability is higher at
every K, and its seed stability is 1 at most K. LDA's seed stability falls from about
{{ t.lda2.stability_seeds | number }} at K = 2 to about {{ t.lda6.stability_seeds | number(1) }} at K = 6:
on {{ n_docs }} short paragraphs its topics depend as much on the random start as on the text.
(Contrary to a common belief, NMF is not wholly seed-independent either: scikit-learn's `nndsvda`
start uses a randomized SVD, which shows as a seed stability below 1 at one K.)

Within NMF no K is clearly best, and we say so. K = 2 is as stable as any K but its topics are no
more coherent than chance (NPMI below 0). From K = 4 on, NPMI levels off ({{ nmf_from_4.npmi | span(2) }})
while stability drops ({{ nmf_from_4.stability | span(2) }}). K = {{ k }} is the largest K whose
stability is as high as K = 2's, and it is the first K with positive NPMI: the coarsest reading the
data support. The stability differences between neighbouring K are no larger than the standard
deviations across the subsamples (`stability_sd`), so K = {{ k }} is a defensible choice, not a
discovered number of themes. The section "One K more" shows what K = {{ k + 1 }} would add.
""", t=by_model_k, n_docs=counts.n_docs, nmf_from_4=nmf_from_4, k=choice.k))

# %% [markdown]
# ## The topics of the chosen model
# Topics are numbered by prevalence (topic 1 carries the largest share of all documents).
# `npmi` and `umass` are per topic; `stability` is the topic's average Jaccard agreement with
# its matched topic across the subsamples. The label is a human reading of the top words and
# of the passages below (`topic_labels`, matched on a topic's three top words); it is not
# produced by the model.

# %%
if shown:
    model = fitted[(choice.model, choice.k)]  # the full-data model select_k fitted
    labels = label_topics(model, topic_labels)  # {topic: label}
    doc_topics = model.doc_topics()
    topics_table = topic_table(model, top_n, labels=topic_labels, n_subsamples=n_subsamples)
    display(topics_table.round(3))
    display(prose("""
{{ model.model | upper }}, K = {{ model.k }}: {{ n_terms | count("term") }} in at least {{ min_df }} documents;
{{ n_empty | count(unit) }} without any of them.
{% for r in topics_table.itertuples() %}
* **Topic {{ r.topic }}**{% if not r.label.startswith("(unlabelled)") %} ({{ r.label }}){% endif %}: {{ r.top_words }}
{% endfor %}
""", model=model, n_terms=len(model.terms_), min_df=min_df, n_empty=len(model.empty_docs), unit=unit,
        topics_table=topics_table))

# %% [markdown]
# ### The two most representative passages of each topic
# The passages with the largest share of the topic (shares equal to two decimals count as
# tied, and the longer passage is shown first). Read them before trusting a label.

# %%
if shown:
    passages = model.representative_docs(2)
    passages.insert(1, "label", passages["topic"].map(labels))
    display(passages[["topic", "label", "rank", "speaker", "country", "kind", "weight", "text"]].round(3))

# %%
if shown:
    display(interpret("""
**What the topics are.** Topic 1 (regional cooperation and development) comes mostly from the Uzbek
commentator's long quotation, topic 3 (the consultative meetings and the C6 format) almost only from
Bayramli's remarks in the AnewZ interview; topic 2 gathers remarks on roles, foreign policy, the United
States and the South Caucasus from several speakers. Transport corridors and Turkic integration, although
discussed, do not form a topic of their own at this K. A topic here is close to "what one interview was
about", which is why the shares by country below must not be read as national positions.
"""))

# %% [markdown]
# ## One K more
# The topics the chosen model finds with one more topic, with their subsample stability: what
# a reader who prefers finer themes would get, and how reliable those themes are.

# %%
if shown:
    finer_k = choice.k + 1
    finer_problem = k_problems(counts, [finer_k], n_subsamples=n_subsamples, random_state=random_state,
                               min_df=min_df).get(finer_k)  # None: K + 1 can be fitted
    if finer_problem is None:
        finer = fitted.get((choice.model, finer_k)) or fit_topics(
            counts, finer_k, choice.model, random_state=random_state, min_df=min_df)
        finer_table = topic_table(finer, top_n, n_subsamples=n_subsamples)[["topic", "top_words", "stability"]]
        display(finer_table.round(3))
    display(prose("""
{% if problem %}K = {{ k }} cannot be fitted: {{ problem }}.{% else %}
With K = {{ k }}, the least stable topic is topic {{ least.topic }} ({{ least.stability | number }}): {{ least.top_words }}.
{% endif %}
""", k=finer_k, problem=finer_problem,
        least=None if finer_problem else finer_table.sort_values("stability", kind="stable").iloc[0]))

# %%
if shown:
    display(interpret("""
With K = {{ k }} a transport-and-integration topic (routes, the Organisation of Turkic States, Europe)
separates out, but its top words are the least stable of the {{ k | count("topic") }} across subsamples: with
{{ n_docs }} short paragraphs, whether transport stands as a theme of its own depends on which
paragraphs happen to be included.
""", k=finer_k, n_docs=counts.n_docs))

# %% [markdown]
# ## Topic share by country
# The share of each country's tokens that the model assigns to each topic (each document's
# topic shares weighted by its number of tokens), with a 90% bootstrap interval from
# resampling that country's documents, and the number of documents, tokens and speakers
# behind each estimate. The bootstrap treats documents as independent; paragraphs of one
# speaker are not, so the intervals understate the uncertainty.

# %%
if shown:
    shares = topic_share(doc_topics, group_by="country", n_boot=2000, confidence=0.9,
                         random_state=random_state)
    shares.insert(2, "label", shares["topic"].map(labels))
    display(shares.rename(columns={"n_docs": f"n_{unit_name}"}).round(3))

# %%
if shown:
    fig = plot_topic_share(shares, group_by="country", labels=labels, unit_name=unit_name,
                           title=f"Topic share by country ({choice.model.upper()}, K = {choice.k})")
    share_figure = save_figure(fig, "02_topic_share_by_country.png", results_dir)
    largest = shares.loc[shares.groupby("country")["share"].idxmax()]  # each country's largest topic
    display(prose("""
{% for r in largest.itertuples() %}
* **{{ r.country }}**: topic {{ r.topic }} has the largest share of its tokens, {{ r.share | number }}
  (90% interval {{ r.ci_low | number }}–{{ r.ci_high | number }}).
{% endfor %}

The 90% intervals are {{ widths | span(2) }} wide.
""", largest=largest, widths=shares["ci_high"] - shares["ci_low"]))
    display(show_saved(fig, share_figure))

# %%
if shown:
    display(interpret("""
The Uzbek commentator's tokens go mostly to topic 1, the Kyrgyz commentator's mostly to topic 2, and the
Azerbaijani commentators' split between topics 2 and 3. Because every country is one or two speakers
answering different questions in different articles, these differences describe these people and these
interviews, not Azerbaijan, Kyrgyzstan or Uzbekistan.
"""))

# %% [markdown]
# ## Exported tables

# %%
tables = {"topic_selection.csv": selection}  # tables not computed above are not written
if fittable:
    tables["topics.csv"] = pd.concat([tm.topic_words(top_n) for tm in fitted.values()], ignore_index=True)
if shown:
    export_cols = ["model", "k", "doc", "segment_id", "article_id", "kind", "speaker", "country",
                   "n_tokens", "topic", "weight"]
    doc_topics_out = doc_topics[export_cols].rename(columns={"doc": "unit_id"})
    doc_topics_out.insert(doc_topics_out.columns.get_loc("topic") + 1, "label",
                          doc_topics_out["topic"].map(labels))
    tables["doc_topics.csv"] = doc_topics_out
    tables["topic_share_by_country.csv"] = shares
outputs = [write_table(table, name, results_dir) for name, table in tables.items()]
[p.name for p in outputs]

# %% [markdown]
# `topics.csv` holds the top words of every model and K in the selection table, so other
# choices can be inspected without re-running; `doc_topics.csv` and the shares are for the
# chosen model only.
#
# ## What these numbers cannot show
# * **Few speakers.** Topic shares by country are shares by speaker where a country has one
#   speaker; they show what these commentators talked about when these journalists asked, not
#   national views.
# * **Few documents.** With a few dozen documents a topic is a handful of co-occurring words;
#   K is chosen among weakly separated alternatives (see the standard deviations above), and a
#   different but defensible K regroups the same paragraphs differently.
# * **Coherence on the same documents.** NPMI and UMass are computed on the corpus the models
#   were fitted on; they reward words that co-occur in these paragraphs, not themes that would
#   hold in other commentary.
# * **Paraphrase is the journalist's wording**, so part of each "speaker's" vocabulary is the
#   outlet's.
# * **Translated or edited texts.** The word lists behind the topics (including the stopwords)
#   shape what the models see.
#
# For this run:

# %%
prose("""
* {{ n_speakers | count("speaker") | capitalize }}, {{ n_articles | count("article") }},
  {{ n_outlets | count("outlet") }}{% if single %}; {{ single | join_names }}
  {{ "is one speaker" if single | length == 1 else "are one speaker each" }}{% endif %}.
* {{ n_docs | count(unit) | capitalize }}{% if fittable %}, a vocabulary of {{ n_terms | count("word") }} used in
  {{ min_df }} or more of them (`n_terms`){% endif %}. Paraphrases: {{ n_paraphrase }} of the {{ n_docs }}.
""", n_speakers=speech["speaker_id"].nunique(), n_articles=speech["article_id"].nunique(),
      n_outlets=speech["outlet"].nunique(), single=per_country.loc[per_country["n_speakers"] == 1, "country"].tolist(),
      n_docs=counts.n_docs, unit=unit, fittable=fittable,
      n_terms=int(selection["n_terms"].iloc[0]) if fittable else 0, min_df=min_df,
      n_paraphrase=int((counts.docvars["kind"] == "paraphrase").sum()))

# %%
interpret("""
* The articles come from Azerbaijan-based outlets, and the texts are probably translated and edited.
* Stopwords such as *one* or *particularly* remain in the word lists and reach the top words.
""")
