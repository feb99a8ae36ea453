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
# # 00 · What the corpus holds
#
# **Question.** Before any analysis: which texts are in the corpus, who speaks in them, how much
# each commentator says, and what was set aside as page furniture or unrelated material?
#
# **Data.** Two English-language articles, kept verbatim in `corpus/raw/`: a Caliber.Az piece with
# three commentators (Azerbaijan, Uzbekistan, Kyrgyzstan) and an AnewZ interview with one
# Azerbaijani commentator. Every character of each file belongs to exactly one hand-annotated
# *segment* (`corpus/segments.csv`) of kind `title`, `narrative` (the journalist), `quote`,
# `paraphrase` (reported speech attributed to a commentator), `boilerplate` or `unrelated`.
#
# **Method.** Counting only. *Running words* are all words; *tokens* are what the later analyses
# count: lower-cased, name variants unified (U.S./US/United States → `united_states`), phrases
# joined (`middle_corridor`), stopwords removed — with the word lists of the corpus analysed (its
# `lexicons/` folder, over the package defaults for any list it does not have).

# %% tags=["parameters"]
# Parameters (papermill), declared with their allowed values in c6lab/parameters.py (`c6lab run --help`).
corpus_root = None  # None: $C6LAB_CORPUS, else the repository's corpus/
results_dir = None  # None: $C6LAB_RESULTS, else the repository's results/
concordance_terms = ["Middle Corridor", "United States", "China", "Russia"]
concordance_window = 6

# %%
import pandas as pd

import c6lab
from c6lab.corpus.propose import compare_proposals
from c6lab.io import save_figure, write_table
from c6lab.paths import resolve_corpus_root, resolve_results_dir
from c6lab.plots import bar_by_kind

pd.set_option("display.max_colwidth", 120)
pd.set_option("display.max_rows", 100)
corpus = c6lab.open_corpus(resolve_corpus_root(corpus_root))
results_dir = resolve_results_dir(results_dir)
lexicons = corpus.lexicons  # this corpus's word lists, handed to every step below
segments = corpus.segments
speech = corpus.select(["quote", "paraphrase"])
speech_counts = c6lab.dfm(speech, lexicons)
print(f"{segments['article_id'].nunique()} articles, {len(segments)} segments, "
      f"{speech['speaker_id'].nunique()} commentators")

# %% [markdown]
# ## Articles
# One row per article with its provenance fields as recorded in `corpus/articles.csv`. Empty
# cells are unknown, not missing by mistake: the captured text of the AnewZ page does not contain
# its own headline, and neither text gives a date or address.

# %%
articles = (
    segments.groupby(["article_id", "outlet", "title", "published", "raw_file"], dropna=False)
    .agg(segments=("segment_id", "size"), characters=("char_end", "max"))
    .reset_index()
)
articles

# %% [markdown]
# ## Speakers
# The four commentators with what the texts say about them. Journalists are not speakers here:
# their text is `narrative`.

# %%
speakers = (
    speech.groupby(["speaker_id", "speaker", "country", "affiliation"])
    .agg(articles=("article_id", "nunique"), segments=("segment_id", "size"))
    .reset_index()
    .sort_values(["country", "speaker"])
)
speakers

# %% [markdown]
# ## How the text divides into kinds
# Characters per kind and article. Each article's column sums to the length of its raw file,
# which `load_corpus` checks; nothing was deleted to make the corpus.

# %%
segments.assign(characters=segments["char_end"] - segments["char_start"]).pivot_table(
    index="kind", columns="article_id", values="characters", aggfunc="sum", fill_value=0
)

# %% [markdown]
# ## Words per speaker and per country
# Quotes and paraphrases separately: a paraphrase is the journalist's wording of what a
# commentator said, so it is weaker evidence of the commentator's own vocabulary.

# %%
by_speaker = c6lab.word_counts(speech_counts, group_by=["country", "speaker"])
by_speaker

# %%
by_country = c6lab.word_counts(speech_counts, group_by=["country"])
by_country["n_speakers"] = by_country["country"].map(speech.groupby("country")["speaker_id"].nunique())
by_country

# %%
fig = bar_by_kind(by_speaker.assign(label=by_speaker["speaker"] + " (" + by_speaker["country"] + ")"),
                  group="label", value="n_words", title="Running words per commentator")
figure_path = save_figure(fig, "00_words_per_speaker.png", results_dir)

# %%
fig = bar_by_kind(by_country.assign(label=by_country["country"] + " (" + by_country["n_speakers"].astype(str)
                                    + " speaker" + by_country["n_speakers"].gt(1).map({True: "s", False: ""}) + ")"),
                  group="label", value="n_words", title="Running words per country")
figure_path = save_figure(fig, "00_words_per_country.png", results_dir)

# %% [markdown]
# The Kyrgyz and Uzbek commentators each contribute about 500 quoted words; the two Azerbaijani
# commentators together about 150 quoted and 170 paraphrased words, most of them Bayramli's.
# Any comparison by country therefore sets one talkative speaker against two brief ones, and
# the Azerbaijani side rests largely on the journalist's paraphrase of one interview.

# %% [markdown]
# ## What was set aside
# Every segment annotated as `boilerplate` or `unrelated`, in full. They stay in the corpus
# (so offsets and coverage hold) but the analyses exclude them.

# %%
set_aside = segments[segments["kind"].isin(["boilerplate", "unrelated"])]
set_aside[["segment_id", "kind", "text", "note"]].assign(text=set_aside["text"].map(c6lab.normalize))

# %% [markdown]
# ### Would the detection functions have found them?
# `c6lab.corpus.propose.propose_kinds` proposes a kind per paragraph from four signals (boilerplate patterns,
# exact repeats, near-duplicate shingles, off-topic paragraphs at the top or bottom of the page).
# Below, its proposals against the hand annotation of each paragraph's first segment.

# %%
proposals = compare_proposals(corpus)
pd.crosstab(proposals["annotated_kinds"], proposals["proposed_kind"], margins=True)

# %% [markdown]
# Every paragraph annotated `boilerplate` or `unrelated` is proposed as such, and no paragraph
# holding a quote or paraphrase is. The quote/narrative proposal is cruder (it only looks for
# an opening quotation mark); attribution is left to the annotator.

# %% [markdown]
# ## Concordances
# Every occurrence in the whole corpus (all kinds, so the teasers show up too) of four terms a
# reader of C6 commentary looks for. Patterns are tokenised like the text, so "United States"
# also finds "U.S." and "US".

# %%
concordances = pd.concat(
    [c6lab.kwic(segments, term, window=concordance_window, lexicons=lexicons).assign(term=term)
     for term in concordance_terms],
    ignore_index=True,
)
concordances[["term", "doc", "kind", "speaker", "left", "keyword", "right"]]

# %% [markdown]
# "Russia" occurs only in the unrelated teasers and never in the commentary itself, while China
# and the United States are discussed by the Uzbek and Kyrgyz commentators. That absence is a
# finding about these two texts, not about the commentators' views.

# %% [markdown]
# ## Exported tables

# %%
outputs = [
    write_table(articles, "corpus_articles.csv", results_dir),
    write_table(speakers, "corpus_speakers.csv", results_dir),
    write_table(by_speaker, "corpus_words_by_speaker.csv", results_dir),
    write_table(by_country, "corpus_words_by_country.csv", results_dir),
    write_table(set_aside.drop(columns=["text"]), "corpus_set_aside.csv", results_dir),
    write_table(concordances, "corpus_concordances.csv", results_dir),
]
[p.name for p in outputs]

# %% [markdown]
# ## What these numbers cannot show
# * Four commentators in two articles from two Azerbaijani-based outlets: nothing here describes
#   "Uzbek" or "Kyrgyz" expert opinion in general; each country is one person.
# * The texts are English renderings, probably translated and edited by the outlets; word
#   counts measure the published text, not the speaker's own words.
# * The segment boundaries and the quote/paraphrase distinction are one annotator's reading
#   (see `corpus/README.md`); paraphrases are the journalist's words.
