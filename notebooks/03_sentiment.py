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
# # 03 · Lexicon tone of sentences that mention an external power
#
# **Question.** When the commentators mention an external power (the United States, China,
# Russia, the EU/West, Türkiye, or whichever powers the corpus's `lexicons/powers.csv` lists),
# what is the *lexicon tone* of those sentences, group by group — and how far does that tone
# stand in for the speaker's stance toward the power? The lexicon tone is what a dictionary of
# rated words makes of a sentence. It is **not the speaker's stance** toward the power: a
# sentence can be warm about regional cooperation and say nothing for or against the power it
# names, or report an attack in grim words without blaming anyone. Every table and figure
# below is about tone; the validation measures, with intervals, how often the tone's label
# agrees with a person's label of the stance, and every tone figure carries that measure.
#
# **Data.** The quotes and paraphrases (the parameter `kinds`) of the commentators, grouped by
# the parameter `group_by`. A *mention* is one occurrence of an alias of a power listed in the
# corpus's `lexicons/powers.csv`; persons (Trump, Putin, Xi …) count for their state, and
# *exclude* rows name places that contain an alias but are not the power ("South China Sea",
# "Eastern Europe"). The validation uses every mention in the whole corpus (journalists'
# narrative and unrelated teasers too), labelled by hand (−1/0/+1) in
# `annotations/power_sentiment_gold.csv`. What this run holds is stated under the parameters.
#
# **Method.** VADER (Hutto & Gilbert 2014), the lexicon shipped with the `vaderSentiment`
# package. VADER gives a text a *compound score*, written **c** here: the sum of the valences of
# its rated words (after VADER's rules for negation, boosters and capitals), squashed to
# −1…+1; |c| < 0.05 is VADER's neutral zone, c ≥ 0.05 reads as positive (+1), c ≤ −0.05 as
# negative (−1). Each mention gets the c of its sentence with **every** alias of every power
# masked (`masked_sentence`): VADER rates "united" +1.8, so an unmasked "United States" makes
# any sentence about the US look friendlier. Two comparisons: the same masked sentence cut to
# ±k tokens around the mention (`window`), and the unmasked sentence (`naive_sentence`). The
# headline method is the parameter `method`. Scores are read against each commentator's
# *baseline*, the mean c of their sentences that mention no power. Group × power means get
# 95% bootstrap intervals (BCa; percentile where BCa cannot be computed). Details:
# `docs/methods.md`.

# %% tags=["parameters"]
# Parameters (papermill), declared with their allowed values in c6lab/parameters.py (`c6lab run --help`).
corpus_root = None  # None: $C6LAB_CORPUS (read in the next cell), else the corpus/ folder of the repository
results_dir = None  # None: $C6LAB_RESULTS, else the results/ folder of the repository
dask_scheduler = None  # None: $C6LAB_DASK_SCHEDULER, else this process (same results either way)
group_by = "country"  # or "speaker"
kinds = ["quote", "paraphrase"]  # segment kinds analysed (validation always uses every mention)
method = "masked_sentence"  # headline method: masked_sentence, window or naive_sentence
window = 5  # tokens either side of the mention for the window method
domain = False  # apply the corpus's lexicons/vader_domain.csv in the headline results
n_boot = 9999  # bootstrap resamples per cell
random_state = 0  # seed of the bootstrap's numpy Generator (the same for every cell)
n_jobs = 2  # processes finding and scoring the mentions of 20,000+ segments (the same tables for any number)

# %%
import os
from dataclasses import asdict

import pandas as pd
from IPython.display import display

import c6lab
from c6lab import sentiment as S
from c6lab.io import save_figure, write_table
from c6lab.narrative import for_bundled_study, prose
from c6lab.parameters import defaults as declared_defaults
from c6lab.paths import resolve_corpus_root, resolve_results_dir, resolve_scheduler
from c6lab.plots import show_saved
from c6lab.plots.sentiment import dot_plot, heatmap
from c6lab.sentiment import facts

pd.set_option("display.max_colwidth", 110)
pd.set_option("display.max_rows", 120)
pd.set_option("display.width", 200)
root = resolve_corpus_root(corpus_root, os.environ)
results_dir = resolve_results_dir(results_dir, os.environ)
# mentions and tone here (a large corpus: in n_jobs processes), or as Dask partitions on a scheduler:
# identical results
engine = c6lab.parallel.Engine(resolve_scheduler(dask_scheduler, os.environ), n_jobs=n_jobs)
corpus = c6lab.open_corpus(root)
lex = corpus.lexicons  # the corpus's word lists: aliases, powers, sentence splitter, domain changes
powers = lex.power_codes  # in the order of powers.csv
all_segments = corpus.select()
speech = corpus.select(kinds)
groups = sorted(set(S.group_labels(speech, group_by)))
names = speech.drop_duplicates("speaker_id").set_index("speaker_id")["speaker"]
# the interpretations written for the bundled study hold only with the parameters they were written for
written_for = all(globals()[k] == v for k, v in declared_defaults("03_sentiment").items()
                  if k not in ("corpus_root", "results_dir", "dask_scheduler", "n_jobs"))
members = facts.group_members(speech, group_by)
prose("""
**This run.** The {{ kinds | join_names }} segments of {{ n_speakers | count('commentator') }} in
{{ n_articles | count('article') }}{% if members %}, grouped by `{{ group_by }}`:
{% if group_by == 'speaker' %}one group per commentator.{% else %}{% for m in members %}{{ m.group }} =
{{ m.speakers | join_names }}{{ '; ' if not loop.last else '.' }}{% endfor %}{% endif %}
{% else %}: this corpus has no such segment, so there is nothing to score below.{% endif +%}
Powers (this corpus's `powers.csv`): {% for p in power_list %}`{{ p.code }}` {{ p.name }}{{ ', ' if not loop.last
else '.' }}{% endfor +%}
Headline method: `{{ method }}`{% if method == 'window' %} (±{{ window }} tokens){% endif %},
{{ 'with' if domain else 'without' }} the domain changes to VADER's lexicon.
""", kinds=kinds, n_speakers=speech["speaker_id"].replace("", pd.NA).nunique(),
      n_articles=speech["article_id"].nunique(), members=members, group_by=group_by,
      power_list=lex.powers, method=method, window=window, domain=domain)

# %% [markdown]
# ## The alias list
# Aliases per power and type, and how many of them are matched case-sensitively (only as
# written: "US" is not the pronoun "us", "China" not porcelain); the rest ignore case. Where two
# aliases overlap, the longer wins ("South China Sea" before "China"). Students extend
# `powers.csv`, not the code: a row with a new power code adds that power to every table and
# figure below (its display name comes from `power_names.csv`, else the code).

# %%
aliases = pd.DataFrame([asdict(a) for a in lex.aliases], columns=["power", "alias", "case_sensitive", "type", "note"])
facts.alias_table(lex)

# %%
aliases.loc[aliases["type"] == "exclude", ["power", "alias", "note"]]

# %% [markdown]
# ## Who mentions which power
# Mentions per group and power in the commentators' speech, with the number of speakers and
# sentences behind each group.

# %%
# every segment is analysed once, and each distinct text scored once per lexicon, for every setting this notebook
# compares (the headline, the sensitivity windows); any subset of the segments gets its own baselines
tone = engine.mention_scores(all_segments, lexicons=lex, settings=S.tone_settings(window, windows=(3, 5, 10)))
mentions = tone.find_mentions(speech)
all_mentions = tone.find_mentions()
per_group = facts.mentions_per_group(speech, mentions, lex.powers, group_by, lexicons=lex)
per_group

# %%
absent = facts.absent_powers(mentions, all_mentions, lex.powers)
prose("""
{% if n %}{{ n | count('mention') | capitalize }} of {{ n_powers_said | count('power') }} in the speech analysed;
per group:
{% for g, k in per_group %}{{ g }} {{ k }}{{ ', ' if not loop.last else '.' }}{% endfor %}
{% else %}No sentence of the speech analysed mentions a power.{% endif +%}
{% for p in absent if p.n_elsewhere %}{{ p.name }} is never mentioned there; elsewhere in the corpus it has
{{ p.n_elsewhere | count('mention') }}, {% if p.kinds | length == 1 %}all in {{ p.kinds | first }} segments{% else %}
{% for k, v in p.kinds.items() %}{{ v }} in {{ k }}{{ ', ' if not loop.last }}{% endfor %} segments{% endif
%}. {% endfor +%}
{% if nowhere %}{{ nowhere | join_names }} {{ 'is' if nowhere | length == 1 else 'are' }} mentioned nowhere in the
corpus.{% endif +%}
{% if n %}Unreviewed proposals: {{ n_unreviewed }} of the {{ n }} mentions lie in segments proposed by
`c6lab corpus add` that nobody has reviewed{% if n_unreviewed %}: their kind, speaker and boundaries are a program's
guess{% endif %}.{% endif %}
""", n=len(mentions), n_powers_said=mentions["power"].nunique(),
      per_group=per_group["all mentions"].items(), absent=absent,
      nowhere=[p["name"] for p in absent if not p["n_elsewhere"]],
      n_unreviewed=facts.unreviewed_mentions(mentions, speech))

# %% [markdown]
# Which words were found:

# %%
mentions.groupby(["power", "alias", "alias_type"]).size().rename("n").reset_index()

# %%
for_bundled_study(corpus, """
Europe appears mostly as the destination of transport routes; China as the origin of a route, the
owner of the Belt and Road, and beside the US as a presence in the region.
""", defaults=written_for)

# %% [markdown]
# ## Lexicon tone by group and power
# The headline method (set in the parameters) with n mentions, distinct sentences and speakers
# per cell. `mean_compound` is the mean c of the cell's mentions; `mean_relative` is the mean of
# (c − the speaker's baseline). The heatmap colours only cells with enough mentions to say
# anything (the threshold is `heatmap`'s `min_n`, stated in the figure's legend); thinner cells
# are hatched grey with their mean in small type.

# %%
# The validation of the headline setting goes under every tone figure, so it is computed first (the
# section "Validation: tone against hand labels of stance" explains it): every mention of the corpus, every method.
gold = S.read_gold(corpus.root / "annotations" / "power_sentiment_gold.csv")
all_scored = pd.concat([tone.score_mentions(m, window, d) for d in (False, True) for m in S.METHODS],
                       ignore_index=True)
masked_runs = all_scored[all_scored["method"] == "masked_sentence"]
validation = pd.concat([S.evaluate(all_scored, gold, n_boot=n_boot, random_state=random_state),
                        S.evaluate(masked_runs, gold, tune_band=True, n_boot=n_boot, random_state=random_state)],
                       ignore_index=True)
headline_lexicon = "vader+domain" if domain else "vader"
caption = facts.tone_caption(validation, method, headline_lexicon)

# %%
scored = tone.score_mentions(method, window, domain, segments=speech)
summary = S.summarize_powers(scored, powers, group_by=group_by, groups=groups, n_boot=n_boot,
                             random_state=random_state)
summary[summary["n_mentions"] > 0].drop(columns=["method", "lexicon"]).rename(
    columns={"mean_compound": "mean tone c"}).round(3)

# %%
if len(scored):
    heat_fig = heatmap(summary, powers=lex.powers, caption=caption)
    heatmap_path = save_figure(heat_fig, "03_power_heatmap.png", results_dir)
    dots_fig = dot_plot(summary, powers=lex.powers, caption=caption)
    dots_path = save_figure(dots_fig, "03_power_dots.png", results_dir)
else:
    display(prose("No sentence of the speech analysed mentions a power: there is no figure to draw."))
display(prose("**Under these figures.** {{ caption }}", caption=caption))
if len(scored):  # the saved files: the figures are not drawn again
    display(show_saved(heat_fig, heatmap_path), show_saved(dots_fig, dots_path))

# %%
cells = facts.cell_facts(summary)
prose("""
{% if c.n_cells %}The {{ c.n_mentions | count('mention') }} fall into {{ c.n_cells | count('group × power cell') }}
with {{ c.max_n | count('mention') if c.min_n == c.max_n else ([c.min_n, c.max_n] | span) ~ ' mentions' }} each;
{{ c.n_thin }} of them have fewer than {{ c.threshold }}
and {{ c.n_single }} only one (no interval). {% if c.several_speakers %}Cells of more than one speaker:
{% for s in c.several_speakers %}{{ s.group }} × {{ s.power }} ({{ s.n_speakers }}){{ ', ' if not loop.last
else '.' }}{% endfor %}
{% else %}Every cell rests on one speaker.{% endif +%}
{% if c.n_shared %}In {{ c.n_shared | count('cell') }} several mentions share a sentence, so they are not
independent observations.{% endif %} With two or three values the bootstrap interval is little more than the
range of the data, and a
single mention has none.{% else %}There is no group × power cell with a mention.{% endif %}
""", c=cells)

# %% [markdown]
# ### Baselines: how positively each commentator writes anyway
# Mean c of each speaker's sentences without any mention. A positive score for a power from a
# speaker whose every sentence is positive says less than the same score from a speaker whose
# baseline is near 0.

# %%
baselines = tone.speaker_baselines(domain, segments=speech)
baselines.assign(speaker=baselines["voice"].map(names)).round(3)

# %%
prose("""
{% if b.positive %}Positive on average (baseline ≥ 0.05): {{ b.positive | join_names }}{% if b.one_sentence %};
resting on a single sentence without a mention: {{ b.one_sentence | join_names }}{% endif %}.
{% if b.lowest %}Lowest baseline: {{ b.lowest }}.{% endif %}{% if b.n_without +%}
{{ b.n_without | count('speaker') | capitalize }} {{ 'has' if b.n_without == 1 else 'have' }} no sentence without a
mention, so no baseline.{% endif %}{% elif b.lowest %}No speaker's baseline is positive
(≥ 0.05); the lowest is {{ b.lowest }}'s.{% else %}No speaker has a sentence without a mention, so there is no
baseline.{% endif %}
""", b=facts.baseline_facts(baselines, names))

# %% [markdown]
# ### Every scored sentence, for close reading
# One row per mention with the speaker, the power, its tone c, the speaker's baseline and the
# hand-labelled stance (empty where there is none). Read the sentence before trusting a number.

# %%
reading = scored.merge(gold[["mention_id", "label"]], on="mention_id", how="left").rename(
    columns={"label": "gold"})
reading = reading.assign(sentence=reading["sentence"].map(c6lab.normalize))
reading[["speaker", group_by, "power", "alias", "compound", "baseline", "relative", "gold", "sentence"]].rename(
    columns={"compound": "tone c", "gold": "stance (hand label)"}).round(3)

# %% [markdown]
# ## Validation: tone against hand labels of stance
# **The labels.** Every mention the finder returns in the whole corpus (all kinds) is labelled
# once by reading its sentence: +1 if the sentence speaks favourably of the power or of
# relations with it, −1 if it criticises it or asserts a harmful act by it, 0 otherwise
# (geography, facts, the power as a setting, or an allegation only reported). The rule and one
# reason per mention are in the gold file. Mentions without a label (in an article added later)
# are left out of the validation and counted in `n_unlabelled`; a label whose mention has gone
# stops the notebook.
#
# **The comparison.** Each method scores every mention; its score c gives the label +1, 0 or −1
# by VADER's thresholds (above). *Accuracy* is the share of mentions whose label from c equals
# the hand label, with a Wilson 95% interval; *macro-F1* is the mean over the three labels of
# F1 (the harmonic mean of precision and recall for that label), so a rare label counts as much
# as a frequent one, with a 95% percentile interval from resampling the labelled mentions
# (`n_boot` resamples, seeded by `random_state`; mentions that share a sentence are resampled as
# if independent, so the interval is if anything too narrow). *Kappa* is Cohen's agreement
# beyond chance. The *baseline* always answers the most frequent hand label; a method is
# worth reading only where it clearly beats that. Untuned methods are evaluated on all labels.
#
# **A tuned variant, evaluated honestly.** `masked_sentence+band` widens the neutral band to
# |c| < t, with t chosen from a grid by macro-F1 — on the labels of the *other* articles only,
# then applied to the held-out article (leave-one-article-out). Random folds would put
# sentences of one article, which share words, on both sides and overstate the result.

# %%
confusion = pd.concat([S.confusion(all_scored, gold), S.confusion(masked_runs, gold, tune_band=True)],
                      ignore_index=True)
checked = facts.validation_facts(validation, confusion, method, headline_lexicon)
labelled = checked["n_labelled"] > 0
prose("""
{% if not n_found %}No mention of a power anywhere in this corpus: there is nothing to validate, and the
validation tables are skipped.{% elif not v.n_labelled %}This corpus has no hand label for any of its
{{ n_found | count('mention') }} (`annotations/power_sentiment_gold.csv` holds none), so the scores are not
validated here and the validation tables are skipped.{% else %}{{ v.n_labelled | count('labelled mention') }}:
{{ v.labels[1] }} positive,
{{ v.labels[0] }} neutral, {{ v.labels[-1] }} negative{% if v.n_unlabelled %}; {{ v.n_unlabelled }} mentions
found have no label yet and are left out{% endif %}.{% endif %}
""", v=checked, n_found=len(all_mentions))

# %%
if labelled:
    display(facts.label_table(all_mentions, gold))
    display(validation.drop(columns=["setting", "n_unlabelled"]).set_index(["method", "lexicon"]).round(3))
    display(facts.confusion_table(confusion, "vader"))

# %%
if labelled:
    vader = {m: checked["methods"][f"{m}, vader"] for m in S.METHODS}
    display(prose("""
Always answering {{ '%+d' | format(v.majority_label) if v.majority_label else 0 }} (the most frequent hand label) is
right for {{ v.majority_accuracy | number(3) }} of the mentions (macro-F1 {{ v.majority_f1 | number(3) }}
[{{ v.majority_f1_ci[0] | number(3) }}, {{ v.majority_f1_ci[1] | number(3) }}]); {% if v.beating %}{{ v.beating |
join_names }} beat{{ 's' if v.beating | length == 1 }} that on accuracy{% else %}no method beats that on accuracy{%
endif %}.
The headline setting ({{ v.headline.method }}, {{ v.headline.lexicon }}) has accuracy
{{ v.headline.accuracy | number(3) }} [{{ v.headline.accuracy_ci[0] | number(3) }},
{{ v.headline.accuracy_ci[1] | number(3) }}] and macro-F1 {{ v.headline.macro_f1 | number(3) }}
[{{ v.headline.macro_f1_ci[0] | number(3) }}, {{ v.headline.macro_f1_ci[1] | number(3) }}], kappa
{{ v.headline.kappa | number(3) }}. With plain VADER, of
the {{ v.labels[0] }} neutral mentions the masked sentence calls {{ m.masked_sentence.neutral_positive }} positive
and {{ m.masked_sentence.neutral_negative }} negative, the naive sentence {{ m.naive_sentence.neutral_positive }}
and {{ m.naive_sentence.neutral_negative }}. Masked and naive label {{ m.masked_sentence.n_correct }} and
{{ m.naive_sentence.n_correct }} of the {{ v.n_labelled }} mentions correctly (accuracy
{{ m.masked_sentence.accuracy | number(3) }} vs {{ m.naive_sentence.accuracy | number(3) }}; macro-F1
{{ m.masked_sentence.macro_f1 | number(3) }} vs {{ m.naive_sentence.macro_f1 | number(3) }}). The ±{{ window }}-token
window labels {{ m.window.n_correct }} correctly (accuracy {{ m.window.accuracy | number(3) }}, macro-F1
{{ m.window.macro_f1 | number(3) }}) and finds {{ m.window.positive_found }} of the {{ v.labels[1] }} positive
mentions (the masked sentence {{ m.masked_sentence.positive_found }}).
""", v=checked, m=vader, window=window))
    display(for_bundled_study(corpus, """
Most mentions are neutral geography (routes *to Europe*, *from China*), while VADER finds the diplomatic vocabulary
around them positive; the AnewZ teaser about an ISIS attack that killed US soldiers scores strongly negative though
it says nothing against the US. **Masking does not measurably beat the naive score on this corpus**: it matters for
the US sentences shown next, and on so few mentions one sentence decides the comparison. The window's accuracy comes
from answering 0 more often; it misses most positive mentions, so its macro-F1 is the lowest of the three.
""", defaults=written_for))

# %% [markdown]
# ### How much the validation can say
# The warnings follow from the table above: too few labels (fewer than 100), a macro-F1
# interval that overlaps the baseline's, an accuracy interval that does not lie above the
# baseline's accuracy. Then the tuned band, with the band chosen for each held-out article.

# %%
w = checked.get("warnings", {})
tuned = checked.get("methods", {}).get(f"masked_sentence{S.validation.BAND_SUFFIX}, {headline_lexicon}")
fixed = checked.get("methods", {}).get(f"masked_sentence, {headline_lexicon}")
bands = S.band_choices(masked_runs, gold)
if labelled:
    display(bands[bands["lexicon"] == headline_lexicon].drop(columns="method").round(3))
prose("""
{% if not v.n_labelled %}No hand labels: no validation, so nothing here says how far the tone agrees with a reader.
{% else %}{% if w.few %}**Warning: only {{ w.n_labelled | count('labelled mention') }}** (fewer than {{ w.min_n }}):
every interval here is wide, and a few sentences more or less move a measure visibly.{% endif +%}
{% if w.overlap %}**Warning:** the macro-F1 interval of {{ 'every setting' if w.overlap | length == w.n_settings
else w.overlap | join_names }} overlaps the baseline's [{{ v.majority_f1_ci[0] | number(2) }},
{{ v.majority_f1_ci[1] | number(2) }}]: on these labels {{ 'it' if w.overlap | length == 1 else 'they' }} cannot be
told apart from always answering {{ majority }}.
{% else %}Every setting's macro-F1 interval lies above the baseline's [{{ v.majority_f1_ci[0] | number(2) }},
{{ v.majority_f1_ci[1] | number(2) }}].{% endif +%}
{% if w.not_above %}**Warning:** the accuracy interval of {{ 'every setting' if w.not_above | length ==
w.n_settings else w.not_above | join_names }} does not lie above the {{ v.majority_accuracy | number(2) }} of always
answering {{ majority }}.{% endif +%}
{% if tuned and fixed %}**The tuned band** (`{{ tuned.method }}`, {{ tuned.lexicon }}; leave-one-article-out,
t chosen: {{ chosen | join_names }}): macro-F1 {{ tuned.macro_f1 | number(2) }} [{{ tuned.macro_f1_ci[0] | number(2) }},
{{ tuned.macro_f1_ci[1] | number(2) }}], accuracy {{ tuned.accuracy | number(2) }}
[{{ tuned.accuracy_ci[0] | number(2) }}, {{ tuned.accuracy_ci[1] | number(2) }}], against macro-F1
{{ fixed.macro_f1 | number(2) }} [{{ fixed.macro_f1_ci[0] | number(2) }}, {{ fixed.macro_f1_ci[1] | number(2) }}] with
the fixed band |c| < 0.05. {% if tuned.macro_f1_ci[0] > fixed.macro_f1_ci[1] %}Its macro-F1 interval lies above
the fixed band's: on these labels the wider band is better, though the headline keeps the method set in the
parameters.{% else %}The two intervals overlap, so these labels do not show that the tuned band is better; the
headline keeps the fixed band.{% endif %}{% else %}The tuned band needs hand labels in at least two articles (one
to choose the band on, one to test it): it is not evaluated here.{% endif %}{% endif %}
""", v=checked, w=w, tuned=tuned, fixed=fixed, majority=f"{checked.get('majority_label') or 0:+d}".replace("+0", "0"),
      chosen=[f"{t:g}" for t in sorted(set(bands.loc[bands["lexicon"] == headline_lexicon, "threshold"].dropna()))])

# %% [markdown]
# ### Where tone and stance part ways
# Selected by rule from the hand labels, not picked by hand: every labelled mention (headline
# setting) whose tone has the opposite sign to its stance beyond the neutral band — a criticism
# scored positive, praise scored negative — and every mention labelled 0 (no stance) whose
# |c| is at least 0.5; the largest |c| first, at most five of each.

# %%
head_all = all_scored[(all_scored["method"] == method) & (all_scored["lexicon"] == headline_lexicon)]
gaps = facts.tone_stance_gaps(head_all, gold)
if len(gaps):
    display(gaps.groupby("kind", sort=False).head(5).assign(sentence=lambda d: d["sentence"].map(c6lab.normalize))
            .rename(columns={"label": "stance (hand label)", "compound": "tone c"}).round(3))
stance = head_all.merge(gold[["mention_id", "label"]], on="mention_id")["label"]
prose("""
{% if not n_labelled %}No hand labels: there is no stance to set the tone against.{% else %}Of the
{{ n_stance | count('labelled mention') }} with a stance (−1 or +1), {{ n_opposite }}
{{ 'gets' if n_opposite == 1 else 'get' }} a tone of the opposite sign; of the {{ n_neutral }} labelled 0,
{{ n_strong }} {{ 'has' if n_strong == 1 else 'have' }} |c| ≥ 0.5.{% endif %}
""", n_labelled=len(stance), n_stance=int((stance != 0).sum()), n_neutral=int((stance == 0).sum()),
      n_opposite=int((gaps["kind"] == "opposite sign").sum()),
      n_strong=int((gaps["kind"] == "tone without stance").sum()))

# %%
for_bundled_study(corpus, """
The lexicon reads the words around the power, not what is said about it: the grim report of the ISIS attack in a
teaser, the EU's interest in investing in connectivity, the opportunities of a bridge to the West and of access to
European markets all score far from 0 and say nothing for or against the power; in praise of the charter with the
United States, the "no" of "no longer merely declarative" turns the tone negative.
""", defaults=written_for)

# %% [markdown]
# ### What the tone score can and cannot support
# **It can support**: pointing to the sentences in which a group puts evaluative words next
# to a power, for close reading; describing how the wording around each power differs between
# groups, with n and an interval; checking that a description survives masking, the window
# and the domain list.
#
# **It cannot support**: statements about what a commentator, a group or a country thinks of
# a power (that is stance, and the validation above says how often tone gets stance right);
# ranking groups by attitude; any difference smaller than the intervals, or smaller than the
# gap between a method and always answering the most frequent label; anything beyond these
# speakers and articles.

# %% [markdown]
# ### The masking effect on the corpus's own "United States" sentences
# Every mention in a sentence that contains "United States", unmasked and masked (plain VADER
# lexicon), with its hand label where there is one.

# %%
us = all_scored[(all_scored["lexicon"] == "vader") & all_scored["sentence"].str.contains("United States")]
us = us.assign(sentence=us["sentence"].map(c6lab.normalize))
masking = us.pivot_table(index=["mention_id", "speaker_id", "power", "alias", "sentence"], columns="method",
                         values="compound", sort=False).reindex(columns=["naive_sentence", "masked_sentence"])
masking = masking.reset_index().merge(gold[["mention_id", "label"]], on="mention_id", how="left").rename(
    columns={"label": "gold"})
masking = masking[["speaker_id", "power", "alias", "naive_sentence", "masked_sentence", "gold", "sentence"]]
if len(masking):
    display(masking.assign(change=masking["masked_sentence"] - masking["naive_sentence"]).round(3))
display(prose("""
{% if f.n_mentions %}Masking changes the score of {{ f.n_changed }} of the {{ f.n_mentions }} mentions in
{{ f.n_sentences | count('sentence') }} that {{ 'contains' if f.n_sentences == 1 else 'contain' }} "United
States"{% if labelled %}; the label from c equals the
hand label for {{ f.agree_masked }} of them masked and {{ f.agree_naive }} unmasked{% endif %}.
{% else %}No sentence of this corpus contains "United States".{% endif %}
""", f=facts.masking_facts(masking), labelled=labelled))

# %%
for_bundled_study(corpus, """
Masking removes "United" (+1.8) from these sentences. In Tursunova's neutral sentence about the presence of the US
and China it takes the score to 0 — the hand label — for both powers; in Osmonbetov's "the presence of the United
States in the region is also growing" it lowers the score but leaves it positive (label 0). In his sentence on the
strategic charter ("no longer merely declarative") it exposes VADER's negative "no" and turns a positive sentence
(label +1) negative: the masked score is more honest about what VADER reads, not necessarily closer to the meaning.
""", defaults=written_for)

# %% [markdown]
# ## Sensitivity
# ### Sentence or window, with or without the domain lexicon
# The corpus's `lexicons/vader_domain.csv` adds words VADER lacks and removes or changes
# misleading ones; the rows and their reasons:

# %%
pd.DataFrame(lex.vader_domain, columns=["word", "valence", "note"])

# %%
changes = facts.domain_changes(lex.vader_domain, S.vader_lexicon())
prose("""
This corpus's list adds {{ c.added | length }} words VADER lacks{% if c.added %} ({% for w, v in c.added[:6]
%}{{ w }} {{ '%+.1f' | format(v) }}{{ ', ' if not loop.last }}{% endfor %}{{ ' …' if c.added | length > 6 }}){%
endif %}, changes {{ c.changed | length }}{% if c.changed %} ({% for w, old, new in c.changed %}{{ w }}
{{ '%+.1f' | format(old) }} →
{{ '%+.1f' | format(new) }}{{ ', ' if not loop.last }}{% endfor %}){% endif +%}
and removes {{ c.removed | length }}{% if c.removed %} ({% for w, v in c.removed %}"{{ w }}"{{ ', '
if not loop.last }}{% endfor %}){% endif %}.
""", c=changes)

# %%
for_bundled_study(corpus, """
The list was written from the methods brief before the validation was run, not tuned to the labels.
""", defaults=written_for)

# %%
# each run keeps only the columns the means need: a large corpus never holds ten scored tables
keep = list(dict.fromkeys([group_by, "kind", "power", "lexicon", "method", "compound"]))
sens_runs = []
for d in (False, True):
    sens_runs.append(tone.score_mentions("masked_sentence", domain=d, segments=speech)[keep])
    sens_runs.append(tone.score_mentions("naive_sentence", domain=d, segments=speech)[keep])
    for k in (3, 5, 10):
        sens_runs.append(tone.score_mentions("window", k, d, segments=speech)[keep].assign(method=f"window k={k}"))
sens = pd.concat(sens_runs, ignore_index=True).sort_values(group_by, kind="stable")
if len(sens):
    display(sens.pivot_table(index=[group_by, "power"], columns=["lexicon", "method"], values="compound",
                             aggfunc="mean", sort=False).round(2))
extremes = facts.setting_extremes(sens, group_by)
prose("""
{% if not e.n_settings %}No group × power mean to compare across settings.{% else %}**Group means.** Over the
{{ e.n_settings }} settings the {{ e.n_cells }} group × power means run
from {{ '%+.2f' | format(e.lowest.mean) }} ({{ e.lowest.group }} × {{ e.lowest.power }}, {{ e.lowest.setting }}) to
{{ '%+.2f' | format(e.highest.mean) }} ({{ e.highest.group }} × {{ e.highest.power }}, {{ e.highest.setting }}).
{% if e.negative %}At or below −0.05 in at least one setting: {{ e.negative | join_names }}.{% else %}None is at or
below −0.05 in any setting.{% endif %} At or above +0.05 in every setting:
{{ e.positive_everywhere | join_names if e.positive_everywhere else 'none' }}.{% endif %}
""", e=extremes)

# %%
for_bundled_study(corpus, """
Which cells are positive depends on the setting: masked sentences put UZ × US and UZ × CN at 0, naive ones clearly
positive (the "United" effect); a ±3-token window puts almost every cell at 0, because few sentiment words sit that
close to a name.
""", defaults=written_for)

# %% [markdown]
# The same settings against the hand labels (all mentions of the corpus):

# %%
sens_evaluated, sens_confusion = [], [S.confusion(all_scored, gold)]
for d in (False, True):  # one setting at a time: a large corpus never holds every table at once
    for k in (3, 5, 10):
        window_run = tone.score_mentions("window", k, d).assign(method=f"window k={k}")
        sens_evaluated.append(S.evaluate(window_run, gold, n_boot=n_boot, random_state=random_state))
        sens_confusion.append(S.confusion(window_run, gold))
untuned = validation[(validation["evaluation"] == "all labels") & (validation["method"] != "window")]
sens_validation = pd.concat([untuned, *sens_evaluated], ignore_index=True).sort_values(["lexicon", "method"],
                                                                                       kind="stable")
if labelled:
    display(sens_validation[["method", "lexicon", "n_mentions", "accuracy", "accuracy_ci_low", "accuracy_ci_high",
                             "macro_f1", "macro_f1_ci_low", "macro_f1_ci_high", "kappa"]].round(3))
    sens_checked = facts.validation_facts(sens_validation, pd.concat(sens_confusion, ignore_index=True), method)
    display(prose("""
**Agreement with the labels.** Correctly labelled mentions of {{ v.n_labelled }}, without → with the domain
lexicon: {% for d in effect %}{{ d.method }} {{ d.plain }} → {{ d.domain }}{{ ', ' if not loop.last else '.'
}}{% endfor +%}
The best macro-F1 ({{ v.best_f1.value | number(3) }}) comes from {{ v.best_f1.settings | join_names }}; the best
accuracy ({{ v.best_accuracy.value | number(3) }}) from {{ v.best_accuracy.settings | join_names }}.
{% if v.beating %}{{ v.beating | join_names }} exceed{{ 's' if v.beating | length == 1 }}{% else %}None of
the settings reaches{% endif %} the {{ v.majority_accuracy | number(3) }} of always answering the most frequent label.
""", v=sens_checked, effect=facts.domain_effect(sens_validation)))
    display(for_bundled_study(corpus, """
Smaller windows answer 0 more often, which raises accuracy — most labels are 0 — and costs positives. Choosing a
setting after seeing {{ n }} labels would overfit them, so the headline stays the masked sentence and this is
reported as sensitivity only.
""", defaults=written_for, n=checked["n_labelled"]))

# %% [markdown]
# ## Exported tables
# `power_sentiment.csv`: group × power summary of the *lexicon tone* (`mean_compound`, VADER's c;
# not stance) of the commentators' speech for every method and both lexicons (the file keeps its
# name for the programs that read it). `power_mentions.csv`: every scored mention of the whole
# corpus for every method and lexicon, with its hand label (`gold`) and the label the tone implies
# (`predicted`). `power_validation.csv`: one row per method and lexicon — the label mix,
# accuracy with its Wilson interval, macro-F1 with its bootstrap interval, kappa, the majority
# baseline, and how it was evaluated (`all labels`, or `leave-one-article-out` for the tuned band);
# empty measures where nothing is labelled. `power_confusion.csv`: the confusion counts.
# `power_band_choices.csv`: the band chosen for each held-out article.

# %%
summaries = pd.concat(
    [summary if (m, d) == (method, domain) else  # the headline's is above
     S.summarize_powers(tone.score_mentions(m, window, d, segments=speech), powers, group_by=group_by, groups=groups,
                        n_boot=n_boot, random_state=random_state)
     for d in (False, True) for m in S.METHODS],
    ignore_index=True)
# the scored mentions with their hand label, if any (columns added, rows not copied: a merge would copy them all)
mention_table = all_scored.assign(gold=all_scored["mention_id"].map(gold.set_index("mention_id")["label"]),
                                  predicted=S.label_from_compound(all_scored["compound"]).to_numpy())
outputs = [
    write_table(summaries, "power_sentiment.csv", results_dir),
    write_table(mention_table, "power_mentions.csv", results_dir),
    write_table(validation, "power_validation.csv", results_dir),
    write_table(confusion, "power_confusion.csv", results_dir),
    write_table(bands, "power_band_choices.csv", results_dir),
]
[p.name for p in outputs]

# %% [markdown]
# ## What these numbers cannot show

# %%
one_person = [m["group"] for m in members if len(m["speakers"]) == 1]
prose("""
* **Few mentions per cell.** {% if c.n_mentions %}{{ c.n_mentions | count('mention') | capitalize }} by
{{ n_speakers | count('commentator') }}{% else %}No mention of a power by
{{ n_speakers | count('commentator') }}{% endif %}
{%- if c.n_cells %}; {{ c.n_cells | count('group × power cell') }} with
{{ c.max_n | count('mention') if c.min_n == c.max_n else ([c.min_n, c.max_n] | span) ~ ' mentions' }} each,
{{ c.n_thin }} of them fewer than {{ c.threshold }}{% if c.n_shared %}; in {{ c.n_shared | count('cell') }}
mentions share a sentence (they are not independent, and the bootstrap treats them as if they were){% endif %}{%
endif %}.
{% if absent %}Never mentioned in the speech analysed: {{ absent | map(attribute='name') | join_names }}.{% endif +%}
{% if one_person and group_by != 'speaker' %}Nothing here describes a group's expert opinion in general:
{{ one_person | join_names }} {{ 'is one person' if one_person | length == 1 else 'are one person each' }}.{% endif +%}
* **Tone is not stance, and VADER is weak on news and diplomacy.** It rates words: a sentence can be positive
about regional cooperation and neutral about the power it names. {% if v.n_labelled %}Against the hand labels the
headline setting has macro-F1 {{ v.headline.macro_f1 | number(2) }} [{{ v.headline.macro_f1_ci[0] | number(2) }},
{{ v.headline.macro_f1_ci[1] | number(2) }}] where always answering the most frequent label has
{{ v.majority_f1 | number(2) }}, and accuracy {{ v.headline.accuracy | number(2) }} against
{{ v.majority_accuracy | number(2) }}; {{ 'no method beats' if not v.beating else (v.beating | join_names) ~ ' beat'
}} the baseline's accuracy. The validation rests on {{ v.n_labelled | count('labelled mention') }} with
{{ v.labels[1] }} positive and {{ v.labels[-1] }} negative{{ ' (fewer than ' ~ v.warnings.min_n ~ ')' if
v.warnings.few }}, so its own uncertainty is large.{% else %}Without hand labels, nothing here says how far the
scores agree with a reader.{% endif +%}
* **Masking is necessary but not sufficient.** It removes the "United" artefact and the positive words inside
names{% if v.n_labelled %}; against the labels the masked sentence labels {{ m.n_correct }} of {{ v.n_labelled }}
mentions correctly, the naive one {{ n.n_correct }}{% endif %}.
* **Texts.** {{ n_articles | count('article') | capitalize }} from {{ outlets | join_names }}; paraphrases are the
journalist's words{% if n_positive %}. {{ n_positive }} of the {{ n_baselines }} baselines are positive (see the
baselines): a positive mean is the default there, not a finding{% endif %}.
""", c=cells, n_speakers=speech["speaker_id"].replace("", pd.NA).nunique(), absent=absent, one_person=one_person,
      group_by=group_by, v=checked, m=checked.get("methods", {}).get("masked_sentence, vader", {}),
      n=checked.get("methods", {}).get("naive_sentence, vader", {}), n_articles=len(corpus.articles),
      outlets=sorted(corpus.articles["outlet"].unique()),
      n_positive=len(facts.baseline_facts(baselines, names)["positive"]),
      n_baselines=int(baselines["baseline"].notna().sum()))

# %%
for_bundled_study(corpus, """
Both outlets are based in Azerbaijan; the texts were published in English and probably translated and edited. Polite,
positive diplomatic register is the norm here. The labels are one annotator's; the three Russia labels were revised
later to the rule that a reported criticism counts as −1.
""", defaults=written_for)
