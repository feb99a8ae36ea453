"""Topic models with honest model selection: coherence and stability, not perplexity.

Two models on one document-term matrix (:func:`c6lab.dfm` of segments, or of sentences
with ``unit="sentence"``): NMF on TF-IDF and LDA (batch variational Bayes) on counts
(:func:`fit_topics`; :func:`fit_topics_many` fits several, batch LDA fits side by side).
K is chosen by looking at two kinds of evidence side by side
(:func:`select_k`):

* **coherence** of each topic's top words, measured on the modelled documents themselves
  with *document* co-occurrence (two words co-occur when the same document uses both):
  NPMI, which is gensim's ``c_npmi`` with the whole document as the window (gensim's
  default 10-token sliding window gives different values on these paragraphs: signs
  flip and the best K moves), and UMass (Mimno et al. 2011); see
  :mod:`c6lab.topics.coherence`;
* **stability** (Greene, O'Callaghan & Cunningham 2014): the average Jaccard agreement of
  the top-word rankings of a reference model and of models refitted on 80% document
  subsamples, or with other random seeds, topics matched one-to-one with the Hungarian
  algorithm (:mod:`c6lab.topics.stability`).

A K that cannot be fitted (more topics than documents or terms, in the data or in a
subsample: :func:`k_problems`) is left out of the table and named in its
``attrs["skipped"]``. :func:`suggest_k` applies the rule that chooses the model and K from
the table; :func:`resolve_choice` applies it unless the user set them, and says which.

Perplexity is not used (scikit-learn issues 6777 and 20032: it is unreliable for
choosing K).

Note on seeds: scikit-learn's ``nndsvda`` NMF initialisation runs a *randomized* SVD, so
NMF results do depend (slightly, and at larger K sometimes visibly) on ``random_state``.
:func:`seed_stability` therefore measures both models rather than assuming NMF is
deterministic.
"""

from .choice import explain_k, suggest_k, suggest_model
from .coherence import NPMI_EPS, UMASS_EPS, document_cooccurrence, npmi_coherence, umass_coherence
from .fit import MODELS, ONLINE_MIN_DOCS, SOLVERS, TopicModel, doc_ids, fit_topics, fit_topics_many, resolve_solver
from .share import document_summary, label_topics, topic_share, topic_table
from .stability import (
    SELECT_MAX_DOCS,
    SELECTION_COLUMNS,
    agreement,
    average_jaccard,
    k_problems,
    match_topics,
    seed_stability,
    select_k,
    subsample_indices,
    subsample_stability,
)
from .summary import Choice, resolve_choice, skipped_sentence

__all__ = [
    "ONLINE_MIN_DOCS",
    "SELECT_MAX_DOCS",
    "SELECTION_COLUMNS",
    "SOLVERS",
    "Choice",
    "explain_k",
    "k_problems",
    "resolve_choice",
    "skipped_sentence",
    "suggest_k",
    "suggest_model",
    "MODELS",
    "NPMI_EPS",
    "UMASS_EPS",
    "TopicModel",
    "agreement",
    "average_jaccard",
    "doc_ids",
    "document_cooccurrence",
    "document_summary",
    "fit_topics",
    "fit_topics_many",
    "label_topics",
    "match_topics",
    "npmi_coherence",
    "seed_stability",
    "resolve_solver",
    "select_k",
    "subsample_indices",
    "subsample_stability",
    "topic_share",
    "topic_table",
    "umass_coherence",
]
