"""Measure proposed segments against a hand annotation, character by character.

Used to check :func:`c6lab.corpus.attribution.propose_segments` on articles annotated by
hand (``tests/articles/``). Only non-white-space characters are counted: which segment a
blank line belongs to is a convention, not a decision.

Gold files (``<article>.gold.csv``) have the columns ``char_start, char_end, kind, speaker,
country, note, text``: spans that tile the raw text exactly (end exclusive, Python string
offsets as in ``segments.csv``), the kind, the speaker's full name and ISO 3166 alpha-2
country for ``quote`` and ``paraphrase``, and the span's text without its surrounding white
space (checked, so a gold file that drifted from its article fails loudly).

Examples
--------
>>> text = "Title\\nX said that it works.\\n"
>>> gold = [GoldSegment(0, 6, "title"), GoldSegment(6, 18, "narrative"),
...         GoldSegment(18, 28, "paraphrase", "Ann X", "UZ")]
>>> score = score_article(text, gold, [Segment(0, 6, "title"), Segment(6, 28, "narrative")], {})
>>> score.kinds.loc["paraphrase", ["tp", "proposed", "gold"]].tolist()
[0, 0, 8]
>>> round(float(score.kinds.loc["narrative", "precision"]), 2)  # 9 of 17 characters
0.53
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import CorpusError, Problem
from ..text import normalize
from .attribution import Segment  # noqa: F401  (the proposals compared; used in the example)
from .validate import KINDS

SPEECH = ("quote", "paraphrase")
SET_ASIDE = ("boilerplate", "unrelated")
GOLD_COLUMNS = ("char_start", "char_end", "kind", "speaker", "country", "note", "text")


@dataclass
class GoldSegment:
    """One hand-annotated span; ``speaker`` is a full name, ``country`` an ISO code."""

    start: int
    end: int
    kind: str
    speaker: str = ""
    country: str = ""
    note: str = ""


@dataclass
class ArticleScore:
    """Character counts of one article (see :func:`score_article`)."""

    kinds: pd.DataFrame  # index: kind; columns tp, proposed, gold, precision, recall
    speech_both: int  # characters that both call quote or paraphrase
    speech_same_speaker: int  # ... and give to the same person
    wrong_speaker: list[dict] = field(default_factory=list)  # runs given to another person
    countries: list[dict] = field(default_factory=list)  # one row per proposed new speaker


def read_gold(path: str | Path, text: str) -> list[GoldSegment]:
    """Read a gold file and check it against the article's raw ``text``.

    Raises
    ------
    CorpusError
        Naming file, row and field, if spans do not tile ``text``, a kind is unknown, a
        quote or paraphrase lacks a speaker or country, or ``text`` does not match.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "a.gold.csv"
    >>> _ = path.write_text("char_start,char_end,kind,speaker,country,note,text\\n"
    ...                     "0,6,title,,,,Title\\n6,12,boilerplate,,,,Tags:\\n", encoding="utf-8")
    >>> [(g.start, g.end, g.kind) for g in read_gold(path, "Title\\nTags:\\n")]
    [(0, 6, 'title'), (6, 12, 'boilerplate')]
    """
    path = Path(path)
    problems, out, pos = [], [], 0
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != GOLD_COLUMNS:
            raise CorpusError([Problem(str(path), 1, None, f"columns must be {', '.join(GOLD_COLUMNS)}")])
        for line, row in enumerate(reader, 2):
            def bad(fld: str, msg: str, line: int = line) -> None:
                problems.append(Problem(str(path), line, fld, msg))
            try:
                s, e = int(row["char_start"]), int(row["char_end"])
            except ValueError:
                bad("char_start", "offsets must be integers")
                continue
            if s != pos or e <= s:
                bad("char_start", f"span {s}-{e} does not continue the previous one (at {pos})")
            if row["kind"] not in KINDS:
                bad("kind", f"{row['kind']!r} is not one of {', '.join(KINDS)}")
            if (row["kind"] in SPEECH) != bool(row["speaker"] and row["country"]):
                bad("speaker", "quote and paraphrase need speaker and country; other kinds none")
            if text[s:e].strip() != row["text"]:
                bad("text", f"does not match the article at {s}-{e}: {text[s:e].strip()[:40]!r}")
            out.append(GoldSegment(s, e, row["kind"], row["speaker"], row["country"], row["note"]))
            pos = e
    if pos != len(text):
        problems.append(Problem(str(path), None, "char_end", f"spans end at {pos}, the text at {len(text)}"))
    if problems:
        raise CorpusError(problems)
    return out


def _labels(segments: Iterable, n: int, names: Mapping[str, str] | None) -> tuple[list, list]:
    kind, who = [""] * n, [""] * n
    for seg in segments:
        name = seg.speaker if names is None else names.get(seg.speaker, seg.speaker)
        for i in range(seg.start, min(seg.end, n)):
            kind[i], who[i] = seg.kind, _name(name)
    return kind, who


def _name(name: str) -> str:
    return normalize(name).casefold()


def score_article(text: str, gold: list[GoldSegment], proposed: list, names: Mapping[str, str],
                  new_speakers: Iterable[dict] = ()) -> ArticleScore:
    """Compare proposed segments with the gold spans of one article.

    Parameters
    ----------
    text : str
        The raw article.
    gold : list of GoldSegment
    proposed : list of Segment
        What :func:`~c6lab.corpus.attribution.propose_segments` returned.
    names : mapping
        Speaker id -> full name of every speaker a proposal may name (known and new).
    new_speakers : rows
        ``Speakers.new``: the proposed new speakers, whose countries are checked against
        the gold country of the person of the same name.

    Returns
    -------
    ArticleScore
        Per kind (and ``speech`` = quote + paraphrase, ``set_aside`` = boilerplate +
        unrelated) the characters proposed, annotated and agreeing; speech characters
        given to the same person; every run of characters given to another person than
        the annotator's; and, per new speaker, the inferred and the annotated country.
    """
    n = len(text)
    gk, gw = _labels(gold, n, None)
    pk, pw = _labels(proposed, n, names)
    groups = {k: (k,) for k in KINDS} | {"speech": SPEECH, "set_aside": SET_ASIDE}
    rows, both, same, wrong, run = {}, 0, 0, [], None
    counted = [i for i in range(n) if not text[i].isspace()]
    for k, members in groups.items():
        tp = sum(1 for i in counted if gk[i] in members and pk[i] in members)
        rows[k] = {"tp": tp, "proposed": sum(1 for i in counted if pk[i] in members),
                   "gold": sum(1 for i in counted if gk[i] in members)}
    for i in counted:
        if gk[i] in SPEECH and pk[i] in SPEECH:
            both += 1
            same += gw[i] == pw[i]
        if gw[i] and pw[i] and gw[i] != pw[i]:
            if run and (run["gold"], run["proposed"]) == (gw[i], pw[i]) and not text[run["end"]:i].strip():
                run["end"] = i + 1  # the same mistake continues (across white space)
            else:
                run = {"start": i, "end": i + 1, "gold": gw[i], "proposed": pw[i]}
                wrong.append(run)
    for r in wrong:
        r["text"] = normalize(text[r["start"]:r["end"]])[:60]
    gold_country = {_name(g.speaker): g.country for g in gold if g.speaker}
    countries = [{"name": sp["name"], "proposed": sp["country"],
                  "gold": gold_country.get(_name(sp["name"]), "not a gold speaker")} for sp in new_speakers]
    return ArticleScore(_rates(pd.DataFrame.from_dict(rows, orient="index")), both, same, wrong, countries)


def _rates(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["precision"] = df["tp"] / df["proposed"].where(df["proposed"] > 0)
    df["recall"] = df["tp"] / df["gold"].where(df["gold"] > 0)
    return df


def summarise(scores: Iterable[ArticleScore]) -> tuple[pd.DataFrame, dict]:
    """Pool the character counts of several articles (micro-average).

    Returns the per-kind table (``tp, proposed, gold, precision, recall``) and a dict with
    ``speaker_accuracy`` (share of characters both call speech that go to the same person),
    ``wrong_speaker_chars``, and the new speakers' countries: ``country_correct``,
    ``country_wrong``, ``country_unknown`` (``??``) and ``not_gold_speakers`` (names
    proposed as speakers that the annotator did not mark as speakers).

    Examples
    --------
    >>> table, rest = summarise([])
    >>> rest["speaker_accuracy"] is None
    True
    """
    scores = list(scores)
    if not scores:
        empty = pd.DataFrame(columns=["tp", "proposed", "gold", "precision", "recall"])
        return empty, {"speaker_accuracy": None, "wrong_speaker_chars": 0, "country_correct": 0,
                       "country_wrong": 0, "country_unknown": 0, "not_gold_speakers": []}
    total = sum((s.kinds[["tp", "proposed", "gold"]] for s in scores[1:]), scores[0].kinds[["tp", "proposed", "gold"]])
    both = sum(s.speech_both for s in scores)
    countries = [c for s in scores for c in s.countries]
    rest = {
        "speaker_accuracy": sum(s.speech_same_speaker for s in scores) / both if both else None,
        "wrong_speaker_chars": sum(r["end"] - r["start"] for s in scores for r in s.wrong_speaker),
        "country_correct": sum(c["proposed"] == c["gold"] for c in countries),
        "country_wrong": sum(c["proposed"] not in (c["gold"], "??") and c["gold"] != "not a gold speaker"
                             for c in countries),
        "country_unknown": sum(c["proposed"] == "??" and c["gold"] != "not a gold speaker" for c in countries),
        "not_gold_speakers": [c["name"] for c in countries if c["gold"] == "not a gold speaker"],
    }
    return _rates(total), rest
