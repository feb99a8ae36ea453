"""Validate a corpus folder: every problem, each naming file, row and field.

The corpus folder holds ``articles.csv``, ``speakers.csv``, ``segments.csv`` and the raw
texts under ``raw/``. Segments are spans of a raw file given as character offsets
(Python string indices into the file decoded as UTF-8, line breaks kept as they are);
together they cover every character of every raw file exactly once.

Values are checked for what they mean, not only their shape: a country is an ISO 3166-1
alpha-2 code (``src/c6lab/data/iso3166_alpha2.csv``) or one the corpus declares in
``extra_countries.csv``; a date is a real calendar date; an offset is ASCII digits. A file
in ``raw/`` that no table names is a review item, not an error (a leftover of an
interrupted ``c6lab corpus add``: the corpus still loads).
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from ..errors import CorpusError, Problem
from ..io import find_control, line_of, read_csv_rows, sha256_hex
from ..lexicons import Lexicons
from .location import root_or_bundled
from .transaction import recover

KINDS = ("title", "narrative", "quote", "paraphrase", "boilerplate", "unrelated")
SPEAKER_KINDS = ("quote", "paraphrase")
ARTICLE_COLUMNS = ("article_id", "outlet", "title", "url", "published", "language", "raw_file", "sha256")
SPEAKER_COLUMNS = ("speaker_id", "name", "country", "affiliation", "role")
SEGMENT_COLUMNS = ("article_id", "segment_id", "char_start", "char_end", "kind", "speaker_id")
# optional columns: written by `c6lab corpus add`; a table without them is read as before
ARTICLE_OPTIONAL = ("author", "source_file", "source_sha256")
SEGMENT_OPTIONAL = ("reviewed", "note")
UNKNOWN_COUNTRY = "??"
#: A corpus's own country codes (columns code, name, note), for places ISO 3166-1 leaves out (e.g. XK).
EXTRA_COUNTRIES = "extra_countries.csv"
_ID = re.compile(r"[a-z0-9][a-z0-9_.-]*")
_COUNTRY = re.compile(r"[A-Z]{2}")
# [0-9], not \d: \d and str.isdigit accept Arabic-Indic and other digits ('١٢')
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_INT = re.compile(r"[0-9]{1,15}")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")  # ISO 639 code, optionally with a region: en, en-GB
_LINE_BREAK = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


# codes people write for a country that has another ISO code
_INSTEAD = {"UK": "GB", "EL": "GR", "KV": "XK", "KO": "XK"}


@functools.cache
def iso_countries() -> Mapping[str, str]:
    """The country codes every corpus may use, with their English short names.

    The 249 officially assigned ISO 3166-1 alpha-2 codes, plus ``EU`` (exceptionally
    reserved by ISO for the European Union; used for EU officials). Kosovo's ``XK`` is not
    an ISO code: a corpus that needs it declares it in ``extra_countries.csv``.

    Examples
    --------
    >>> codes = iso_countries()
    >>> len(codes), codes["KG"], "EU" in codes, "XK" in codes, "UK" in codes
    (250, 'Kyrgyzstan', True, False, False)
    """
    text = resources.files("c6lab").joinpath("data", "iso3166_alpha2.csv").read_text(encoding="utf-8")
    return MappingProxyType({row["code"]: row["name"] for row in csv.DictReader(io.StringIO(text))})


def known_countries(root: str | Path) -> dict[str, str]:
    """Country codes a corpus may use: ISO 3166-1 alpha-2 and the corpus's ``extra_countries.csv``.

    Raises :class:`CorpusError` if ``extra_countries.csv`` is malformed.
    """
    ck = _Checker(Path(root))
    extra = _read_extra_countries(ck)
    if ck.problems:
        raise CorpusError(ck.problems)
    return {**iso_countries(), **extra}


def country_problem(code: str, known: Mapping[str, str]) -> str | None:
    """Why ``code`` is not a country code of the corpus (None if it is, or is ``??``)."""
    if code == UNKNOWN_COUNTRY or code in known:
        return None
    instead = code.upper() if code.upper() in known else _INSTEAD.get(code.upper())
    hint = f" (did you mean {instead!r}?)" if instead else ""
    return (f"{code!r} is not an ISO 3166 alpha-2 code{hint}: use e.g. KG, ?? if not known yet, "
            f"or declare the code in {EXTRA_COUNTRIES}")


def date_problem(value: str) -> str | None:
    """Why ``value`` is not a date YYYY, YYYY-MM or YYYY-MM-DD of the calendar (None if it is)."""
    m = _DATE.fullmatch(value)
    if not m:
        return f"{value!r} is not YYYY, YYYY-MM or YYYY-MM-DD"
    year, month, _ = m.groups()
    if int(year) == 0:
        return f"{value!r}: there is no year 0"
    if month and not 1 <= int(month) <= 12:
        return f"{value!r}: there is no month {month}"
    try:
        date.fromisoformat(value if len(value) == 10 else f"{year}-{month or '01'}-01")
    except ValueError as exc:
        return f"{value!r} is not a date of the calendar ({exc})"
    return None


@dataclass
class _Table:
    path: Path
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (line number, row)


class _Checker:
    """Collects problems instead of stopping at the first, so ``validate`` can list all."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.to_review: list[Problem] = []  # not errors: the corpus loads; a person should look

    def add(self, path: Path | str, row: int | None, fld: str | None, message: str) -> None:
        self.problems.append(Problem(self.rel(path), row, fld, message))

    def rel(self, path: Path | str) -> str:
        path = Path(path)
        if path == self.root:  # the folder itself: its name, not "."
            return str(path)
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    # -- reading ----------------------------------------------------------------
    def read_table(self, name: str, columns: Iterable[str]) -> _Table | None:
        path = self.root / name
        table = _Table(path)
        if not path.is_file():
            self.add(path, None, None, "file not found")
            return None
        try:
            _, rows = read_csv_rows(path, columns, label=name)
        except CorpusError as exc:
            self.problems += exc.problems
            return None
        table.rows = rows
        return table

    def _read_verbatim(self, line: int, rel: str, sha: str, articles_path: Path, fld: str,
                       sha_field: str, what: str) -> bytes | None:
        path = (self.root / rel).resolve()
        if not rel:
            self.add(articles_path, line, fld, "empty")
            return None
        if not path.is_relative_to(self.root.resolve()):
            self.add(articles_path, line, fld, f"{rel!r} points outside the corpus folder")
            return None
        if not path.is_file():
            self.add(articles_path, line, fld, f"{rel} not found")
            return None
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.add(articles_path, line, fld, f"{rel} cannot be read: {exc.strerror or exc}")
            return None
        digest = sha256_hex(data)
        if sha.lower() != digest:
            self.add(articles_path, line, sha_field,
                     f"{rel} has sha256 {digest}, table says {sha or '(empty)'}: "
                     f"the {what} changed after annotation (or the table is wrong)")
        return data

    def check_source(self, line: int, source_file: str, sha: str, articles_path: Path) -> None:
        """The saved page an article's text was extracted from (kept verbatim)."""
        self._read_verbatim(line, source_file, sha, articles_path, "source_file", "source_sha256",
                            "saved page")

    def read_raw(self, line: int, raw_file: str, sha: str, articles_path: Path) -> str | None:
        data = self._read_verbatim(line, raw_file, sha, articles_path, "raw_file", "sha256", "raw text")
        if data is None:
            return None
        path = self.root / raw_file
        if not data:
            self.add(path, None, None, "empty file")
            return None
        if data.startswith(b"\xef\xbb\xbf"):
            self.add(path, 1, None, "starts with a UTF-8 byte-order mark; offsets count characters "
                     "without it: save the file as UTF-8 without BOM")
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.add(path, line_of(data, exc.start), None,
                     f"not valid UTF-8 at byte {exc.start} (0x{data[exc.start]:02x}); "
                     "convert it, e.g. iconv -f cp1252 -t utf-8")
            return None
        at = find_control(text, "\t\n\r\f")  # a form feed is a page break (from PDFs)
        if at >= 0:
            self.add(path, text.count("\n", 0, at) + 1, None,
                     f"control character U+{ord(text[at]):04X} at character {at}: not a plain text "
                     "(a binary file or a bad conversion?)")
        return text


def _check_id(ck: _Checker, path: Path, line: int, fld: str, value: str) -> bool:
    if not _ID.fullmatch(value):
        ck.add(path, line, fld, f"{value!r} is not a valid id (lower-case letters, digits, _ . -)")
        return False
    return True


def _unique_rows(ck: _Checker, table: _Table, fld: str):
    """``(line, row, id)`` of the rows whose id is well-formed and not seen before (others reported)."""
    seen: set[str] = set()
    for line, row in table.rows:
        key = row[fld]
        if not _check_id(ck, table.path, line, fld, key):
            continue
        if key in seen:
            ck.add(table.path, line, fld, f"duplicate id {key!r}")
            continue
        seen.add(key)
        yield line, row, key


def _one_line(ck: _Checker, path: Path, line: int, row: dict, fields: tuple[str, ...]) -> None:
    for f in fields:
        if _LINE_BREAK.search(row[f]):
            ck.add(path, line, f, f"{row[f]!r} has a line break: a name or title is one line")


def _check_articles(ck: _Checker, table: _Table) -> dict[str, dict]:
    articles: dict[str, dict] = {}
    for line, row, aid in _unique_rows(ck, table, "article_id"):
        if not row["outlet"]:
            ck.add(table.path, line, "outlet", "empty")
        _one_line(ck, table.path, line, row, ("outlet", "title"))
        if row["language"] and not _LANGUAGE.fullmatch(row["language"]):
            ck.add(table.path, line, "language", f"{row['language']!r} is not an ISO 639 language code (e.g. en, ru)")
        bad_date = date_problem(row["published"]) if row["published"] else None
        if bad_date:
            ck.add(table.path, line, "published", bad_date)
        text = ck.read_raw(line, row["raw_file"], row["sha256"], table.path)
        if row.get("source_file"):
            ck.check_source(line, row["source_file"], row.get("source_sha256", ""), table.path)
        articles[aid] = {**row, "_text": text, "_line": line}
    return articles


def _read_extra_countries(ck: _Checker) -> dict[str, str]:
    """The codes declared in the corpus's ``extra_countries.csv`` (none if there is no such file)."""
    path = ck.root / EXTRA_COUNTRIES
    if not path.exists():
        return {}
    try:
        _, rows = read_csv_rows(path, ("code", "name"), ("note",), label=EXTRA_COUNTRIES)
    except CorpusError as exc:
        ck.problems += exc.problems
        return {}
    extra: dict[str, str] = {}
    for line, row in rows:
        code, name = row["code"], row["name"]
        if not _COUNTRY.fullmatch(code):
            ck.add(path, line, "code", f"{code!r}: a country code is two capital letters A-Z (e.g. XK)")
        elif code in iso_countries():
            ck.add(path, line, "code", f"{code!r} is already the ISO 3166 code of {iso_countries()[code]}; "
                   "declare only codes ISO leaves free (e.g. XK, or AA, QM-QZ, XA-XZ, ZZ)")
        elif code in extra:
            ck.add(path, line, "code", f"{code!r} is declared twice")
        elif not name:
            ck.add(path, line, "name", "empty: say which country or territory the code stands for")
        else:
            extra[code] = name
    return extra


def _check_speakers(ck: _Checker, table: _Table, countries: Mapping[str, str]) -> dict[str, dict]:
    speakers: dict[str, dict] = {}
    for line, row, sid in _unique_rows(ck, table, "speaker_id"):
        if not row["name"]:
            ck.add(table.path, line, "name", "empty")
        elif "|" in row["name"]:  # the review file's header line is "## kind | name | country"
            ck.add(table.path, line, "name", f"{row['name']!r} contains '|', which separates the fields "
                   "of a review file's header line")
        _one_line(ck, table.path, line, row, ("name",))
        if row["country"] == UNKNOWN_COUNTRY:
            ck.to_review.append(Problem(ck.rel(table.path), line, "country",
                                        f"unknown country for {row['name'] or sid}: fill in the ISO 3166 "
                                        "alpha-2 code (e.g. KG); until then the speaker is in no country group"))
        else:
            bad = country_problem(row["country"], countries)
            if bad:
                ck.add(table.path, line, "country", bad)
        speakers[sid] = row
    return speakers


def _check_orphans(ck: _Checker, table: _Table) -> None:
    """Files in ``raw/`` that no row of ``articles.csv`` names: review items, not errors."""
    named = {os.path.normpath(row.get(f, "")) for _, row in table.rows for f in ("raw_file", "source_file")}
    raw = ck.root / "raw"
    if raw.is_symlink() or not raw.is_dir():
        return
    for folder, dirs, files in os.walk(raw):  # symbolic links are listed, never followed
        dirs.sort()
        for name in sorted(files) + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            rel = os.path.relpath(os.path.join(folder, name), ck.root)
            if rel not in named:
                ck.to_review.append(Problem(rel.replace(os.sep, "/"), None, None,
                                            "no row of articles.csv names this file (left over from an "
                                            "interrupted add?): delete it, or add it with c6lab corpus add"))


def _check_segments(ck: _Checker, table: _Table, articles: dict, speakers: dict) -> list[dict]:
    seen: set[str] = set()
    by_article: dict[str, list[tuple[int, int, int]]] = {}
    good = []
    for line, row in table.rows:
        sid, aid = row["segment_id"], row["article_id"]
        ok = _check_id(ck, table.path, line, "segment_id", sid)
        if sid in seen:
            ck.add(table.path, line, "segment_id", f"duplicate id {sid!r}")
            ok = False
        seen.add(sid)
        if aid not in articles:
            ck.add(table.path, line, "article_id", f"unknown article {aid!r}")
            continue
        kind = row["kind"]
        if kind not in KINDS:
            ck.add(table.path, line, "kind", f"{kind!r} is not one of {', '.join(KINDS)}")
            ok = False
        if row.get("reviewed", "") not in ("yes", "no", ""):
            ck.add(table.path, line, "reviewed", f"must be yes, no or empty (= yes), got {row['reviewed']!r}")
            ok = False
        spk = row["speaker_id"]
        if kind in SPEAKER_KINDS and not spk:
            ck.add(table.path, line, "speaker_id", f"a {kind} needs a speaker")
            ok = False
        elif spk and spk not in speakers:
            ck.add(table.path, line, "speaker_id", f"unknown speaker {spk!r} (not in speakers.csv)")
            ok = False
        elif spk and kind not in SPEAKER_KINDS:
            ck.add(table.path, line, "speaker_id", f"a {kind} segment has no speaker; got {spk!r}")
            ok = False
        bad = [f for f in ("char_start", "char_end") if not _INT.fullmatch(row[f])]
        for f in bad:
            ck.add(table.path, line, f, f"{row[f]!r} is not an offset (digits 0-9 only, at most 15)")
        if bad:
            continue
        start, end = int(row["char_start"]), int(row["char_end"])
        text = articles[aid]["_text"]
        if end <= start:
            ck.add(table.path, line, "char_end", f"span {start}-{end} is empty or negative")
            continue
        if text is not None and end > len(text):
            ck.add(table.path, line, "char_end",
                   f"{end} is past the end of {articles[aid]['raw_file']} ({len(text)} characters)")
            continue
        by_article.setdefault(aid, []).append((start, end, line))
        if ok:
            good.append({**row, "char_start": start, "char_end": end})
    for aid, spans in by_article.items():
        _check_coverage(ck, table.path, aid, sorted(spans), articles[aid])
    for aid, art in articles.items():
        if aid not in by_article and art["_text"] is not None:
            ck.add(table.path, None, "article_id", f"article {aid!r} has no segments")
    return good


def _check_coverage(ck: _Checker, path: Path, aid: str, spans: list, article: dict) -> None:
    text = article["_text"]
    if text is None:
        return
    pos = 0
    for start, end, line in spans:
        if start > pos:
            ck.add(path, line, "char_start",
                   f"gap: characters {pos}-{start} of {article['raw_file']} belong to no segment "
                   f"({text[pos:start][:40]!r})")
        elif start < pos:
            ck.add(path, line, "char_start", f"overlap: starts at {start}, previous segment ends at {pos}")
        pos = max(pos, end)
    if pos < len(text):
        ck.add(path, None, "char_end",
               f"characters {pos}-{len(text)} at the end of {article['raw_file']} belong to no segment")


def review_items(root: str | Path | None = None) -> list[Problem]:
    """What a person should still look at in a valid corpus: unknown countries (``??``),
    segments proposed by ``c6lab corpus add`` that nobody has reviewed yet (one line per
    article) and files in ``raw/`` that no row of ``articles.csv`` names. These are not
    errors: the corpus loads and the analyses run."""
    ck, parsed = validate_tables(root_or_bundled(root))
    items = list(ck.to_review)
    if parsed is not None:
        pending: dict[str, int] = {}
        for seg in parsed[2]:
            if seg.get("reviewed", "yes") == "no":
                pending[seg["article_id"]] = pending.get(seg["article_id"], 0) + 1
        items += [Problem("segments.csv", None, "reviewed",
                          f"article {aid!r}: {n} proposed segment(s) not reviewed yet "
                          f"(c6lab corpus review {aid})") for aid, n in pending.items()]
    return items


def validate_corpus(root: str | Path | None = None) -> list[Problem]:
    """Check a corpus folder and return every problem found (empty list = valid).

    Checks: required files and columns, each named once; every row has as many fields
    as the header, no control character (NUL ...), no cell over
    :data:`c6lab.io.MAX_CELL_CHARS` characters, no unclosed quote; unique, well-formed
    ids; countries are ISO 3166-1 alpha-2 codes, ``??`` (not known yet) or declared in
    ``extra_countries.csv``; dates are real (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``);
    each raw file exists inside the corpus folder, is non-empty UTF-8 without BOM or
    control characters and matches its sha256; segment kinds; speakers exist and are
    given exactly for quotes and paraphrases; offsets are ASCII digits inside the file;
    the segments of each article cover it with no gap and no overlap; the word lists in
    ``lexicons/`` parse (see :class:`c6lab.Lexicons`). Tables with a header and no rows
    are valid: an empty corpus has no problems.

    ``root`` defaults to the bundled study corpus. Nothing is written or modified, except
    that a change a kill interrupted after its commit point is first finished, as every
    reader of the corpus does (see :func:`c6lab.corpus.transaction.recover`).
    """
    root = root_or_bundled(root)
    recover(root)  # finish a change a kill interrupted, as every reader does
    ck, _ = validate_tables(root)
    return ck.problems


def validate_tables(root: Path):
    """The checker (with its problems) and the parsed tables and word lists of ``root``."""
    ck = _Checker(root)
    if not root.is_dir():
        ck.add(root, None, None, "is a file, not a corpus folder" if root.is_file() else
               "is not a folder (a device?): give the corpus folder" if root.exists() else "corpus folder not found")
        return ck, None
    lexicons = None
    try:
        lexicons = Lexicons.from_dir(root / "lexicons")
    except CorpusError as exc:
        ck.problems += [Problem(ck.rel(p.file), p.row, p.field, p.message) for p in exc.problems]
    art_t = ck.read_table("articles.csv", ARTICLE_COLUMNS)
    spk_t = ck.read_table("speakers.csv", SPEAKER_COLUMNS)
    seg_t = ck.read_table("segments.csv", SEGMENT_COLUMNS)
    countries = {**iso_countries(), **_read_extra_countries(ck)}
    articles = _check_articles(ck, art_t) if art_t else {}
    if art_t:
        _check_orphans(ck, art_t)
    speakers = _check_speakers(ck, spk_t, countries) if spk_t else {}
    segments = _check_segments(ck, seg_t, articles, speakers) if seg_t and art_t and spk_t else []
    return ck, (articles, speakers, segments, lexicons)
