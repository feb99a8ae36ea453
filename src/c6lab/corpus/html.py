"""Saved web pages: the article text and its metadata, extracted with trafilatura.

The page is kept verbatim in the corpus (``raw/<id>.html``); the text trafilatura extracts
(navigation, footers, scripts, comments and their forms removed; one paragraph per line)
is stored beside it (``raw/<id>.txt``) and is the text the segments point into. Nothing is
downloaded: trafilatura reads the saved page only.
"""

from __future__ import annotations

from dataclasses import dataclass

HTML_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class PageArticle:
    """What a saved page holds: the article text and whatever metadata the page gives."""

    text: str
    title: str = ""
    published: str = ""  # YYYY-MM-DD, or "" when the page gives no date
    url: str = ""
    author: str = ""
    outlet: str = ""


def extract_page(html: bytes | str) -> PageArticle | None:
    """Extract the main text and metadata of a saved HTML page (``None`` if there is none).

    On a very short page trafilatura falls back to keeping most of the text, menus
    included; on a real article page it keeps the article (see the tests). The proposal
    that follows flags leftover furniture, and the reviewer sees every line.

    Examples
    --------
    >>> page = ("<html><head><title>T</title><meta property='og:site_name' content='Kabar'></head>"
    ...         "<body><nav><a href='/'>Home</a> | <a href='/news'>News</a></nav><article>"
    ...         "<h1>Ports grow</h1><p>Aktau and Baku ports expand their capacity on the Middle "
    ...         "Corridor this year.</p></article><footer>Download our app</footer></body></html>")
    >>> art = extract_page(page)
    >>> art.text.splitlines()[-1]
    'Aktau and Baku ports expand their capacity on the Middle Corridor this year.'
    >>> art.outlet
    'Kabar'
    """
    import trafilatura  # heavy (lxml, dateparser): only `corpus add` of a page needs it

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False,
                                      include_images=False, deduplicate=False)
    if doc is None or not (doc.text or "").strip():
        return None
    # one paragraph per line, no trailing blanks: the form the segment proposals expect
    lines = [line.rstrip() for line in doc.text.splitlines()]
    text = "\n".join(line for line in lines if line.strip()) + "\n"
    return PageArticle(text=text, title=(doc.title or "").strip(), published=(doc.date or "").strip(),
                       url=(doc.url or "").strip(), author=(doc.author or "").strip(),
                       outlet=(doc.sitename or "").strip())
