"""Add an article to a corpus: copy it verbatim, propose segments, attribute speech.

What ``c6lab corpus add`` does. The proposal is a draft for a human annotator: paragraphs
flagged as page furniture or teasers (:mod:`c6lab.corpus.propose`), quotations found by their
marks (straight or curly, also when one quote runs over several paragraphs), and quotes and
reported speech attributed to speakers named in the text ("..., X said", "According to X",
"X noted that ..."), matched against ``speakers.csv`` or proposed as new speakers.

Nothing is written unless the whole result validates: the new tables are built and checked
in a temporary copy of the corpus first, then moved into place file by file with
``os.replace`` (each rename atomic), the raw text first; if a rename fails, files already
replaced are restored.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CorpusError, Problem
from ..io import atomic_write_bytes, csv_bytes, read_csv_rows, sha256_hex
from ..lexicons import Lexicons, resolve
from ..text import normalize
from .propose import paragraphs, propose_kinds
from .validate import _ID, ARTICLE_COLUMNS, SEGMENT_COLUMNS, SPEAKER_COLUMNS, validate_corpus

OPEN_MARKS = "\u201c\u201e\u00ab"  # “ „ «
CLOSE_MARKS = "\u201d\u00bb"  # ” »
STRAIGHT = '"'
_NAME = r"[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+){0,2}"


class IngestError(CorpusError):
    """The article cannot be added; nothing was written."""


@dataclass
class Segment:
    start: int
    end: int
    kind: str
    speaker: str = ""  # speaker id
    note: str = ""


@dataclass
class AddResult:
    """What :func:`add_article` wrote."""

    article_id: str
    raw_file: str
    segments: list[dict]
    new_speakers: list[dict] = field(default_factory=list)
    matched_speakers: list[str] = field(default_factory=list)

    def summary(self) -> str:
        kinds: dict[str, int] = {}
        for s in self.segments:
            kinds[s["kind"]] = kinds.get(s["kind"], 0) + 1
        lines = [f"added {self.article_id} ({self.raw_file}): {len(self.segments)} segments "
                 + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))]
        for sp in self.matched_speakers:
            lines.append(f"  known speaker: {sp}")
        for sp in self.new_speakers:
            flag = "  <- fill in the country in speakers.csv" if sp["country"] == "??" else ""
            lines.append(f"  new speaker: {sp['speaker_id']} = {sp['name']} ({sp['country']}){flag}")
        lines.append("The segments are a proposal: review them in segments.csv "
                     "(kinds and speakers), then run `c6lab corpus validate`.")
        return "\n".join(lines)


# ------------------------------------------------------------------ input checks


def _refuse(message: str, path: str | Path | None = None, fld: str | None = None) -> IngestError:
    return IngestError([Problem(str(path) if path else "c6lab corpus add", None, fld, message)])


def read_article_file(path: str | Path) -> tuple[bytes, str]:
    """Read a file to add and check it is non-empty UTF-8 text; return bytes and text."""
    path = Path(path)
    if not path.exists():
        raise _refuse("file not found", path)
    if path.is_dir():
        raise _refuse("is a directory; give one text file", path)
    data = path.read_bytes()
    if not data.strip():
        raise _refuse("empty file (no text to add)", path)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise _refuse(f"looks like a binary file (NUL byte at byte {nul}); "
                      "give a plain-text (.txt) file", path)
    if data.startswith(b"\xef\xbb\xbf"):
        raise _refuse("starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM", path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _refuse(f"not valid UTF-8 at byte {exc.start} (0x{data[exc.start]:02x}); convert it "
                      f"first, e.g. iconv -f cp1252 -t utf-8 {path.name} > {path.stem}.utf8.txt",
                      path) from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(2, len(text) // 100):
        raise _refuse(f"looks like a binary file ({controls} control characters); "
                      "give a plain-text (.txt) file", path)
    return data, text


def _slug(text: str, max_len: int = 40) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", normalize(text).lower()).strip("_")
    if len(slug) > max_len:  # cut at a word boundary where there is one
        cut = slug[: max_len + 1].rfind("_")
        slug = slug[: cut if cut > 0 else max_len]
    return slug.rstrip("_")


def _check_name(value: str, option: str) -> None:
    if any(s in value for s in ("/", "\\", "..", "\x00")) or value.startswith("~"):
        raise _refuse(f"{option} {value!r} looks like a path; it must be a name "
                      "(it may not contain '/', '\\' or '..')", fld=option)
    if "\n" in value or "\r" in value:
        raise _refuse(f"{option} must be a single line", fld=option)


def parse_speaker_options(values: list[str]) -> dict[str, str]:
    """Parse ``--speaker "Name=KG"`` options into {name: country}."""
    out = {}
    for v in values:
        name, sep, country = v.partition("=")
        name, country = name.strip(), country.strip()
        if not sep or not name:
            raise _refuse(f"--speaker {v!r}: write it as \"Full Name=CC\"", fld="--speaker")
        if not re.fullmatch(r"[A-Z]{2}|\?\?", country):
            raise _refuse(f"--speaker {v!r}: {country!r} is not an ISO 3166 alpha-2 code "
                          "(e.g. KG, UZ, AZ) or ??", fld="--speaker")
        out[name] = country
    return out


# ------------------------------------------------------------------ reading tables


def _read_rows(path: Path) -> tuple[list[str], list[dict]]:
    header, rows = read_csv_rows(path, ())
    return header, [row for _, row in rows]


# ------------------------------------------------------------------ speakers


class _Speakers:
    """Known speakers plus those proposed while reading the new article."""

    def __init__(self, rows: list[dict], countries: dict[str, str], not_person: frozenset[str]):
        self.not_person = not_person
        self.rows = rows
        self.countries = countries
        self.new: list[dict] = []
        self.matched: list[str] = []
        self.introduced: dict[str, str] = {}  # surname -> full name seen in this article

    def introduce(self, text: str) -> None:
        """Remember full names in the text, so a later bare surname can be resolved."""
        for m in re.finditer(_NAME, text):
            words = m.group().split()
            if len(words) >= 2 and self._is_person(words):
                self.introduced.setdefault(words[-1].lower(), m.group())

    def _is_person(self, words: list[str]) -> bool:
        return not any(w.lower() in self.not_person or w.lower().removesuffix("'s") in self.not_person
                       for w in words)

    def _all(self):
        return self.rows + self.new

    def find(self, name: str, allow_new: bool) -> str | None:
        name = re.sub(r"\s+", " ", normalize(name)).strip()
        words = name.split()
        if not words or not self._is_person(words):
            return None
        if len(words) == 1 and words[0].lower() in self.introduced:
            name = self.introduced[words[0].lower()]
            words = name.split()
        for row in self._all():
            full = row["name"]
            if full.lower() == name.lower() or full.split()[-1].lower() == words[-1].lower():
                self._note_match(row)
                return row["speaker_id"]
        if not allow_new or len(words) < 2:
            return None  # a single capitalised word is not enough to propose a new person
        return self._add(name)

    def _note_match(self, row: dict) -> None:
        if row in self.rows and row["name"] not in self.matched:
            self.matched.append(row["name"])

    def _add(self, name: str) -> str:
        base = _slug(name.split()[-1], 30) or "speaker"
        ids = {r["speaker_id"] for r in self._all()}
        sid, n = base, 2
        while sid in ids:
            sid, n = f"{base}_{n}", n + 1
        country = self.countries.get(name) or self.countries.get(name.split()[-1]) or "??"
        self.new.append({"speaker_id": sid, "name": name, "country": country,
                         "affiliation": "", "role": ""})
        return sid


# ------------------------------------------------------------------ attribution


class _Attributor:
    def __init__(self, speakers: _Speakers, lexicons: Lexicons):
        self.speakers = speakers
        verbs = sorted(lexicons.speech_verbs, key=len, reverse=True)
        refs = sorted(lexicons.speaker_references, key=len, reverse=True)
        v = "|".join(re.escape(x).replace(r"\ ", r"\s+") for x in verbs)
        r = "|".join(re.escape(x).replace(r"\ ", r"\s+") for x in refs)
        aux = r"(?:(?:has|had|also|further|then)\s+)*"
        self.name_verb = re.compile(rf"({_NAME}),?\s+{aux}(?:{v})\b")
        self.name_appos_verb = re.compile(rf"({_NAME}),[^.;]{{1,200}}?,\s+{aux}(?:{v})\b")
        self.verb_name = re.compile(rf"\b(?:{v}),?\s+({_NAME})")
        self.according = re.compile(rf"\b[Aa]ccording\s+to\s+({_NAME}|him|her|them)\b")
        self.ref_verb = re.compile(rf"(?i:\b({r}))\s+{aux}(?:{v})\b")
        self.view = re.compile(r"^\s*In\s+(?:his|her|their)\s+(?:view|opinion),\s*")
        self.reported = re.compile(
            rf"^(.*?\b(?:{_NAME}|(?i:{r}))(?:,[^.;]{{1,200}}?,)?\s+{aux}(?:{v})\s+(?:that|how)\s+)(\S.*)$",
            re.S)
        self.according_lead = re.compile(rf"^(\s*[Aa]ccording\s+to\s+({_NAME}|him|her|them),\s*)(\S.*)$",
                                         re.S)
        self.current: str | None = None

    def who(self, text: str, allow_new: bool = True) -> str | None:
        """Speaker referred to in a piece of narrative, or None."""
        for pattern in (self.name_verb, self.verb_name, self.name_appos_verb, self.according):
            for m in pattern.finditer(text):
                name = m.group(1)
                if name in ("him", "her", "them"):
                    return self.current
                sid = self.speakers.find(name, allow_new)
                if sid:
                    self.current = sid
                    return sid
        if self.ref_verb.search(text) and self.current:
            return self.current
        return None

    def split_reported(self, text: str) -> tuple[str, str, str] | None:
        """Split "X noted that <content>" into (lead, content, speaker id)."""
        m = self.view.match(text)
        if m and self.current:
            return text[: m.end()], text[m.end():], self.current
        m = self.according_lead.match(text)
        if m:
            sid = self.who(m.group(1))
            if sid:
                return m.group(1), m.group(3), sid
        m = self.reported.match(text)
        if m:
            sid = self.who(m.group(1))
            if sid:
                return m.group(1), m.group(2), sid
        return None


# ------------------------------------------------------------------ segmentation


def _quote_pieces(text: str, paras: list[tuple[int, int]], skip: set[int]):
    """Split paragraphs into narrative and quote pieces; quotes get a group number.

    Yields (start, end, 'quote' | 'narrative', group, paragraph index). A quote that
    does not close at the end of its paragraph continues in the next one (whether or
    not that paragraph repeats the opening mark).
    """
    pieces = []
    group = -1
    in_quote = False
    for p, (s, e) in enumerate(paras):
        if p in skip:
            if in_quote:  # a quote cannot run into page furniture: treat it as unclosed
                in_quote = False
            pieces.append((s, e, "set_aside", None, p))
            continue
        pos = s
        qstart = s if in_quote else None
        for i in range(s, e):
            ch = text[i]
            if ch not in OPEN_MARKS + CLOSE_MARKS + STRAIGHT:
                continue
            opening = ch in OPEN_MARKS or (ch == STRAIGHT and not in_quote)
            if in_quote and i == qstart and (ch in OPEN_MARKS or ch == STRAIGHT):
                continue  # continuation paragraph repeating the opening mark
            if opening and not in_quote:
                if i > pos:
                    pieces.append((pos, i, "narrative", None, p))
                group += 1
                in_quote, qstart = True, i
            elif in_quote and (ch in CLOSE_MARKS or ch == STRAIGHT):
                pieces.append((qstart, i + 1, "quote", group, p))
                in_quote, pos, qstart = False, i + 1, None
        if in_quote:
            pieces.append((qstart, e, "quote", group, p))
        elif pos < e:
            pieces.append((pos, e, "narrative", None, p))
    if in_quote:  # unclosed at the end of the article: not a reliable quote
        pieces = [(s, e, "narrative" if k == "quote" and g == group else k, None if g == group else g, p)
                  for s, e, k, g, p in pieces]
    return pieces


def propose_segments(text: str, title: str, other_articles: dict[str, str],
                     speakers: _Speakers, lexicons: Lexicons | None = None) -> list[Segment]:
    """Propose segments covering all of ``text`` (see the module docstring)."""
    lexicons = resolve(lexicons)
    paras = paragraphs(text)
    props = propose_kinds({**other_articles, "__new__": text}, lexicons=lexicons)
    props = props[props["article_id"] == "__new__"].reset_index(drop=True)
    set_aside = {i: k for i, k in enumerate(props["proposed_kind"]) if k in ("boilerplate", "unrelated")}
    pieces = _quote_pieces(text, paras, set(set_aside))
    att = _Attributor(speakers, lexicons)
    speakers.introduce(normalize(text))
    by_group: dict[int, list[int]] = {}
    for idx, piece in enumerate(pieces):
        if piece[2] == "quote":
            by_group.setdefault(piece[3], []).append(idx)

    def narrative_near(idx: int, para: int) -> str | None:
        if 0 <= idx < len(pieces) and pieces[idx][2] == "narrative" and pieces[idx][4] == para:
            return text[pieces[idx][0] : pieces[idx][1]]
        return None

    # One pass in reading order, so "she said" refers to the speaker named last.
    group_speaker: dict[int, str | None] = {}
    segments: list[Segment] = []
    for s, e, kind, g, p in pieces:
        if kind == "set_aside":
            segments.append(Segment(s, e, set_aside[p]))
            continue
        if kind == "quote":
            if g not in group_speaker:
                first, last = by_group[g][0], by_group[g][-1]
                # who said it: after the closing mark, before the opening mark (same
                # paragraph), or in the paragraph that introduces the quote
                after = narrative_near(last + 1, pieces[last][4])
                before = narrative_near(first - 1, pieces[first][4])
                intro = narrative_near(first - 1, pieces[first][4] - 1)
                sid = None
                for candidate in (after, before, intro):
                    if candidate and (sid := att.who(candidate)):
                        break
                group_speaker[g] = sid
            sid = group_speaker[g]
            if sid:
                segments.append(Segment(s, e, "quote", sid))
            else:
                segments.append(Segment(s, e, "narrative", note="quotation with no speaker found: review"))
            continue
        piece = text[s:e]
        if p == 0 and title and normalize(piece) == normalize(title):
            segments.append(Segment(s, e, "title"))
            continue
        split = att.split_reported(piece)
        if split:
            lead, _, sid = split
            cut = s + len(lead)
            segments.append(Segment(s, cut, "narrative"))
            segments.append(Segment(cut, e, "paraphrase", sid, note="proposed paraphrase: review"))
        else:
            att.who(piece)  # a name in the narrative becomes the current speaker
            segments.append(Segment(s, e, "narrative"))
    return _cover(segments, len(text))


def _cover(segments: list[Segment], n: int) -> list[Segment]:
    """Give the whitespace between paragraphs to the segment before it (or the first)."""
    segments = sorted(segments, key=lambda x: x.start)
    if not segments:
        return segments
    segments[0].start = 0
    for a, b in zip(segments, segments[1:]):
        a.end = b.start
    segments[-1].end = n
    return [s for s in segments if s.end > s.start]


# ------------------------------------------------------------------ adding


def add_article(
    file: str | Path,
    *,
    outlet: str,
    title: str,
    corpus: str | Path,
    url: str = "",
    published: str = "",
    speakers: dict[str, str] | None = None,
    article_id: str | None = None,
    language: str = "en",
) -> AddResult:
    """Add a text file to the corpus as a new article with proposed segments.

    Parameters
    ----------
    file : path
        Plain UTF-8 text (no BOM). Copied byte for byte into ``raw/``.
    outlet, title, url, published : str
        Provenance; ``published`` as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` or empty.
    speakers : dict of name -> ISO 3166 alpha-2 country, optional
        Countries of new speakers ("Edil Osmonbetov": "KG"); a new speaker not given
        here gets ``??``, which ``c6lab corpus validate`` reports until it is filled in.
    article_id : str, optional
        Default: built from the outlet and the title.
    corpus : path
        The corpus folder; its word lists (speech verbs, boilerplate patterns ...) are
        used for the proposal.

    Returns
    -------
    AddResult

    Raises
    ------
    IngestError
        With nothing written, for: missing file, directory, empty, binary, non-UTF-8 or
        BOM file; a file already in the corpus (same sha256); an outlet or id that looks
        like a path; a bad id, date or --speaker value; an existing id or raw file; a
        corpus that does not validate before the addition.
    """
    root = Path(corpus)
    if not root.is_dir():
        raise _refuse("corpus folder not found", root)
    _check_name(outlet, "--outlet")
    if not outlet.strip():
        raise _refuse("--outlet is empty", fld="--outlet")
    _check_name(title, "--title")
    if article_id is not None:
        _check_name(article_id, "--id")
    if published and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", published):
        raise _refuse(f"--published {published!r} is not YYYY, YYYY-MM or YYYY-MM-DD", fld="--published")
    data, text = read_article_file(file)
    digest = sha256_hex(data)

    existing = [p for p in validate_corpus(root) if "unknown country" not in p.message]
    if existing:
        raise IngestError([Problem(p.file, p.row, p.field, p.message) for p in existing]
                          + [Problem("c6lab corpus add", None, None,
                                     "the corpus has problems (above); fix them before adding")])

    art_fields, articles = _read_rows(root / "articles.csv")
    spk_fields, speaker_rows = _read_rows(root / "speakers.csv")
    seg_fields, segment_rows = _read_rows(root / "segments.csv")
    for a in articles:
        if a["sha256"].lower() == digest:
            raise _refuse(f"this text is already in the corpus as article {a['article_id']!r} "
                          f"({a['raw_file']}, same sha256)", file)

    aid = article_id or "_".join(x for x in (_slug(outlet, 20), _slug(title, 40)) if x) or digest[:12]
    if not _ID.fullmatch(aid):
        raise _refuse(f"article id {aid!r} is not valid (lower-case letters, digits, _ . -)", fld="--id")
    if any(a["article_id"] == aid for a in articles):
        raise _refuse(f"an article with id {aid!r} already exists; choose another with --id", fld="--id")
    raw_rel = f"raw/{aid}.txt"
    raw_path = root / raw_rel
    if raw_path.exists():
        raise _refuse(f"{raw_rel} already exists; choose another id with --id", raw_path)

    others = {}
    for a in articles:
        others[a["article_id"]] = (root / a["raw_file"]).read_bytes().decode("utf-8")
    lex = Lexicons.from_dir(root / "lexicons")
    spk = _Speakers(speaker_rows, speakers or {}, lex.not_person_words)
    segs = propose_segments(text, title, others, spk, lexicons=lex)

    new_segments = [
        {"article_id": aid, "segment_id": f"{aid}-{i:03d}", "char_start": s.start, "char_end": s.end,
         "kind": s.kind, "speaker_id": s.speaker, "note": s.note}
        for i, s in enumerate(segs, 1)
    ]
    article_row = {"article_id": aid, "outlet": outlet.strip(), "title": title.strip(), "url": url.strip(),
                   "published": published, "language": language, "raw_file": raw_rel, "sha256": digest}
    if "note" not in seg_fields:
        seg_fields = [*seg_fields, "note"]
    files = {
        raw_rel: data,
        "articles.csv": csv_bytes(art_fields or list(ARTICLE_COLUMNS), articles + [article_row]),
        "speakers.csv": csv_bytes(spk_fields or list(SPEAKER_COLUMNS), speaker_rows + spk.new),
        "segments.csv": csv_bytes(seg_fields or [*SEGMENT_COLUMNS, "note"], segment_rows + new_segments),
    }
    _check_in_staging(root, files)
    _commit(root, files)
    return AddResult(aid, raw_rel, new_segments, spk.new, spk.matched)


def _check_in_staging(root: Path, files: dict[str, bytes]) -> None:
    """Validate the would-be corpus in a temporary copy; raise if it does not validate."""
    with tempfile.TemporaryDirectory(prefix="c6lab-add-") as tmp:
        stage = Path(tmp) / "corpus"
        shutil.copytree(root, stage)
        for rel, data in files.items():
            (stage / rel).parent.mkdir(parents=True, exist_ok=True)
            (stage / rel).write_bytes(data)
        problems = [p for p in validate_corpus(stage) if "unknown country" not in p.message]
    if problems:
        raise IngestError(problems + [Problem("c6lab corpus add", None, None,
                                              "internal error: the proposal does not validate; "
                                              "nothing was written")])


def _commit(root: Path, files: dict[str, bytes]) -> None:
    """Replace the files one by one (raw text first); restore them all if one fails."""
    backups: dict[Path, bytes | None] = {}
    order = sorted(files, key=lambda rel: not rel.startswith("raw/"))
    try:
        for rel in order:
            path = root / rel
            backups[path] = path.read_bytes() if path.exists() else None
            atomic_write_bytes(path, files[rel])
    except BaseException:
        for path, old in backups.items():
            if old is None:
                path.unlink(missing_ok=True)
            else:
                atomic_write_bytes(path, old)
        raise


def corpus_tree_digest(root: str | Path) -> dict[str, str]:
    """sha256 of every file under ``root`` (used to show that a refusal changed nothing)."""
    root = Path(root)
    return {str(p.relative_to(root)): sha256_hex(p.read_bytes())
            for p in sorted(root.rglob("*")) if p.is_file()}


__all__ = ["AddResult", "IngestError", "add_article", "corpus_tree_digest", "parse_speaker_options",
           "propose_segments", "read_article_file"]
