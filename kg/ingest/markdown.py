"""Markdown without its markup, every kept character mapped back to the Markdown source.

Only deletions: heading markers, emphasis and strike-through markers, inline-code backticks,
code-fence lines (the code stays), link and image syntax (the link text or alt text stays),
reference-link definitions, block-quote markers, horizontal rules, setext underlines, HTML
comments and tags, backslash escapes, and YAML front matter (whose title/author/date are
returned as metadata). List markers stay: they keep list items on lines of their own.
"""
from __future__ import annotations

import re

from .mapped import MappedText, apply_deletions

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FENCE = re.compile(r"^[ \t]{0,3}(```+|~~~+)[^\n]*$", re.M)
_ATX_OPEN = re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t]+|$)", re.M)
_ATX_CLOSE = re.compile(r"[ \t]+#+[ \t]*$", re.M)
_SETEXT = re.compile(r"(?<=\S)[ \t]*\n([ \t]{0,3}(?:=+|-+)[ \t]*)$", re.M)
_RULE = re.compile(r"^[ \t]{0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$", re.M)
_QUOTE = re.compile(r"^(?:[ \t]{0,3}>[ \t]?)+", re.M)
_REFERENCE_DEFINITION = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S+[^\n]*$", re.M)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>")
_CODE_SPAN = re.compile(r"(`+)([^`\n]|[^`\n].*?[^`\n])\1")
_IMAGE_OR_LINK = re.compile(r"(!?\[)([^\]\n]*)(\]\([^)\n]*\)|\]\[[^\]\n]*\])")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS_STAR = re.compile(r"(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])")
_EMPHASIS_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_ESCAPE = re.compile(r"\\(?=[\\`*_{}\[\]()#+\-.!|>~])")
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", re.M)
_FRONT_MATTER_FIELD = re.compile(r"^(title|author|date|language|lang)[ \t]*:[ \t]*(.+?)[ \t]*$",
                                 re.M | re.I)


def _front_matter(text: str, deletions: list[tuple[int, int]]) -> dict[str, str]:
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}
    deletions.append(match.span())
    fields: dict[str, str] = {}
    for field in _FRONT_MATTER_FIELD.finditer(match.group(1)):
        key = field.group(1).lower()
        fields["language" if key == "lang" else key] = field.group(2).strip("\"'")
    return fields


def _protected_spans(text: str, deletions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Code blocks and code spans: their content stays verbatim, only the fences go."""
    protected: list[tuple[int, int]] = []
    fence_start: re.Match[str] | None = None
    for fence in _FENCE.finditer(text):
        if fence_start is None:
            fence_start = fence
        elif fence.group(1)[0] == fence_start.group(1)[0] and len(fence.group(1)) >= len(fence_start.group(1)):
            deletions.append(fence_start.span())
            deletions.append(fence.span())
            protected.append((fence_start.start(), fence.end()))
            fence_start = None
    for span in _CODE_SPAN.finditer(text):
        if not _inside(span.start(), protected):
            deletions.append(span.span(1))
            deletions.append((span.end(2), span.end()))
            protected.append(span.span())
    return protected


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def strip_markdown(text: str) -> tuple[MappedText, dict[str, str]]:
    """Markdown text without markup, and the fields of its front matter (title, author, ...)."""
    deletions: list[tuple[int, int]] = []
    fields = _front_matter(text, deletions)
    protected = _protected_spans(text, deletions)
    protected.extend(deletions[:1] if fields else [])

    def delete(match: re.Match[str], *groups: int) -> None:
        if _inside(match.start(), protected):
            return
        if not groups:
            deletions.append(match.span())
        for group in groups:
            if match.start(group) >= 0:
                deletions.append(match.span(group))

    for pattern in (_HTML_COMMENT, _REFERENCE_DEFINITION, _RULE, _TABLE_RULE, _ATX_OPEN, _ATX_CLOSE,
                    _QUOTE, _ESCAPE):
        for match in pattern.finditer(text):
            delete(match)
    for match in _SETEXT.finditer(text):
        delete(match, 1)
    for match in _HTML_TAG.finditer(text):
        delete(match)
    for match in _AUTOLINK.finditer(text):
        if not _inside(match.start(), protected):
            deletions.append((match.start(), match.start() + 1))
            deletions.append((match.end() - 1, match.end()))
    for match in _IMAGE_OR_LINK.finditer(text):
        delete(match, 1, 3)
    for pattern in (_STRONG, _STRIKE):
        for match in pattern.finditer(text):
            if not _inside(match.start(), protected):
                marker = len(match.group(1)) if pattern is _STRONG else 2
                deletions.append((match.start(), match.start() + marker))
                deletions.append((match.end() - marker, match.end()))
    for pattern in (_EMPHASIS_STAR, _EMPHASIS_UNDERSCORE):
        for match in pattern.finditer(text):
            if not _inside(match.start(), protected):
                deletions.append((match.start(), match.start() + 1))
                deletions.append((match.end() - 1, match.end()))
    return apply_deletions(text, deletions), fields
