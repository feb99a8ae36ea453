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
# **Question.** What themes run through the four commentators' remarks (transport corridors,
# security, external powers, Turkic integration …), and how much of each does each country's
# commentary carry? With tens of paragraphs, the honest answer includes how unsure we are.
#
# **Data.** Quotes and paraphrases attributed to the four commentators (`corpus.select`); the
# journalists' narrative, titles, boilerplate and unrelated teasers are left out.
#
# **Unit of analysis.** By default one document per annotated *segment*: a paragraph, or the
# part of a paragraph, that is one speaker's quote or paraphrase. Segments are the smallest
# units the annotation attributes to one speaker and one kind of speech, and they are what a
# reader of the articles sees as one statement. Sentences (`unit = "sentence"`) are available
# as a parameter (`c6lab.dfm(..., unit="sentence")`), but most segments are one or two
# sentences, so splitting mainly adds very short documents whose topic mixture rests on a
# handful of words.
#
# **Method.** Two models on the same document-term matrix (`c6lab.dfm` with the corpus's own
# word lists: stopwords removed, names unified, phrases such as `middle_corridor` joined),
# keeping words found in at least
# `min_df` documents: a word used in one paragraph only cannot show a theme shared across
# paragraphs, and on this corpus it would let single paragraphs become "topics".
# * **NMF** on TF-IDF (scikit-learn, `nndsvda` start); **LDA** on counts (batch variational
#   Bayes, Dirichlet priors 1/K).
# * For every K from `k_min` to `k_max` and both models, `c6lab.topics.select_k` reports
#   * **NPMI coherence** of each topic's top words, averaged over word pairs, with
#     *document* co-occurrence: two words co-occur when they appear in the same document
#     (ε = 10⁻¹² added to the joint probability, so pairs that never co-occur score near −1).
#     This is gensim's `c_npmi` with the whole document as its window; on this corpus gensim's
#     default 10-token sliding window gives other values (every topic's NPMI negative, and for
#     NMF another K with the highest mean), so the window is a choice, not a detail;
#   * **UMass coherence** (Mimno et al. 2011; smoothing count 1), also on documents;
#   * **stability** (Greene, O'Callaghan & Cunningham 2014): the average Jaccard agreement of
#     the top-word rankings of the full-data model and of refits on 80% subsamples of the
#     documents, topics matched one-to-one by the Hungarian algorithm (1 = same topics);
#   * **seed stability**: the same agreement between the model and refits with other
#     random seeds on all documents.
#
#   Coherence is measured on the modelled documents themselves (there is no larger reference
#   corpus). Perplexity is not used: it is known to be a poor guide to K (scikit-learn issues
#   #6777, #20032).

# %% tags=["parameters"]
# Parameters (papermill), declared with their allowed values in c6lab/parameters.py (`c6lab run --help`).
corpus_root = None  # None: $C6LAB_CORPUS, else corpus/ of this repository
results_dir = None  # None: $C6LAB_RESULTS, else results/ of this repository
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
chosen_model = "nmf"  # decided after reading the selection table below
chosen_k = 3
# Human labels, keyed by a topic's three top words: a label is used only while the topic it
# was written for comes out of the model; any other topic shows "(unlabelled)".
topic_labels = {
    "regional cooperation central_asia": "Regional cooperation and development",
    "role foreign_policy azerbaijan": "Foreign-policy roles and external powers",
    "meetings consultative one": "The consultative meetings and the C6 format",
}

# %%
import pandas as pd

import c6lab
from c6lab.io import save_figure, write_table
from c6lab.paths import resolve_corpus_root, resolve_results_dir
from c6lab.plots.topics import plot_k_selection, plot_topic_share
from c6lab.topics import document_summary, fit_topics, label_topics, select_k, topic_share, topic_table

pd.set_option("display.max_colwidth", 400)
pd.set_option("display.max_rows", 100)
corpus = c6lab.open_corpus(resolve_corpus_root(corpus_root))
results_dir = resolve_results_dir(results_dir)
lexicons = corpus.lexicons  # this corpus's word lists
speech = corpus.select(kinds)
counts = c6lab.dfm(speech, lexicons, unit=unit)  # the documents: one row per segment or sentence
unit_name = f"{unit}s"
print(f"{counts.n_docs} {unit_name} from {speech['speaker_id'].nunique()} speakers, "
      f"{counts.n_tokens.sum()} tokens; kinds: {', '.join(kinds)}")

# %% [markdown]
# ## The documents
# How many documents and tokens each country contributes. Every later comparison by country
# rests on these numbers, and on one or two speakers per country.

# %%
per_country = document_summary(counts, group_by="country")
per_country

# %% [markdown]
# ## Choosing K
# Both models for every K. `stability` is the mean agreement over the subsamples and
# `stability_sd` its spread; `stability_seeds` the mean agreement over other seeds. All values
# are means over topics; higher is better for every column.

# %%
selection, fitted = select_k(
    counts, range(k_min, k_max + 1), models, top_n=top_n, n_subsamples=n_subsamples,
    n_seeds=n_seeds, random_state=random_state, min_df=min_df, return_models=True)
selection.round(3)

# %%
fig = plot_k_selection(selection,
                       title=f"Choosing K ({counts.n_docs} {unit_name}, {top_n} top words)")
k_figure = save_figure(fig, "02_k_selection.png", results_dir)

# %% [markdown]
# **Reading the table (default parameters).** NMF is the better model here on every column
# that matters: for K ≥ 3 its NPMI and UMass coherence are higher than LDA's at the same K,
# its subsample stability is higher at every K, and its seed stability is 1 at most K. LDA's
# seed stability falls from about 0.57 at K = 2 to about 0.3 at K = 6: on 44 short
# paragraphs its topics depend as much on the random start as on the text.
# (Contrary to a common belief, NMF is not wholly seed-independent either: scikit-learn's
# `nndsvda` start uses a randomized SVD, which shows as a seed stability below 1 at one K.)
#
# Within NMF no K is clearly best, and we say so. K = 2 is as stable as any K but its
# topics are no more coherent than chance (NPMI below 0). From K = 4 on, NPMI levels off
# near 0.1 while stability drops below 0.55. K = 3 is the largest K whose stability is as
# high as K = 2's, and it is the first K with positive NPMI; we therefore take NMF with
# **K = 3** as the coarsest reading the data support. The stability differences between
# neighbouring K are no larger than the standard deviations across the subsamples
# (`stability_sd`), so K = 3 is a defensible choice, not a discovered number of themes. The
# section "One K more" shows what K = 4 would add.

# %% [markdown]
# ## The topics of the chosen model
# Topics are numbered by prevalence (topic 1 carries the largest share of all documents).
# `npmi` and `umass` are per topic; `stability` is the topic's average Jaccard agreement with
# its matched topic across the subsamples. The label is a human reading of the top words and
# of the passages below (`topic_labels`, matched on a topic's three top words); it is not
# produced by the model.

# %%
model = fit_topics(counts, chosen_k, chosen_model, random_state=random_state, min_df=min_df)
assert model.top_words(top_n) == fitted[(chosen_model, chosen_k)].top_words(top_n)
labels = label_topics(model, topic_labels)
doc_topics = model.doc_topics()
topics_table = topic_table(model, top_n, labels=topic_labels, n_subsamples=n_subsamples)
print(f"{chosen_model.upper()}, K = {chosen_k}; {len(model.terms_)} terms; "
      f"{len(model.empty_docs)} {unit_name} without any vocabulary term")
topics_table.round(3)

# %% [markdown]
# ### The two most representative passages of each topic
# The passages with the largest share of the topic (shares equal to two decimals count as
# tied, and the longer passage is shown first). Read them before trusting a label.

# %%
passages = model.representative_docs(2)
passages.insert(1, "label", passages["topic"].map(labels))
passages[["topic", "label", "rank", "speaker", "country", "kind", "weight", "text"]].round(3)

# %% [markdown]
# **What the topics are.** Topic 1 (regional cooperation and development) comes mostly from
# the Uzbek commentator's long quotation, topic 3 (the consultative meetings and the C6 format)
# almost only from Bayramli's remarks in the AnewZ interview; topic 2 gathers remarks on
# roles, foreign policy, the United States and the South Caucasus from several speakers.
# Transport corridors and Turkic integration, although discussed, do not form a topic of their
# own at this K. A topic here is close to "what one interview was about", which is why the
# shares by country below must not be read as national positions.

# %% [markdown]
# ## One K more
# The topics NMF finds with one more topic, with their subsample stability: what a reader who
# prefers finer themes would get, and how reliable those themes are.

# %%
finer_k = chosen_k + 1
finer = fitted[(chosen_model, finer_k)] if (chosen_model, finer_k) in fitted else fit_topics(
    counts, finer_k, chosen_model, random_state=random_state, min_df=min_df)
topic_table(finer, top_n, n_subsamples=n_subsamples)[["topic", "top_words", "stability"]].round(3)

# %% [markdown]
# With K = 4 a transport-and-integration topic (routes, the Organisation of Turkic States,
# Europe) separates out, but its top words are the least stable of the four across subsamples:
# with 44 short paragraphs, whether transport stands as a theme of its own depends on which
# paragraphs happen to be included.

# %% [markdown]
# ## Topic share by country
# The share of each country's tokens that the model assigns to each topic (each document's
# topic shares weighted by its number of tokens), with a 90% bootstrap interval from
# resampling that country's documents, and the number of documents, tokens and speakers
# behind each estimate. The bootstrap treats documents as independent; paragraphs of one
# speaker are not, so the intervals understate the uncertainty.

# %%
shares = topic_share(doc_topics, group_by="country", n_boot=2000, confidence=0.9,
                     random_state=random_state)
shares.insert(2, "label", shares["topic"].map(labels))
shares.rename(columns={"n_docs": f"n_{unit_name}"}).round(3)

# %%
fig = plot_topic_share(shares, group_by="country", labels=labels, unit_name=unit_name,
                       title=f"Topic share by country ({chosen_model.upper()}, K = {chosen_k})")
share_figure = save_figure(fig, "02_topic_share_by_country.png", results_dir)

# %% [markdown]
# The Uzbek commentator's tokens go mostly to topic 1, the Kyrgyz commentator's mostly to
# topic 2, and the two Azerbaijani commentators' split between topics 2 and 3. The intervals
# are wide (several span 0.3–0.4). Because every country is one or two speakers answering
# different questions in different articles, these differences describe the four people and
# the two interviews, not Azerbaijan, Kyrgyzstan or Uzbekistan.

# %% [markdown]
# ## Exported tables

# %%
top_words_all = pd.concat([tm.topic_words(top_n) for tm in fitted.values()], ignore_index=True)
export_cols = ["model", "k", "doc", "segment_id", "article_id", "kind", "speaker", "country",
               "n_tokens", "topic", "weight"]
doc_topics_out = doc_topics[export_cols].rename(columns={"doc": "unit_id"})
doc_topics_out.insert(doc_topics_out.columns.get_loc("topic") + 1, "label",
                      doc_topics_out["topic"].map(labels))
outputs = [
    write_table(selection, "topic_selection.csv", results_dir),
    write_table(top_words_all, "topics.csv", results_dir),
    write_table(doc_topics_out, "doc_topics.csv", results_dir),
    write_table(shares, "topic_share_by_country.csv", results_dir),
]
[p.name for p in outputs]

# %% [markdown]
# `topics.csv` holds the top words of every model and K in the selection table, so other
# choices can be inspected without re-running; `doc_topics.csv` and the shares are for the
# chosen model only.
#
# ## What these numbers cannot show
# * **Four speakers, two articles, two Azerbaijan-based outlets.** Topic shares by country are
#   shares by speaker (Uzbekistan and Kyrgyzstan are one person each); they show what these
#   commentators talked about when these journalists asked, not national views.
# * **Tens of paragraphs.** With 44 segments and a vocabulary of little more than a hundred
#   words used in two or more of them (`n_terms`), a topic is a handful of co-occurring
#   words; K is chosen among weakly separated alternatives (see the standard deviations
#   above), and a different but defensible K regroups the same paragraphs differently.
# * **Coherence on the same documents.** NPMI and UMass are computed on the corpus the models
#   were fitted on; they reward words that co-occur in these paragraphs, not themes that would
#   hold in other commentary.
# * **Paraphrase is the journalist's wording.** About a third of the segments are paraphrases,
#   so part of each "speaker's" vocabulary is the outlet's.
# * **English renderings.** The texts are probably translated and edited; the word lists behind
#   the topics (including stopwords such as *one* or *particularly*, which remain) shape what
#   the models see.
