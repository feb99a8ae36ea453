"""Add an article to a corpus: copy it verbatim and store the proposed segments.

What ``c6lab corpus add`` does; the proposal itself comes from
:mod:`c6lab.corpus.attribution`.

Nothing is written unless the whole result validates, and then in one atomic commit under
the corpus's lock (see :mod:`c6lab.corpus.transaction`). Each file of a batch
(:func:`add_articles`) is added all-or-nothing on its own.

Bounded input: a file to add must be a regular file of at most :data:`MAX_BYTES` bytes
(20 MB; ``--max-bytes``), so ``/dev/zero``, a FIFO or a link to a device is refused
before anything is read. A ``.txt`` that holds an HTML page is imported as a page (with a
notice), and a lone carriage return counts as a line break for the proposal.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CorpusError, Problem
from ..io import read_csv_rows, sha256_hex
from ..lexicons import Lexicons
from .attribution import Speakers, propose_segments, slug
from .change import TABLES, problems_of, read_table
from .html import HTML_SUFFIXES, extract_page
from .transaction import DEFAULT_LOCK_TIMEOUT, LOCK_NAME, corpus_transaction, file_kind
from .validate import _ID, country_problem, date_problem, known_countries


class IngestError(CorpusError):
    """The article cannot be added; nothing was written."""


@dataclass
class AddResult:
    """What :func:`add_article` wrote."""

    article_id: str
    raw_file: str
    segments: list[dict]
    new_speakers: list[dict] = field(default_factory=list)
    matched_speakers: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # e.g. HTML given as text, an orphan raw file reused

    def summary(self) -> str:
        kinds: dict[str, int] = {}
        for s in self.segments:
            kinds[s["kind"]] = kinds.get(s["kind"], 0) + 1
        lines = [f"note: {n}" for n in self.notices]
        lines.append(f"added {self.article_id} ({self.raw_file}): {len(self.segments)} segments "
                     + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
        for sp in self.matched_speakers:
            lines.append(f"  known speaker: {sp}")
        for sp in self.new_speakers:
            flag = "  <- country unknown: give it in the review file" if sp["country"] == "??" else ""
            lines.append(f"  new speaker: {sp['speaker_id']} = {sp['name']} ({sp['country']}){flag}")
        lines.append(f"The segments are a proposal, marked unreviewed: see them with `c6lab corpus show "
                     f"{self.article_id}`, correct them with `c6lab corpus review {self.article_id}`.")
        return "\n".join(lines)


# ------------------------------------------------------------------ input checks


def _refuse(message: str, path: str | Path | None = None, fld: str | None = None) -> IngestError:
    return IngestError([Problem(str(path) if path else "c6lab corpus add", None, fld, message)])


MAX_BYTES = 20_000_000  # default size limit of a file to add (``--max-bytes``); read at most this + 1 bytes


def read_bounded(path: str | Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; refuse anything else without reading it.

    A device (``/dev/zero``), a FIFO, a socket, or a symbolic link to one is refused from its
    ``stat``; a larger file from its size, and a file that grows while it is read after
    ``max_bytes + 1`` bytes.

    Examples
    --------
    >>> read_bounded("/dev/zero")
    Traceback (most recent call last):
    ...
    c6lab.corpus.ingest.IngestError: /dev/zero: is a character device, not a regular file; give a text file
    """
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise _refuse("file not found", path) from None
    if stat.S_ISDIR(st.st_mode):
        raise _refuse("is a directory; give one text file", path)
    if not stat.S_ISREG(st.st_mode):
        raise _refuse(f"is {file_kind(st.st_mode)}, not a regular file; give a text file", path)
    if st.st_size > max_bytes:
        raise _refuse(f"is {st.st_size} bytes, over the limit of {max_bytes} bytes "
                      "(give a larger --max-bytes if this really is one article)", path)
    # O_NONBLOCK: were it swapped for a FIFO since the stat, opening must not hang
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _refuse("is not a regular file; give a text file", path)
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _refuse(f"is over the limit of {max_bytes} bytes (it grew while being read)", path)
    return data


def read_article_file(path: str | Path, html: bool = False, max_bytes: int = MAX_BYTES) -> tuple[bytes, str]:
    """Read a file to add and check it is non-empty UTF-8 text; return bytes and text.

    ``html=True`` checks only that the file exists, is not empty and is not binary: a
    saved page may declare another encoding, which the HTML reader honours. Devices,
    FIFOs and files over ``max_bytes`` are refused without reading them (see
    :func:`read_bounded`).
    """
    path = Path(path)
    return _checked(path, read_bounded(path, max_bytes), html)


def _checked(path: Path, data: bytes, html: bool = False) -> tuple[bytes, str]:
    if not data.strip():
        raise _refuse("empty file (no text to add)", path)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise _refuse(f"looks like a binary file (NUL byte at byte {nul}); "
                      "give a plain-text (.txt) file", path)
    if html:
        return data, ""
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


# a page starts with a doctype or <html> (after white space, an XML declaration or comments)
_HTML_START = re.compile(rb"\s*(<\?xml[^>]{0,200}>\s*)?(<!--.{0,2000}?-->\s*)*<(!doctype\s+html|html[\s>])",
                         re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(rb"</?(p|div|span|a|br|body|head|script|style|li|ul|ol|h[1-6]|article|section|table|"
                       rb"tr|td|img|meta|link|strong|em|b|i|nav|header|footer|title|blockquote)[\s/>]",
                       re.IGNORECASE)


def looks_like_html(data: bytes) -> bool:
    """Whether a file given as text is an HTML page or fragment.

    True if it starts with ``<!doctype html`` or ``<html`` (after white space, an XML
    declaration or comments), or holds at least 10 tags of at least 3 common HTML
    elements (``<p>``, ``<div>``, ``<a>``, ...). A text that mentions a tag or two stays text.

    Examples
    --------
    >>> looks_like_html(b"  <!DOCTYPE html><html><body><p>Hi</p></body></html>")
    True
    >>> looks_like_html(b"The <b> tag makes text bold, said the trainer.")
    False
    """
    if _HTML_START.match(data[:4096]):
        return True
    names: dict[bytes, int] = {}
    for m in _HTML_TAG.finditer(data):
        name = m.group(1).lower()
        names[name] = names.get(name, 0) + 1
    return sum(names.values()) >= 10 and len(names) >= 3


def line_based(text: str) -> str:
    """``text`` with every lone carriage return (old Mac line end) read as a line feed.

    The length is the same, so offsets into the result are offsets into ``text``: the
    proposal of segments sees the paragraphs of a CR-only file, and the raw file stays
    verbatim. ``\\r\\n`` is left as it is.

    Examples
    --------
    >>> line_based("Title\\rFirst paragraph.\\r\\rSecond.\\r\\n")
    'Title\\nFirst paragraph.\\n\\nSecond.\\r\\n'
    """
    return _LONE_CR.sub("\n", text) if "\r" in text else text


_LONE_CR = re.compile(r"\r(?!\n)")


def _check_name(value: str, option: str) -> None:
    if any(s in value for s in ("/", "\\", "..", "\x00")) or value.startswith("~"):
        raise _refuse(f"{option} {value!r} looks like a path; it must be a name "
                      "(it may not contain '/', '\\' or '..')", fld=option)
    _check_line(value, option)


def _check_line(value: str, option: str) -> None:
    if any(ch in value for ch in "\n\r\x00"):
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


# ------------------------------------------------------------------ adding


def add_article(
    file: str | Path,
    *,
    corpus: str | Path,
    outlet: str | None = None,
    title: str | None = None,
    url: str = "",
    published: str = "",
    speakers: dict[str, str] | None = None,
    article_id: str | None = None,
    language: str = "en",
    max_bytes: int = MAX_BYTES,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> AddResult:
    """Add a text file or a saved web page to the corpus as a new article with proposed segments.

    Parameters
    ----------
    file : path
        Plain UTF-8 text (no BOM), copied byte for byte into ``raw/``; or a saved web
        page (``.html``/``.htm``, or a text file whose content is HTML: see
        :func:`looks_like_html`), kept verbatim in ``raw/`` beside the article text
        trafilatura extracts from it (the text the segments point into). Line ends may
        be ``\\n``, ``\\r\\n`` or a lone ``\\r`` (read as line breaks for the proposal).
    corpus : path
        The corpus folder; its word lists (speech verbs, boilerplate patterns ...) are
        used for the proposal.
    outlet, title, url, published : str, optional
        Provenance; ``published`` as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` or empty.
        For a web page, what is not given comes from the page (site name, title, url,
        date). The title of a text file defaults to its first non-empty line. Any
        characters but line breaks, "/" included.
    speakers : dict of name -> ISO 3166 alpha-2 country, optional
        Countries of new speakers ("Edil Osmonbetov": "KG"); a new speaker whose country
        is neither given nor found in the text gets ``??`` (a review item, not an error).
    article_id : str, optional
        Default: built from the outlet and the title.
    max_bytes : int, default 20_000_000
        Largest file accepted (devices and FIFOs are always refused).
    lock_timeout : float, default 60
        Seconds to wait while another change to the corpus finishes.

    Returns
    -------
    AddResult

    Raises
    ------
    IngestError
        With nothing written, for: missing file, directory, device, FIFO, too large,
        empty, binary, non-UTF-8 or BOM file; a page with no article text; a file
        already in the corpus (same sha256); no outlet; a bad id, date or --speaker
        value; an existing id or raw file; a corpus that does not validate before the
        addition. :class:`~c6lab.corpus.transaction.CorpusBusy` if another change holds
        the corpus longer than ``lock_timeout``.

    Notes
    -----
    The whole read-modify-write runs under the corpus's lock and commits in one atomic
    step (:func:`~c6lab.corpus.transaction.corpus_transaction`): two adds at the same
    moment both go in, and a kill leaves the corpus without the article or with all of it.
    """
    root = Path(corpus)
    if not root.is_dir():
        raise _refuse("corpus folder not found", root)
    if article_id is not None:
        _check_name(article_id, "--id")
    source = _read_source(Path(file), max_bytes)  # before the lock: it does not depend on the corpus
    outlet = (outlet if outlet is not None else source.outlet).strip()
    title = (title if title is not None else source.title).strip()
    url = url or source.url
    published = published or source.published
    for value, option in ((outlet, "--outlet"), (title, "--title")):
        _check_line(value, option)
    if not outlet:
        raise _refuse("no outlet: give --outlet (or an outlet column in the manifest)", Path(file), "--outlet")
    if published and (why := date_problem(published)):
        raise _refuse(f"--published {why}", fld="--published")
    # the corpus's own list (ISO 3166-1 plus extra_countries.csv), so the user hears it now,
    # not as a failed validation of the would-be corpus
    known = known_countries(root)
    for name, country in (speakers or {}).items():
        if why := country_problem(country, known):
            raise _refuse(f"--speaker {name!r}: {why}", fld="--speaker")

    with corpus_transaction(root, "add", lock_timeout=lock_timeout) as tx:
        existing = problems_of(root)
        if existing:
            raise IngestError(existing + [Problem("c6lab corpus add", None, None,
                                                  "the corpus has problems (above); fix them before adding")])
        articles, speaker_table, segments = (read_table(root, n) for n in TABLES)
        for a in articles.rows:
            same_page = source.page and a.get("source_sha256", "") == source.page_digest
            if a["sha256"].lower() == source.digest or same_page:
                raise _refuse(f"this text is already in the corpus as article {a['article_id']!r} "
                              f"({a['raw_file']}, same sha256)", file)

        aid = article_id or "_".join(x for x in (slug(outlet, 20), slug(title, 40)) if x) or source.digest[:12]
        if not _ID.fullmatch(aid):
            raise _refuse(f"article id {aid!r} is not valid (lower-case letters, digits, _ . -)", fld="--id")
        if any(a["article_id"] == aid for a in articles.rows):
            raise _refuse(f"an article with id {aid!r} already exists; choose another with --id", fld="--id")
        raw_rel = f"raw/{aid}.txt"
        page_rel = f"raw/{aid}{source.page_suffix}" if source.page else ""
        try:  # a raw file in use is never overwritten; an identical orphan is reused
            for rel, data in ((raw_rel, source.data), (page_rel, source.page)):
                if rel:
                    tx.add_raw(rel, data)
        except CorpusError as exc:
            raise IngestError(exc.problems) from None

        # lone CRs read as line breaks (same length: the offsets are offsets into the raw text)
        others = {a["article_id"]: line_based(tx.read(a["raw_file"]).decode("utf-8")) for a in articles.rows}
        lex = Lexicons.from_dir(root / "lexicons")
        spk = Speakers(speaker_table.rows, speakers or {}, lex.not_person_words)
        segs = propose_segments(line_based(source.text), title, others, spk, lexicons=lex)

        new_segments = [
            {"article_id": aid, "segment_id": f"{aid}-{i:03d}", "char_start": s.start, "char_end": s.end,
             "kind": s.kind, "speaker_id": s.speaker, "reviewed": "no", "note": s.note}
            for i, s in enumerate(segs, 1)
        ]
        article_row = {"article_id": aid, "outlet": outlet, "title": title, "url": url.strip(),
                       "published": published, "language": language, "raw_file": raw_rel, "sha256": source.digest,
                       "author": source.author, "source_file": page_rel,
                       "source_sha256": source.page_digest if source.page else ""}
        articles.rows.append(article_row)
        speaker_table.rows.extend(spk.new)
        segments.rows.extend(new_segments)
        for table in (articles, speaker_table, segments):
            tx.write(table.name, table.to_bytes())
    return AddResult(aid, raw_rel, new_segments, spk.new, spk.matched, notices=source.notices + tx.notices)


@dataclass
class _Source:
    data: bytes  # the article text as stored (UTF-8)
    text: str
    digest: str
    page: bytes = b""  # the saved page, for HTML
    page_digest: str = ""
    title: str = ""
    outlet: str = ""
    url: str = ""
    published: str = ""
    author: str = ""
    page_suffix: str = ".html"
    notices: list[str] = field(default_factory=list)


def _first_line(text: str) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= 300 else ""


def _read_source(path: Path, max_bytes: int = MAX_BYTES) -> _Source:
    notices = []
    if path.suffix.lower() not in HTML_SUFFIXES:
        data = read_bounded(path, max_bytes)
        if not looks_like_html(data):
            data, text = _checked(path, data)
            return _Source(data, text, sha256_hex(data), title=_first_line(text))
        notices.append(f"{path.name} holds HTML, not plain text: imported as a web page (the page kept "
                       "verbatim, the article text extracted from it)")
        page, _ = _checked(path, data, html=True)
    else:
        page, _ = read_article_file(path, html=True, max_bytes=max_bytes)
    art = extract_page(page)
    if art is None and notices:
        raise _refuse("holds HTML, not plain text, and no article text was found in it (trafilatura "
                      "extracted nothing); give the article's text as plain text", path)
    if art is None:
        raise _refuse("no article text found in this page (trafilatura extracted nothing); "
                      "save the article's own page, or paste its text into a .txt file", path)
    data = art.text.encode("utf-8")
    published = art.published if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", art.published) else ""
    suffix = path.suffix.lower() if path.suffix.lower() in HTML_SUFFIXES else ".html"
    return _Source(data, art.text, sha256_hex(data), page, sha256_hex(page), art.title, art.outlet, art.url,
                   published, art.author, suffix, notices)


# ------------------------------------------------------------------ many files

MANIFEST_COLUMNS = ("file",)
MANIFEST_OPTIONAL = ("outlet", "title", "date", "url", "speakers", "id")


def read_manifest(path: str | Path) -> list[dict]:
    """Read a manifest for a bulk import: one row per file to add.

    Columns: ``file`` (relative to the manifest's folder, or absolute) and, optionally,
    ``outlet, title, date`` (``YYYY[-MM[-DD]]``), ``url``, ``speakers`` (hints
    ``"Name=CC; Other Name=CC"``) and ``id``. An empty cell means "not given" (for a web
    page: taken from the page). Problems name the manifest, the row and the field.

    Returns
    -------
    list of dict
        Keyword arguments for :func:`add_article` (plus ``file`` and ``row``).
    """
    path = Path(path)
    _, rows = read_csv_rows(path, MANIFEST_COLUMNS, MANIFEST_OPTIONAL, label=str(path))
    out, problems = [], []
    for line, row in rows:
        if not row["file"]:
            problems.append(Problem(str(path), line, "file", "empty"))
            continue
        try:
            hints = parse_speaker_options([h for h in row.get("speakers", "").split(";") if h.strip()])
        except IngestError as exc:
            problems.append(Problem(str(path), line, "speakers", exc.problems[0].message))
            continue
        file = Path(row["file"])
        out.append({"row": line, "file": file if file.is_absolute() else path.parent / file,
                    "outlet": row.get("outlet") or None, "title": row.get("title") or None,
                    "published": row.get("date", ""), "url": row.get("url", ""), "speakers": hints,
                    "article_id": row.get("id") or None})
    if problems:
        raise CorpusError(problems)
    return out


def add_articles(entries: list[dict], *, corpus: str | Path, progress: bool = False, max_bytes: int = MAX_BYTES,
                 lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> list[tuple[Path, AddResult | CorpusError]]:
    """Add many files, each all-or-nothing: a file that cannot be added is reported, the rest go in.

    Parameters
    ----------
    entries : list of dict
        Keyword arguments of :func:`add_article`, each with its ``file`` (e.g. from
        :func:`read_manifest`; a ``row`` key is ignored).
    corpus : path
    progress : bool
        Show a progress bar (on standard error).
    max_bytes, lock_timeout
        As in :func:`add_article`.

    Returns
    -------
    list of (file, AddResult or CorpusError), in the order given.
    """
    from tqdm import tqdm

    out = []
    for entry in tqdm(entries, desc="adding", unit="file", disable=not progress, leave=False):
        options = {k: v for k, v in entry.items() if k not in ("file", "row")}
        try:
            out.append((Path(entry["file"]), add_article(entry["file"], corpus=corpus, max_bytes=max_bytes,
                                                                  lock_timeout=lock_timeout, **options)))
        except CorpusError as exc:
            out.append((Path(entry["file"]), exc))
    return out


def corpus_tree_digest(root: str | Path) -> dict[str, str]:
    """sha256 of every file under ``root`` (used to show that a refusal changed nothing).

    The empty lock file ``.c6lab.lock`` is left out: taking the lock is not a change.
    Leftover staging or a journal would show (neither may remain after a refusal).
    """
    root = Path(root)
    return {str(p.relative_to(root)): sha256_hex(p.read_bytes())
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != LOCK_NAME}


__all__ = ["MAX_BYTES", "AddResult", "IngestError", "add_article", "add_articles", "corpus_tree_digest", "line_based",
           "looks_like_html", "parse_speaker_options", "propose_segments", "read_article_file", "read_bounded",
           "read_manifest"]
