"""Add an article to a corpus: copy it verbatim and store the proposed segments.

What ``c6lab corpus add`` does; the proposal itself comes from
:mod:`c6lab.corpus.attribution`.

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
from ..lexicons import Lexicons
from .attribution import Speakers, propose_segments, slug
from .validate import _ID, ARTICLE_COLUMNS, SEGMENT_COLUMNS, SPEAKER_COLUMNS, validate_corpus


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

    aid = article_id or "_".join(x for x in (slug(outlet, 20), slug(title, 40)) if x) or digest[:12]
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
    spk = Speakers(speaker_rows, speakers or {}, lex.not_person_words)
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
