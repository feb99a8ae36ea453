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
# **Data.** The articles of the corpus, kept verbatim in its `raw/` folder (what this run's corpus
# holds is stated below the parameters). Every character of each file belongs to exactly one
# annotated *segment* (`segments.csv`) of kind `title`, `narrative` (the journalist), `quote`,
# `paraphrase` (reported speech attributed to a commentator), `boilerplate` or `unrelated`.
# Segments added with `c6lab corpus add` are a program's proposal until someone reviews them.
#
# **Method.** Counting only. *Running words* are all words; *tokens* are what the later analyses
# count: lower-cased, name variants unified (U.S./US/United States → `united_states`), phrases
# joined (`middle_corridor`), stopwords removed — with the word lists of the corpus analysed (its
# `lexicons/` folder, over the package defaults for any list it does not have).

# %% tags=["parameters"]
# Parameters (papermill), declared with their allowed values in c6lab/parameters.py (`c6lab run --help`).
corpus_root = None  # None: $C6LAB_CORPUS (read in the next cell), else the repository's corpus/
results_dir = None  # None: $C6LAB_RESULTS, else the repository's results/
dask_scheduler = None  # None: $C6LAB_DASK_SCHEDULER, else this process (same results either way)
concordance_terms = ["Middle Corridor", "United States", "China", "Russia"]
concordance_window = 6
max_articles = 200  # above this many articles, proposals are compared on a sample of this many
random_state = 0  # seed of that sample

# %%
import os

import pandas as pd
from IPython.display import display

import c6lab
from c6lab.corpus.propose import compare_proposals
from c6lab.io import save_figure, write_table
from c6lab.narrative import for_bundled_study, prose
from c6lab.parameters import defaults as declared_defaults
from c6lab.paths import resolve_corpus_root, resolve_results_dir, resolve_scheduler
from c6lab.plots import bar_by_kind, show_saved

pd.set_option("display.max_colwidth", 120)
pd.set_option("display.max_rows", 100)
corpus = c6lab.open_corpus(resolve_corpus_root(corpus_root, os.environ))
results_dir = resolve_results_dir(results_dir, os.environ)
# tokens and counts here, or as Dask partitions on a scheduler: identical results
engine = c6lab.parallel.Engine(resolve_scheduler(dask_scheduler, os.environ))
lexicons = corpus.lexicons  # this corpus's word lists, handed to every step below
segments = corpus.segments
speech = corpus.select(["quote", "paraphrase"])
speech_counts = engine.dfm(speech, lexicons, cache=corpus.cache_folder)  # a large corpus: counted once per run
# the interpretations written for the bundled study hold only with the parameters they were written for
# (none of them is about the proposal comparison, so its sample does not count)
written_for = all(globals()[k] == v for k, v in declared_defaults("00_corpus").items()
                  if k not in ("corpus_root", "results_dir", "dask_scheduler", "max_articles", "random_state"))
commentators = speech.drop_duplicates("speaker_id")
# each article's commentators from one grouping (a search of the table per article grew with the square)
# (a commentator quoted in several articles is listed under each of them)
named = {aid: [f"{r.speaker} ({r.country or '??'})" for r in rows.itertuples()]
         for aid, rows in speech.drop_duplicates(["article_id", "speaker_id"]).groupby("article_id", sort=False)}
per_article = [{"outlet": outlet or "(no outlet)", "article_id": aid, "speakers": named.get(aid, [])}
               for aid, outlet in corpus.articles[["article_id", "outlet"]].itertuples(index=False)]
prose("""
**This corpus.** {{ n_articles | count('article') | capitalize }}, {{ n_segments | count('segment') }},
{{ n_commentators | count('commentator') }}{{ ':' if per_article else '.' }}
{% for a in per_article %}{{ a.outlet }} (`{{ a.article_id }}`): {{ a.speakers | length | count('commentator') }}
{%- if a.speakers %}, {{ a.speakers | join_names }}{% endif %}{{ '; ' if not loop.last else '.' }}
{% endfor %}
Unreviewed proposals: {{ n_unreviewed }} of the {{ n_segments }} segments, {{ n_unreviewed_speech }} of the
{{ n_speech }} quotes and paraphrases counted below, were proposed by `c6lab corpus add` and nobody has reviewed
them{% if n_unreviewed %}: their kinds, speakers and boundaries are a program's guess, and every table below rests
on them as proposed{% endif %}.
""", n_articles=len(corpus.articles), n_segments=len(segments), n_commentators=len(commentators),
      per_article=per_article, n_unreviewed=int(corpus.review_status()["n_unreviewed"].sum()),
      n_unreviewed_speech=int((~speech["reviewed"].astype(bool)).sum()), n_speech=len(speech))

# %% [markdown]
# ## Articles
# One row per article with its provenance fields as recorded in `articles.csv`. Empty cells
# are unknown, not missing by mistake.

# %%
articles = (
    segments.groupby(["article_id", "outlet", "title", "published", "raw_file"], dropna=False)
    .agg(segments=("segment_id", "size"), characters=("char_end", "max"))
    .reset_index()
)
articles

# %%
empty = {field: int((articles[field].fillna("") == "").sum()) for field in ("title", "published")}
prose("""
{% if n %}Empty fields: the title of {{ empty.title }} and the date of {{ empty.published }} of the
{{ n | count('article') }}.{% else %}The corpus holds no article yet.{% endif %}
""", empty=empty, n=len(articles))

# %%
for_bundled_study(corpus, """
The captured text of the AnewZ page does not contain its own headline, and neither text gives a date or address.
""", defaults=written_for)

# %% [markdown]
# ## Speakers
# The commentators with what the texts say about them. Journalists are not speakers here:
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
if len(by_speaker):
    fig = bar_by_kind(by_speaker.assign(label=by_speaker["speaker"] + " (" + by_speaker["country"] + ")"),
                      group="label", value="n_words", title="Running words per commentator")
    figure_path = save_figure(fig, "00_words_per_speaker.png", results_dir)
    display(show_saved(fig, figure_path))  # the saved file: the figure is not drawn again
    fig = bar_by_kind(by_country.assign(label=by_country["country"] + " (" + by_country["n_speakers"].astype(str)
                                        + " speaker" + by_country["n_speakers"].gt(1).map({True: "s", False: ""})
                                        + ")"),
                      group="label", value="n_words", title="Running words per country")
    figure_path = save_figure(fig, "00_words_per_country.png", results_dir)
    display(show_saved(fig, figure_path))

# %%
words = (by_speaker.pivot_table(index=["country", "speaker"], columns="kind", values="n_words", aggfunc="sum",
                                fill_value=0)
         .reindex(columns=["quote", "paraphrase"], fill_value=0).reset_index())
prose("""
{% for country, rows in words | groupby('country') %}{{ country or '(country unknown)' }}:
{{ rows | sum(attribute='quote') }} quoted and {{ rows | sum(attribute='paraphrase') }} paraphrased running words
{%- if rows | length > 1 %} from {{ rows | length | count('commentator') }} ({% for r in rows | sort(attribute='quote',
reverse=True) %}{{ r.speaker }} {{ r.quote }} + {{ r.paraphrase }}{{ ', ' if not loop.last }}{% endfor %})
{%- else %} from {{ rows[0].speaker }}{% endif %}{{ '; ' if not loop.last else '.' }}
{% else %}No commentator is quoted or paraphrased in this corpus.{% endfor %}
""", words=words.to_dict("records"))

# %%
for_bundled_study(corpus, """
Any comparison by country therefore sets one talkative speaker against two brief ones, and the Azerbaijani side
rests largely on the journalist's paraphrase of one interview.
""", defaults=written_for)

# %% [markdown]
# ## What was set aside
# Every segment annotated as `boilerplate` or `unrelated`, in full. They stay in the corpus
# (so offsets and coverage hold) but the analyses exclude them.

# %%
set_aside = segments[segments["kind"].isin(["boilerplate", "unrelated"])]
set_aside[["segment_id", "kind", "text", "note"]].assign(text=set_aside["text"].map(c6lab.normalize))

# %% [markdown]
# ### Would the detection functions have found them?
# `c6lab.corpus.propose.propose_kinds` proposes a kind for each paragraph from signals, each
# reported in a column of its output (their definitions are in its documentation). Below, its
# proposals against the annotation of the segments each paragraph overlaps. Above `max_articles`
# articles they are compared on a random sample of that many (drawn with `random_state`).

# %%
proposals = compare_proposals(corpus, max_articles=max_articles, random_state=random_state)
signals = list(proposals.columns[proposals.columns.get_loc("text") + 1:proposals.columns.get_loc("proposed_kind")])
annotated = proposals["annotated_kinds"].str.split("+")
furniture = annotated.map(lambda kinds: set(kinds) <= {"boilerplate", "unrelated"})
holds_speech = annotated.map(lambda kinds: bool({"quote", "paraphrase"} & set(kinds)))
flagged = proposals["proposed_kind"].isin(["boilerplate", "unrelated"])
prose("""
{% if n_compared < n_articles %}Compared on a random sample of {{ n_compared }} of the
{{ n_articles | count('article') }} (parameters `max_articles` and `random_state`): a paragraph counts as repeated or as a near
duplicate only of paragraphs of the sample, so repeats across articles are undercounted{% else %}All
{{ n_articles | count('article') }} of the corpus are compared{% endif %}.
{{ signals | length | count('signal') | capitalize }}: {% for s in signals %}`{{ s }}`{{ ', ' if loop.revindex > 2 else
(' and ' if loop.revindex == 2) }}{% endfor %}.
{% if n_furniture %}Of the {{ n_furniture | count('paragraph') }} annotated only as boilerplate or unrelated,
{{ n_found }} {{ 'is' if n_found == 1 else 'are' }} proposed as such{% else %}No paragraph is annotated only as
boilerplate or unrelated{% endif %}; of the {{ n_speech | count('paragraph') }} holding a quote or
paraphrase, {{ n_wrong }} {{ 'is' if n_wrong == 1 else 'are' }} proposed as furniture.
{% if n_unreviewed %}For the {{ n_unreviewed }} unreviewed segments the annotation is itself a program's proposal,
so there the comparison measures agreement between two programs.{% endif %}
""", n_compared=proposals.attrs["n_articles_compared"], n_articles=proposals.attrs["n_articles"],
      signals=signals, n_furniture=int(furniture.sum()), n_found=int((furniture & flagged).sum()),
      n_speech=int(holds_speech.sum()), n_wrong=int((holds_speech & flagged).sum()),
      n_unreviewed=int((~segments["reviewed"].astype(bool)).sum()))

# %%
pd.crosstab(proposals["annotated_kinds"], proposals["proposed_kind"], margins=True)

# %% [markdown]
# The quote/narrative proposal is cruder (it only looks for an opening quotation mark);
# attribution is left to the annotator.

# %% [markdown]
# ## Concordances
# Every occurrence in the whole corpus (all kinds, so the teasers show up too) of the terms of
# the parameter `concordance_terms`. Patterns are tokenised like the text, so "United States"
# also finds "U.S." and "US".

# %%
# only a segment that holds every counted token of a term can have a line for it: one pass of the
# batch tokenizer finds those, and kwic reads them instead of the whole corpus once per term
needed = {term: set() if any(ch in term for ch in "*?[") else set(lexicons.tokenizer(term))
          for term in concordance_terms}
holds = {term: [] for term in concordance_terms}
for toks in lexicons.tokenizer.pipe(segments["text"]):
    toks = set(toks)
    for term, need in needed.items():
        holds[term].append(need <= toks)
concordances = pd.concat(
    [c6lab.kwic(segments[holds[term]], term, window=concordance_window, lexicons=lexicons).assign(term=term)
     for term in concordance_terms],
    ignore_index=True,
)
concordances[["term", "doc", "kind", "speaker", "left", "keyword", "right"]]

# %%
in_speech = concordances["kind"].isin(["quote", "paraphrase"])
terms = [{"term": t, "n": int((concordances["term"] == t).sum()),
          "n_speech": int(((concordances["term"] == t) & in_speech).sum()),
          "speakers": sorted(set(concordances.loc[(concordances["term"] == t) & in_speech, "speaker"])),
          "other": concordances.loc[(concordances["term"] == t) & ~in_speech, "kind"].value_counts().sort_index()
          .to_dict()}
         for t in concordance_terms]
absent = [t["term"] for t in terms if not t["n_speech"]]
prose("""
{% for t in terms %}"{{ t.term }}": {{ t.n | count('occurrence') }}{% if t.n %}; {% if t.n_speech %}{{ t.n_speech }}
in the commentary ({{ t.speakers | join_names }}){% else %}none in the commentary{% endif %}{% for k, v in
t.other.items() %}, {{ v }} in {{ k }}{% endfor %}{% endif %}.
{% endfor %}
{% if absent %}That {% for t in absent %}"{{ t }}"{{ ', ' if loop.revindex > 2 else (' and ' if loop.revindex == 2)
}}{% endfor %} never {{ 'occurs' if absent | length == 1 else 'occur' }}
in the commentary is a finding about these texts, not about the commentators' views.{% endif %}
""", terms=terms, absent=absent)

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

# %%
n_per_country = speech.groupby("country")["speaker_id"].nunique()
one_person = [c or "(country unknown)" for c, n in n_per_country.items() if n == 1]
prose("""
* {{ n_commentators | count('commentator') | capitalize }} in {{ n_articles | count('article') }} from
{{ outlets | length | count('outlet') }}{% if outlets %} ({{ outlets | join_names }}){% endif %}: nothing here describes
a country's expert opinion in general{% if one_person %}; {{ one_person | join_names }}
{{ 'is one person' if one_person | length == 1 else 'are one person each' }}{% endif %}.
* Texts published in English are often translated and edited by the outlets; word counts measure the published text,
not the speaker's own words.
* The segment boundaries and the quote/paraphrase distinction are an annotator's reading (see the corpus's
`README.md`){% if n_unreviewed %}, and for the {{ n_unreviewed }} unreviewed segments a program's proposal{% endif %};
paraphrases are the journalist's words.
""", n_commentators=len(commentators), n_articles=len(corpus.articles),
      outlets=sorted(o for o in corpus.articles["outlet"].unique() if o), one_person=one_person,
      n_unreviewed=int((~segments["reviewed"].astype(bool)).sum()))

# %%
for_bundled_study(corpus, """
Both outlets are based in Azerbaijan, and each of the Kyrgyz and Uzbek sides is a single expert.
""", defaults=written_for)
