"""A corpus and its configuration in one object: :class:`Corpus`, from :func:`open_corpus`."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..errors import CorpusError
from ..io import sha256_hex, tree_digest
from ..lexicons import FILES, Lexicons
from . import cache as cache_mod
from .location import root_or_bundled
from .transaction import INTERNAL_NAMES, recover
from .validate import ARTICLE_COLUMNS, KINDS, SPEAKER_COLUMNS, UNKNOWN_COUNTRY, validate_tables

SEGMENT_FRAME_COLUMNS = ("article_id", "segment_id", "outlet", "title", "published", "kind", "speaker_id",
                         "speaker", "country", "affiliation", "text", "char_start", "char_end", "raw_file",
                         "paragraph", "reviewed", "note")


class Corpus:
    """An annotated corpus with the word lists it is analysed with.

    Like a spaCy ``nlp`` object or a quanteda corpus, it is built once
    (:func:`open_corpus`) and handed to every step, so every step uses *this* corpus's
    phrases, stopwords, abbreviations and powers.

    Attributes
    ----------
    root : Path
        The corpus folder.
    lexicons : Lexicons
        Its word lists: the files in ``root/lexicons`` over the package defaults.
    segments : DataFrame
        One row per segment (see :func:`load_corpus` for the columns).
    articles, speakers : DataFrame
        The tables ``articles.csv`` and ``speakers.csv``.
    version : str
        12 hex digits of a sha256 over the tables, raw texts and word lists used: it
        changes when any of them does.

    Examples
    --------
    >>> corpus = open_corpus()
    >>> corpus
    Corpus('corpus', 2 articles, 99 segments, 4 speakers)
    >>> corpus.select(["quote"])["kind"].unique().tolist()
    ['quote']
    >>> corpus.lexicons.tokenizer("The Belt and Road")
    ['belt_and_road_initiative']
    """

    def __init__(self, root: Path, lexicons: Lexicons, segments: pd.DataFrame, articles: pd.DataFrame,
                 speakers: pd.DataFrame, version: str | None = None):
        self.root = root
        self.lexicons = lexicons
        self.segments = segments
        self.articles = articles
        self.speakers = speakers
        self.version = version or _version(root, lexicons)

    def __repr__(self) -> str:
        n_speakers = self.segments.loc[self.segments["speaker_id"] != "", "speaker_id"].nunique()
        return (f"Corpus({self.root.name!r}, {len(self.articles)} articles, {len(self.segments)} segments, "
                f"{n_speakers} speakers)")

    def select(self, kinds: Iterable[str] | str | None = None) -> pd.DataFrame:
        """The segment table, optionally only some kinds (a copy, index 0..n-1)."""
        if kinds is None:
            return self.segments.copy()
        kinds = [kinds] if isinstance(kinds, str) else list(kinds)
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise ValueError(f"unknown kind(s) {unknown}; choose from {', '.join(KINDS)}")
        return self.segments[self.segments["kind"].isin(kinds)].reset_index(drop=True)

    @property
    def cache_folder(self) -> Path | None:
        """Where derived data of this corpus is kept: ``root/.c6lab-cache`` (the folder the
        loaded tables are kept in), or None for a corpus of fewer than
        ``c6lab.corpus.cache.AUTO_MIN_SEGMENTS`` segments, where counting takes under a second.

        Hand it to :func:`c6lab.dfm` (``cache=corpus.cache_folder``): every notebook of a
        run then counts the same texts once.
        """
        if len(self.segments) < cache_mod.AUTO_MIN_SEGMENTS:
            return None
        return self.root / cache_mod.CACHE_NAME

    def review_status(self) -> pd.DataFrame:
        """Per article: ``article_id, n_segments, n_unreviewed`` (proposals nobody has reviewed).

        Examples
        --------
        >>> open_corpus().review_status()["n_unreviewed"].sum()
        np.int64(0)
        """
        segs = self.segments
        out = (segs.assign(unreviewed=~segs["reviewed"].astype(bool))
               .groupby("article_id", sort=False)
               .agg(n_segments=("segment_id", "size"), n_unreviewed=("unreviewed", "sum"))
               .reset_index())
        return out.astype({"n_segments": "int64", "n_unreviewed": "int64"})

    def raw_text(self, article_id: str) -> str:
        """The verbatim raw text of one article."""
        row = self.articles.loc[self.articles["article_id"] == article_id]
        if row.empty:
            raise KeyError(f"no article {article_id!r} in {self.root}")
        return (self.root / row["raw_file"].iloc[0]).read_bytes().decode("utf-8")


def _tree(root: Path) -> str:
    # not the lock file of corpus changes, nor the derived tables
    return tree_digest(root, exclude=(*INTERNAL_NAMES, cache_mod.CACHE_NAME))


def _version(root: Path, lexicons: Lexicons, tree: str | None = None) -> str:
    # the corpus's own files, plus the package defaults it falls back on
    parts = [tree or _tree(root)]
    for name, path in sorted(lexicons.sources.items()):
        parts.append(f"{FILES[name]}:{sha256_hex(Path(path).read_bytes())}")
    return sha256_hex("\n".join(parts).encode())[:12]


def open_corpus(root: str | Path | None = None, *, cache: bool | str = "auto") -> Corpus:
    """Validate and load a corpus folder with its word lists.

    Parameters
    ----------
    root : path, optional
        The corpus folder. Default: the bundled study corpus (``corpus/`` of the
        repository). No environment variable is read here: the command line and the
        notebooks resolve ``--corpus`` / ``C6LAB_CORPUS`` and pass the folder.
    cache : {"auto", True, False}
        Keep the loaded tables in ``root/.c6lab-cache/`` keyed by the corpus's digest, and
        read them from there while no file of the corpus changes (see
        :mod:`c6lab.corpus.cache`): the same tables, without validating and parsing again.
        ``"auto"`` (default) reads cached tables when there are any and writes them for
        corpora of 20,000 segments or more; ``True`` always writes them; ``False`` neither
        reads nor writes.

    Returns
    -------
    Corpus

    Raises
    ------
    CorpusError
        If anything is malformed (tables, raw texts or word lists); ``err.problems``
        names file, row and field of each.
    """
    if cache not in (True, False, "auto"):
        raise ValueError(f"cache must be True, False or 'auto', got {cache!r}")
    root = root_or_bundled(root)
    recover(root)  # finish a change that a kill interrupted after its commit (one stat when none is pending)
    tree = None
    if cache is True or (cache == "auto" and cache_mod.has_cache(root)):
        tree = _tree(root)
        tables = cache_mod.read_tables(root, cache_mod.cache_key(tree))
        if tables is not None:
            lexicons = Lexicons.from_dir(root / "lexicons")  # parsed before, from these same bytes
            return Corpus(root, lexicons, tables["segments"], tables["articles"], tables["speakers"],
                          _version(root, lexicons, tree))
    signature = cache_mod.file_signature(root) if cache else None  # to see a change made while loading
    ck, parsed = validate_tables(root)
    if ck.problems:
        raise CorpusError(ck.problems)
    articles, speakers, segments, lexicons = parsed
    del parsed
    frame = _segment_frame(articles, speakers, segments)
    art = pd.DataFrame([{k: v for k, v in a.items() if not k.startswith("_")} for a in articles.values()],
                       columns=list(dict.fromkeys([*ARTICLE_COLUMNS, *(k for a in articles.values() for k in a
                                                                       if not k.startswith("_"))])))
    spk = pd.DataFrame(list(speakers.values()), columns=list(dict.fromkeys(
        [*SPEAKER_COLUMNS, *(k for s in speakers.values() for k in s)])))
    if cache is True or (cache == "auto" and len(frame) >= cache_mod.AUTO_MIN_SEGMENTS):
        after = _tree(root)
        # written only if no file changed while the corpus was read (else it would be keyed wrongly)
        if after == (tree or after) and cache_mod.file_signature(root) == signature:
            cache_mod.write_tables(root, cache_mod.cache_key(after),
                                   {"segments": frame, "articles": art, "speakers": spk})
        tree = after
    return Corpus(root, lexicons, frame, art, spk, _version(root, lexicons, tree))


def corpus_version(root: str | Path | None = None) -> str:
    """``open_corpus(root).version`` without reading the tables: the digest of the corpus's
    files and of the package word lists it falls back on.

    A run checks it after every notebook (the corpus must not change under a run); at
    20,000 articles that is a second against a full load. Raises what
    :class:`c6lab.Lexicons` raises for word lists that do not parse.
    """
    root = root_or_bundled(root)
    recover(root)
    return _version(root, Lexicons.from_dir(root / "lexicons"))


def load_corpus(root: str | Path | None = None, kinds: Iterable[str] | None = None) -> pd.DataFrame:
    """Load the corpus as one row per segment, after validating all of it.

    A shortcut for ``open_corpus(root).select(kinds)``; use :func:`open_corpus` to keep
    the corpus's word lists (``corpus.lexicons``) for the steps that follow.

    Parameters
    ----------
    root : path, optional
        Corpus folder (default: the bundled study corpus).
    kinds : iterable of str, optional
        Keep only these segment kinds (from ``title, narrative, quote, paraphrase,
        boilerplate, unrelated``). Default: all.

    Returns
    -------
    pandas.DataFrame
        Columns ``article_id, segment_id, outlet, title, published, kind, speaker_id,
        speaker, country, affiliation, text, char_start, char_end, raw_file,
        paragraph, reviewed, note``. ``text`` is the verbatim span ``raw[char_start:char_end]``
        (run :func:`c6lab.normalize` for a clean form); ``paragraph`` is the 1-based
        number of the raw file's paragraph (non-empty line) the segment starts in;
        ``reviewed`` is False for segments proposed by ``c6lab corpus add`` that nobody
        has reviewed yet; ``country`` is empty for a speaker whose country is ``??``.

    Examples
    --------
    >>> df = load_corpus(kinds=["quote", "paraphrase"])
    >>> sorted(df["speaker"].unique())
    ['Edil Osmonbetov', 'Farid Shafiyev', 'Ranokhon Tursunova', 'Roza Bayramli']
    """
    return open_corpus(root).select(kinds)


_PARAGRAPH = re.compile(r"[^\r\n]*\S[^\r\n]*")  # a lone \r (CR-only files) ends a line too


def _segment_frame(articles: dict, speakers: dict, segments: list[dict]) -> pd.DataFrame:
    """The segment table, built column by column (no dict per row) and in article order.

    Each article's raw text is dropped (``_text`` popped) once its segments are cut from it,
    so the raw texts and the segment texts are never all held at once.
    """
    order = {aid: i for i, aid in enumerate(articles)}
    segs = sorted(segments, key=lambda s: (order[s["article_id"]], s["char_start"]))
    segments.clear()  # the caller's list: the sorted one holds the rows now
    aids = [s["article_id"] for s in segs]
    starts = [s["char_start"] for s in segs]
    ends = [s["char_end"] for s in segs]
    texts: list[str] = []
    paragraphs: list[int] = []
    i, n = 0, len(segs)
    while i < n:  # one article at a time: its segments are consecutive
        aid = aids[i]
        raw = articles[aid].pop("_text")
        # where the article's paragraphs end (a segment's paragraph by bisection)
        para_ends = [m.end() for m in _PARAGRAPH.finditer(raw)]
        while i < n and aids[i] == aid:
            texts.append(raw[starts[i]:ends[i]])
            # 1 + the paragraphs whose line ends before the segment starts
            paragraphs.append(bisect.bisect_left(para_ends, starts[i]) + 1)
            i += 1
        del raw
    for art in articles.values():
        art.pop("_text", None)  # an article without segments (an empty corpus table)
    spk_ids = [s["speaker_id"] for s in segs]
    no_speaker: dict = {}
    spk = [speakers.get(sid, no_speaker) for sid in spk_ids]
    arts = [articles[a] for a in aids]
    columns = {
        "article_id": aids,
        "segment_id": [s["segment_id"] for s in segs],
        "outlet": [a["outlet"] for a in arts],
        "title": [a["title"] for a in arts],
        "published": [a["published"] for a in arts],
        "kind": [s["kind"] for s in segs],
        "speaker_id": spk_ids,
        "speaker": [p.get("name", "") for p in spk],
        # "??" (not known yet) puts the speaker in no country group
        "country": ["" if p.get("country") == UNKNOWN_COUNTRY else p.get("country", "") for p in spk],
        "affiliation": [p.get("affiliation", "") for p in spk],
        "text": texts,
        "char_start": starts,
        "char_end": ends,
        "raw_file": [a["raw_file"] for a in arts],
        "paragraph": paragraphs,
        # hand-made tables without the column are reviewed by definition
        "reviewed": [s.get("reviewed", "yes") != "no" for s in segs],
        "note": [s.get("note", "") for s in segs],
    }
    del segs, spk, arts
    frame = pd.DataFrame(columns, columns=list(SEGMENT_FRAME_COLUMNS))
    if not len(frame):  # the dtypes pandas gives the empty table built from records
        return pd.DataFrame.from_records([], columns=list(SEGMENT_FRAME_COLUMNS))
    return frame
