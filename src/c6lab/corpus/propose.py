"""Propose a kind for each paragraph of a new article.

The corpus is annotated by hand; these functions only *propose*, so an annotator starts
from a draft in which page furniture and teasers are already flagged. Five signals,
each reported in its own column so a reviewer sees why a paragraph was flagged:

``pattern``
    matches a regular expression from the corpus's ``boilerplate_patterns.txt``
    (app download links, "Leave the first comment" ...) -> ``boilerplate``.
``repeated``
    the same paragraph (after :func:`c6lab.normalize`, case-folded) occurs more than
    once, in this article or across articles -> ``unrelated``.
``near_duplicate``
    Jaccard similarity of word shingles with another paragraph >= ``threshold``
    (catches a teaser shown once truncated, once in full) -> ``unrelated``.
``off_topic_edge``
    the paragraph shares none of the article's key terms (its most widespread tokens,
    speech verbs such as "said" left out), has no personal pronoun and no "also",
    "meanwhile", "however" ("According to him, ...", "she said", "Participants also
    discussed": such a paragraph continues the story, while a teaser is a self-contained
    lede), does not open with a quotation mark, and sits in a run of such
    paragraphs that touches the top or the bottom of the page, where scraped pages keep
    their teasers -> ``unrelated``. Off-topic paragraphs in the middle of the text are left
    alone: a quote may well not name the article's subject.
``after_label``
    the paragraph is a headline (at most 20 words, no full stop at the end) in the run
    of such paragraphs that follows a short furniture label ("Read also:", "Popular") or
    any furniture in the last third of the page ("Follow us on Telegram"), or has its
    label in front ("Also on Gazeta.uz: ...") -> ``unrelated``.

Anything not flagged is proposed as ``quote`` if it opens with a quotation mark,
else ``narrative``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..lexicons import Lexicons, resolve
from ..text import normalize

# a teaser with its label on the same line: "Also on Gazeta.uz: Tashkent metro to open ..."
_INLINE_LABEL = re.compile(r"^(?:also on|more on|more from|see also|also read|related)\b[^:]{0,30}:\s*\S", re.I)
_QUOTE_OPEN = re.compile(r"^\s*[\"\u201c\u201e\u00ab']")
# a paragraph that refers back or goes on ("she said", "also discussed") continues the story
_CONTINUES = re.compile(r"\b(?:he|she|him|her|his|hers|they|them|their|also|meanwhile|moreover|furthermore"
                        r"|however|in addition)\b", re.IGNORECASE)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets of the non-empty lines of ``text``.

    Examples
    --------
    >>> paragraphs("One.\\n\\nTwo.\\n")
    [(0, 4), (6, 10)]
    """
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]


def shingles(text: str, n: int = 3) -> set[tuple[str, ...]]:
    """Word n-grams of the normalised, lower-cased text (all words kept).

    Examples
    --------
    >>> sorted(shingles("a b c d", n=3))
    [('a', 'b', 'c'), ('b', 'c', 'd')]
    """
    words = re.findall(r"\w+", normalize(text).lower())
    if len(words) < n:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def jaccard(a: set, b: set) -> float:
    """Jaccard similarity |a ∩ b| / |a ∪ b| (0 for two empty sets).

    Examples
    --------
    >>> jaccard({1, 2, 3}, {2, 3, 4})
    0.5
    """
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def _near_duplicates(sh: list[set], threshold: float) -> list[bool]:
    """Whether each set has another with :func:`jaccard` >= ``threshold``.

    Only sets that share an item can reach a positive threshold, so each set is compared with
    those found through an index from item to sets, not with every other one (all pairs were
    quadratic in the paragraphs of the corpus: 98 s at 200 articles, 3.4 s through the index).
    Paragraphs that are near duplicates of many others still cost their number of pairs.
    """
    if threshold <= 0:  # every pair qualifies, shared items or not
        return [len(sh) > 1] * len(sh)
    index: dict = defaultdict(list)
    for i, items in enumerate(sh):
        for item in items:
            index[item].append(i)
    out = []
    for i, items in enumerate(sh):
        shared = Counter(j for item in items for j in index[item] if j != i)
        # |a ∩ b| is the count; |a ∪ b| = |a| + |b| - |a ∩ b|
        out.append(any(n / (len(items) + len(sh[j]) - n) >= threshold for j, n in shared.items()))
    return out


def key_terms(paragraph_tokens: list[list[str]], k: int = 3) -> list[str]:
    """The ``k`` tokens found in the most paragraphs (ties broken alphabetically).

    Examples
    --------
    >>> key_terms([["a", "b"], ["a", "c"], ["a", "b"]], k=2)
    ['a', 'b']
    """
    df = Counter(t for toks in paragraph_tokens for t in set(toks))
    return [t for t, _ in sorted(df.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


def propose_kinds(
    articles: Mapping[str, str],
    threshold: float = 0.5,
    shingle_size: int = 3,
    n_key_terms: int = 3,
    lexicons: Lexicons | None = None,
) -> pd.DataFrame:
    """Propose a kind for every paragraph of every article.

    Parameters
    ----------
    articles : mapping of article id -> raw text
        Give all articles of the corpus at once: "repeated" looks across them.
    threshold : float
        Shingle Jaccard at or above which two paragraphs are near-duplicates.
    shingle_size : int
        Words per shingle.
    n_key_terms : int
        How many of an article's most widespread tokens define its subject.
    lexicons : Lexicons, optional
        The corpus's word lists (``corpus.lexicons``): boilerplate patterns and the
        tokenizer for key terms. Default: the package's lists.

    Returns
    -------
    DataFrame
        One row per paragraph: ``article_id, paragraph, char_start, char_end, text,
        pattern, repeated, near_duplicate, off_topic_edge, after_label, proposed_kind``;
        ``pattern`` holds the matching regular expression or "".

    Examples
    --------
    >>> art = {"a1": "Azerbaijan joins C6.\\nAzerbaijan and C6 talk.\\nLeave the first comment"}
    >>> propose_kinds(art)["proposed_kind"].tolist()
    ['narrative', 'narrative', 'boilerplate']
    """
    lexicons = resolve(lexicons)
    patterns = lexicons.boilerplate_patterns
    tokenize = lexicons.tokenizer
    rows = []
    for aid, text in articles.items():
        for i, (s, e) in enumerate(paragraphs(text), 1):
            rows.append({"article_id": aid, "paragraph": i, "char_start": s, "char_end": e,
                         "text": text[s:e]})
    df = pd.DataFrame(rows, columns=["article_id", "paragraph", "char_start", "char_end", "text"])
    norm = [normalize(t) for t in df["text"]]
    df["pattern"] = [next((p.pattern for p in patterns if p.search(t)), "") for t in norm]
    folded = Counter(t.casefold() for t in norm)
    df["repeated"] = [folded[t.casefold()] > 1 for t in norm]
    df["near_duplicate"] = _near_duplicates([shingles(t, shingle_size) for t in norm], threshold)
    df["off_topic_edge"] = False
    df["after_label"] = False
    verbs = {v for v in lexicons.speech_verbs if " " not in v}
    for _, idx in df.groupby("article_id", sort=False).groups.items():
        idx = list(idx)
        toks = [[t for t in tokenize(norm[i]) if t not in verbs] for i in idx]
        keys = set(key_terms(toks, n_key_terms))
        furniture = [bool(df.at[i, "pattern"]) for i in idx]
        off = [not keys.intersection(t) and not _CONTINUES.search(norm[i]) and not _QUOTE_OPEN.match(norm[i])
               for t, i in zip(toks, idx)]
        for i, flag in zip(idx, _edge_runs(off)):
            df.at[i, "off_topic_edge"] = flag
        for i, flag in zip(idx, _after_labels([norm[i] for i in idx], furniture)):
            df.at[i, "after_label"] = flag
    df["proposed_kind"] = [
        _kind(r.pattern, r.repeated, r.near_duplicate, r.off_topic_edge or r.after_label, r.text)
        for r in df.itertuples(index=False)
    ]
    return df


def _after_labels(texts: list[str], furniture: list[bool]) -> list[bool]:
    """Flag the headlines that follow a short furniture label ("Read also:")."""
    out = [False] * len(texts)
    label = False
    for i, (t, f) in enumerate(zip(texts, furniture)):
        headline = len(t.split()) <= 20 and not t.endswith(".")
        if not f and _INLINE_LABEL.match(t):
            out[i] = True
        elif f:  # a label, or furniture in the last third of the page (teasers follow it there)
            label = len(t.split()) <= 4 or i >= 2 * len(texts) / 3
        elif label and headline:
            out[i] = True
        else:
            label = False
    return out


def _edge_runs(flags: list[bool]) -> list[bool]:
    """Keep only the True runs that touch the first or the last position."""
    out = [False] * len(flags)
    i = 0
    while i < len(flags) and flags[i]:
        out[i] = True
        i += 1
    j = len(flags) - 1
    while j >= 0 and flags[j]:
        out[j] = True
        j -= 1
    return out


def _kind(pattern: str, repeated: bool, near_dup: bool, off_edge: bool, text: str) -> str:
    if pattern:
        return "boilerplate"
    if repeated or near_dup or off_edge:
        return "unrelated"
    return "quote" if _QUOTE_OPEN.match(text) else "narrative"


# above this many articles the comparison runs on a sample: the near-duplicate search costs the
# number of pairs of similar paragraphs, quadratic in a corpus of many near copies (the
# synthetic 1000x corpus: 311 s for 2,000 articles; samples of 100, 200, 500 of them: 3.7, 9.9, 63 s
# on a busy machine). Notebook 00's parameter max_articles has this default.
COMPARE_MAX_ARTICLES = 200


def sample_articles(article_ids, max_articles: int | None = COMPARE_MAX_ARTICLES,
                    random_state: int = 0) -> list:
    """The articles :func:`compare_proposals` compares: all, or a seeded sample of them.

    Up to ``max_articles`` articles (or with ``max_articles=None``) every id is returned.
    Above it, the ids at the positions ``numpy.random.default_rng(random_state).choice(n,
    max_articles, replace=False)``, kept in the order given.

    Examples
    --------
    >>> sample_articles(["a", "b", "c"], max_articles=5)
    ['a', 'b', 'c']
    >>> len(sample_articles([f"a{i}" for i in range(10)], max_articles=4, random_state=1))
    4
    """
    ids = list(article_ids)
    if max_articles is None or len(ids) <= max_articles:
        return ids
    if max_articles < 1:
        raise ValueError(f"max_articles must be at least 1 (got {max_articles})")
    keep = np.sort(np.random.default_rng(random_state).choice(len(ids), size=max_articles, replace=False))
    return [ids[i] for i in keep]


def compare_proposals(corpus, max_articles: int | None = COMPARE_MAX_ARTICLES, random_state: int = 0,
                      **options) -> pd.DataFrame:
    """Run :func:`propose_kinds` on a corpus and add the hand annotation of each paragraph.

    ``corpus`` is a :class:`c6lab.Corpus` (its word lists are used). Adds
    ``annotated_kinds``: the hand-annotated kinds of the segments overlapping the
    paragraph, joined with ``+`` in order of appearance.

    Parameters
    ----------
    corpus : Corpus
    max_articles : int or None
        Above this many articles, only the sample :func:`sample_articles` draws (with
        ``random_state``) is compared; its paragraphs are "repeated" or "near duplicates"
        only of paragraphs of the sample. None: every article.
    random_state : int
        Seed of the sample.
    **options
        Passed to :func:`propose_kinds`.

    Returns
    -------
    DataFrame
        :func:`propose_kinds`'s table plus ``annotated_kinds``; ``attrs["n_articles"]`` is
        the corpus's number of articles, ``attrs["n_articles_compared"]`` how many were compared.

    Examples
    --------
    >>> import c6lab
    >>> table = compare_proposals(c6lab.open_corpus())
    >>> table.attrs["n_articles_compared"], table.attrs["n_articles"]
    (2, 2)
    """
    corpus_df = corpus.segments
    all_ids = set(corpus_df["article_id"].unique().tolist())
    compared = sample_articles([a for a in corpus.articles["article_id"] if a in all_ids], max_articles,
                               random_state)
    if len(compared) < len(all_ids):
        corpus_df = corpus_df[corpus_df["article_id"].isin(compared)]
    texts = raw_texts(corpus_df)
    props = propose_kinds(texts, lexicons=corpus.lexicons, **options)
    # each paragraph is compared with its own article's segments only (a search of the whole
    # table per paragraph grew with the square of the corpus)
    by_article = {aid: (g["char_start"].to_numpy(), g["char_end"].to_numpy(), g["kind"].tolist())
                  for aid, g in corpus_df.sort_values("char_start").groupby("article_id", sort=False)}
    annotated = []
    for r in props.itertuples(index=False):
        starts, ends, kinds = by_article[r.article_id]
        hit = np.flatnonzero((starts < r.char_end) & (ends > r.char_start))
        annotated.append("+".join(dict.fromkeys(kinds[i] for i in hit)))
    out = props.assign(annotated_kinds=annotated)
    out.attrs.update(n_articles=len(all_ids), n_articles_compared=len(compared))
    return out


def raw_texts(corpus_df: pd.DataFrame) -> dict[str, str]:
    """Rebuild each article's raw text from its segments (they cover it exactly).

    Raises ``ValueError`` if the segments given do not tile the text (e.g. the frame
    was filtered by kind).
    """
    out = {}
    for aid, segs in corpus_df.sort_values("char_start").groupby("article_id", sort=False):
        pos = 0
        for s, e in zip(segs["char_start"], segs["char_end"]):
            if s != pos:
                raise ValueError(f"segments of {aid} do not cover its text (gap at {pos}); "
                                 "pass the unfiltered corpus")
            pos = e
        out[aid] = "".join(segs["text"])
    return out
