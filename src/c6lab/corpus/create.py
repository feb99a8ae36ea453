"""``c6lab corpus init``: an empty, valid corpus folder to add one's own articles to."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..errors import CorpusError, Problem
from ..io import atomic_write_bytes, csv_bytes
from ..lexicons import default_dir
from .change import TABLES

GOLD_COLUMNS = ("mention_id", "power", "alias", "label", "reason")

README = """# {name}

A c6lab corpus, made with `c6lab corpus init`. What goes where:

```
raw/                 the article texts, verbatim (never edit them: their sha256 is checked);
                     for a saved web page, the page itself and the text extracted from it
articles.csv         one row per article: outlet, title, url, published date, files, digests
speakers.csv         one row per person quoted: name, country (ISO 3166 alpha-2, ?? if unknown)
extra_countries.csv  (optional) codes ISO 3166 does not assign, e.g. "XK,Kosovo" (columns code,name)
segments.csv         one row per span of a raw text: kind (title, narrative, quote, paraphrase,
                     boilerplate, unrelated), speaker, reviewed (yes/no)
lexicons/            the word lists this corpus is analysed with (copies of the c6lab
                     defaults: edit them here; delete a file to use the default again)
annotations/         hand labels, e.g. power_sentiment_gold.csv (stance toward the powers; c6lab label adopt)
```

Add articles with `c6lab corpus add FILE... --corpus {name}` (text or saved .html pages;
`--manifest files.csv` for many), check with `c6lab corpus validate --corpus {name}`, review
the proposed segments with `c6lab corpus review ARTICLE --corpus {name}`, and run the analyses
with `c6lab run --corpus {name} --out RESULTS`.
"""


def init_corpus(directory: str | Path) -> Path:
    """Create an empty, valid corpus folder at ``directory`` (which must not exist or be empty).

    It holds the three tables with their headers, ``raw/``, ``annotations/`` with an
    empty hand-label table, a README saying what goes where, and ``lexicons/`` with
    copies of every default word list, ready to edit.

    Examples
    --------
    >>> import tempfile, pathlib, c6lab
    >>> root = init_corpus(pathlib.Path(tempfile.mkdtemp()) / "my_corpus")
    >>> c6lab.validate_corpus(root), len(c6lab.open_corpus(root).segments)
    ([], 0)
    """
    root = Path(directory).expanduser()
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise CorpusError([Problem(str(root), None, None, "exists and is not an empty folder; "
                                   "choose a new folder for the corpus")])
    root.mkdir(parents=True, exist_ok=True)
    (root / "raw").mkdir()
    for name, (required, optional) in TABLES.items():
        atomic_write_bytes(root / name, csv_bytes([*required, *optional], []))
    atomic_write_bytes(root / "annotations" / "power_sentiment_gold.csv", csv_bytes(list(GOLD_COLUMNS), []))
    shutil.copytree(default_dir(), root / "lexicons")
    atomic_write_bytes(root / "README.md", README.format(name=root.name).encode("utf-8"))
    return root
