"""The readable text of an HTML page, through a real parser (BeautifulSoup over lxml).

Scripts, styles, navigation, forms and embedded media are dropped; when the page has a
``<main>`` element (or a single ``<article>``) only that is read, which leaves site headers,
menus and footers out. Block elements become paragraph breaks, ``<br>`` a line break, list
items lines of their own starting with a bullet, table cells are separated by tabs and rows by
line breaks. Inline whitespace is collapsed as a browser would, except inside ``<pre>``.
The returned text is the document's ``original_text``: offsets point into it, not into the
HTML source.
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import CData, Declaration, Doctype, ProcessingInstruction

DROPPED = frozenset({"script", "style", "noscript", "template", "svg", "math", "nav", "form",
                     "button", "select", "iframe", "object", "embed", "canvas", "head", "audio",
                     "video", "map"})
# site chrome around the content; only dropped outside <main>/<article>
CHROME = frozenset({"header", "footer", "aside"})
BLOCKS = frozenset({"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6",
                    "blockquote", "pre", "table", "ul", "ol", "dl", "dt", "dd", "figure",
                    "figcaption", "address", "hr", "header", "footer", "aside", "caption",
                    "details", "summary", "fieldset", "center", "body", "html"})
_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")
_SKIPPED_STRINGS = (Comment, CData, Declaration, Doctype, ProcessingInstruction)


class _TextWriter:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def text(self, value: str) -> None:
        if not value:
            return
        if value.startswith(" ") and (not self.parts or self.parts[-1].endswith((" ", "\n", "\t"))):
            value = value[1:]
        self.parts.append(value)

    def breaks(self, newlines: int) -> None:
        """End the current line or paragraph; never stack more than ``newlines`` newlines."""
        while self.parts and self.parts[-1].endswith(" "):
            self.parts[-1] = self.parts[-1].rstrip(" ")
        tail = "".join(self.parts[-3:])
        if not tail.strip():
            return  # nothing written yet
        have = len(tail) - len(tail.rstrip("\n"))
        if have < newlines:
            self.parts.append("\n" * (newlines - have))

    def result(self) -> str:
        return "".join(self.parts).strip()


def _content_root(soup: BeautifulSoup) -> Tag:
    main = soup.find("main")
    if isinstance(main, Tag):
        return main
    articles = soup.find_all("article")
    if len(articles) == 1:
        return articles[0]
    body = soup.find("body")
    return body if isinstance(body, Tag) else soup


def _walk(node: Tag, writer: _TextWriter, in_pre: bool, in_content: bool) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            if isinstance(child, _SKIPPED_STRINGS):
                continue
            value = str(child)
            writer.text(value if in_pre else _WHITESPACE.sub(" ", value))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name.lower()
        if name in DROPPED or (name in CHROME and not in_content):
            continue
        if name == "br":
            writer.breaks(1)
            continue
        if name == "li":
            writer.breaks(1)
            parent = child.parent.name.lower() if child.parent is not None else "ul"
            if parent == "ol":
                position = 1 + sum(1 for s in child.find_previous_siblings("li"))
                writer.text(f"{position}. ")
            else:
                writer.text("• ")
            _walk(child, writer, in_pre, in_content)
            writer.breaks(1)
            continue
        if name == "tr":
            writer.breaks(1)
            _walk(child, writer, in_pre, in_content)
            writer.breaks(1)
            continue
        if name in ("td", "th"):
            _walk(child, writer, in_pre, in_content)
            writer.text("\t")
            continue
        block = name in BLOCKS
        if block:
            writer.breaks(2)
        _walk(child, writer, in_pre or name == "pre",
              in_content or name in ("main", "article"))
        if block:
            writer.breaks(2)


def html_to_text(markup: str) -> tuple[str, dict[str, str]]:
    """The page's text and what it declares about itself (title, author, date, language)."""
    soup = BeautifulSoup(markup, "lxml")
    declared: dict[str, str] = {}
    if soup.title and soup.title.string and soup.title.string.strip():
        declared["title"] = _WHITESPACE.sub(" ", soup.title.string).strip()
    for meta in soup.find_all("meta"):
        key = (meta.get("name") or meta.get("property") or "").lower()
        content = (meta.get("content") or "").strip()
        if not content:
            continue
        if key in ("og:title", "dc.title") and "title" not in declared:
            declared["title"] = content
        elif key in ("author", "dc.creator", "article:author"):
            declared.setdefault("author", content)
        elif key in ("date", "dc.date", "article:published_time", "citation_publication_date"):
            declared.setdefault("date", content)
    html = soup.find("html")
    if isinstance(html, Tag) and html.get("lang"):
        declared["language"] = str(html.get("lang")).split("-")[0].lower()
    writer = _TextWriter()
    root = _content_root(soup)
    _walk(root, writer, in_pre=False, in_content=root.name in ("main", "article"))
    return writer.result(), declared
