"""Layout repair: page furniture, words broken at line ends, paragraphs broken by hard returns.

Works on lines of text whose intra-line whitespace is already plain spaces (see
``cleaning.normalise_characters``); form feeds mark page boundaries. The output keeps, deletes
or replaces characters only, so its map leads back to the input:

* running headers and footers, and bare page numbers, are deleted with their line;
* a line break inside a paragraph becomes a space (or disappears with the hyphen of a word the
  typesetter split); a break that ends a paragraph, a heading, a list item or a table row stays
  a newline; a blank line between paragraphs stays one blank line;
* leading, trailing and repeated spaces are deleted.

Whether single line breaks are hard wraps is decided per document: a document is *wrapped* when
at least a few lines continue on a line that starts in lowercase. Only then do line lengths
(short line = paragraph end or heading) take part. Cleaned text never looks wrapped, because
every such continuation has been joined; that is what makes cleaning idempotent.
"""
from __future__ import annotations

import math
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from enum import Enum

from .mapped import MappedText, TextBuilder
from .rules import CleaningRules, load_rules

_SEPARATOR = re.compile(r"[\n\f]")
_SPACE_RUN = re.compile(r" {2,}")
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+")
_HYPHENATED_WORD = re.compile(r"[^\W\d_]+-[^\W\d_]+")
_CLOSERS = "\"”’)]"
_OPENERS = "\"“‘(["
_ENDS_SENTENCE = re.compile(r"[.!?…][\"”’)\]]*$")
_ENDS_CLAUSE = re.compile(r"[.!?…:;][\"”’)\]]*$")
_ENDS_WITH_PUNCTUATION = re.compile(r"[.,;:][\"”’)\]]*$")
_TRAILING_MARKER = re.compile(r"([.!?][\"”’)\]]*) \d{1,3}$")
_LAST_WORD = re.compile(r"([^\W\d_]+)-$")
_FIRST_WORD = re.compile(r"^([^\W\d_]+)")


class Break(Enum):
    PARAGRAPH = "paragraph"  # a blank line
    LINE = "line"  # a newline
    SPACE = "space"  # the break becomes a space
    HYPHEN_KEPT = "hyphen kept"  # "Sino-\nSoviet" -> "Sino-Soviet"
    HYPHEN_DROPPED = "hyphen dropped"  # "diplo-\nmatic" -> "diplomatic"


@dataclass(frozen=True)
class Line:
    start: int  # offsets of the line's content without surrounding spaces
    end: int
    separator: int  # offset of the "\n" or "\f" after the line; -1 for the last line
    page: int
    text: str

    @property
    def blank(self) -> bool:
        return self.start == self.end


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    page = 0
    position = 0
    while True:
        match = _SEPARATOR.search(text, position)
        end = match.start() if match else len(text)
        raw = text[position:end]
        content = raw.strip(" ")
        start = position + (len(raw) - len(raw.lstrip(" ")))
        lines.append(Line(start, start + len(content), match.start() if match else -1, page, content))
        if match is None:
            return lines
        if text[match.start()] == "\f":
            page += 1
        position = match.end()


# --- page furniture -----------------------------------------------------------------------

def _header_key(text: str) -> str:
    return _DIGITS.sub("#", text)


def _header_candidate(line: Line, rules: CleaningRules) -> bool:
    """Running headers are short title-like lines: not a sentence or clause, a label ending in a
    colon (a speaker in a transcript), or the continuation of a sentence."""
    text = line.text
    return (0 < len(text) <= rules.running_header.max_length
            and not _ENDS_WITH_PUNCTUATION.search(text) and not _ENDS_SENTENCE.search(text)
            and not (_starts_lower(text) and " " in text) and any(c.isalpha() for c in text))


def find_page_furniture(lines: list[Line], rules: CleaningRules | None = None) -> set[int]:
    """Indices of lines that are page numbers, running headers or running footers."""
    rules = rules or load_rules()
    _, wrap_width = wrap_statistics(lines, [i for i, line in enumerate(lines) if not line.blank], rules)
    header = rules.running_header
    removed = {i for i, line in enumerate(lines) if line.text and rules.page_number.match(line.text)}
    nonblank = [i for i, line in enumerate(lines) if not line.blank and i not in removed]
    occurrences: dict[str, list[int]] = defaultdict(list)
    exact_occurrences: dict[str, list[int]] = defaultdict(list)
    for i in nonblank:
        if _header_candidate(lines[i], rules):
            occurrences[_header_key(lines[i].text)].append(i)
            exact_occurrences[lines[i].text].append(i)

    # a short line recurring far apart, as page headers do when pages are not marked
    for indices in occurrences.values():
        if wrap_width and len(lines[indices[0]].text) >= rules.short_line_ratio * wrap_width:
            continue  # a full-width line of body text that happens to recur
        if len(indices) >= header.min_repeats_unpaged:
            gaps = [b - a for a, b in zip(indices, indices[1:])]
            if statistics.median(gaps) < header.min_median_gap_lines:
                continue
            numbered = len({lines[i].text for i in indices}) > 1
            if numbered and max(gaps) > header.max_gap_spread_when_numbered * min(gaps):
                continue  # numbered headings of a document's own sections, not page furniture
            removed.update(indices)

    # with form feeds: a line at the top or bottom of many pages
    pages: dict[int, list[int]] = defaultdict(list)
    for i in nonblank:
        pages[lines[i].page].append(i)
    page_edges: set[int] = set()
    if len(pages) >= 2:
        k = header.paged_edge_lines
        for indices in pages.values():
            page_edges.update(indices[:k] + indices[-k:])
        edge_pages: dict[str, set[int]] = defaultdict(set)
        for i in page_edges:
            if _header_candidate(lines[i], rules):
                edge_pages[_header_key(lines[i].text)].add(lines[i].page)
        needed = max(2, math.ceil(header.min_page_share * len(pages)))
        for key, on_pages in edge_pages.items():
            if len(on_pages) >= needed:
                removed.update(i for i in occurrences[key] if i in page_edges)

    # lines printed next to known furniture (a title under the page number) that recur there
    anchors = removed | {min(ix) for ix in pages.values()} | {max(ix) for ix in pages.values()} \
        if len(pages) >= 2 else set(removed)
    if anchors:
        all_nonblank = [i for i, line in enumerate(lines) if not line.blank]
        rank = {i: r for r, i in enumerate(all_nonblank)}
        anchor_ranks = sorted(rank[i] for i in anchors if i in rank)
        radius = header.zone_radius_lines
        in_zone = set()
        for r in anchor_ranks:
            for q in range(max(0, r - radius), min(len(all_nonblank), r + radius + 1)):
                in_zone.add(all_nonblank[q])
        for text, indices in exact_occurrences.items():
            if wrap_width and len(text) >= rules.short_line_ratio * wrap_width:
                continue  # as long as the body's lines: text, not a title printed by a page number
            zoned = [i for i in indices if i in in_zone and i not in removed]
            if len(zoned) >= header.min_repeats_in_zone and 3 * len(zoned) >= 2 * len(indices):
                removed.update(zoned)
    return removed


# --- line breaks -------------------------------------------------------------------------

def _without_marker(text: str, rules: CleaningRules) -> str:
    """The line without a footnote number glued after its last sentence ("... DPRK. 1")."""
    match = _TRAILING_MARKER.search(text)
    if match is None:
        return text
    before = text[: match.start(1)]
    word = before.rsplit(" ", 1)[-1].lower()
    if len(word) <= 1 or word in rules.abbreviations_before_numbers:
        return text
    return text[: match.end(1)]


def _first_significant(text: str) -> str:
    stripped = text.lstrip(_OPENERS)
    return stripped[:1]


def _starts_lower(text: str) -> bool:
    first = _first_significant(text)
    return first.isalpha() and first.islower()


def _starts_upper(text: str) -> bool:
    first = _first_significant(text)
    return first.isdigit() or (first.isalpha() and first.isupper())


@dataclass
class _Vocabulary:
    """Word counts of the document, to decide whether a line-end hyphen belongs to the word."""

    words: Counter
    hyphenated: Counter

    @classmethod
    def of(cls, text: str) -> _Vocabulary:
        return cls(Counter(w.lower() for w in _WORD.findall(text)),
                   Counter(w.lower() for w in _HYPHENATED_WORD.findall(text)))


class _BreakDecider:
    def __init__(self, text: str, lines: list[Line], kept: list[int], rules: CleaningRules):
        self._text = text
        self._rules = rules
        self._vocabulary: _Vocabulary | None = None
        self.wrapped, self.wrap_width = wrap_statistics(lines, kept, rules)

    def _short(self, text: str) -> bool:
        return len(text) < self._rules.short_line_ratio * self.wrap_width

    def _heading_like(self, text: str) -> bool:
        return (self._short(text) and _starts_upper(text) and not text.endswith("-")
                and not _ENDS_WITH_PUNCTUATION.search(text))

    def hyphen(self, before: str, after: str) -> Break:
        first = _LAST_WORD.search(before)
        second = _FIRST_WORD.match(after)
        if first is None or second is None:
            return Break.HYPHEN_KEPT
        head, tail = first.group(1), second.group(1)
        if tail[0].isupper():
            return Break.HYPHEN_KEPT
        if self._vocabulary is None:
            self._vocabulary = _Vocabulary.of(self._text)
        joined = self._vocabulary.words[(head + tail).lower()]
        hyphenated = self._vocabulary.hyphenated[f"{head}-{tail}".lower()]
        if joined and joined >= hyphenated:
            return Break.HYPHEN_DROPPED
        if hyphenated:
            return Break.HYPHEN_KEPT
        if head.lower() in self._rules.hyphen_keep_prefixes and self._vocabulary.words[tail.lower()]:
            return Break.HYPHEN_KEPT
        return Break.HYPHEN_DROPPED

    def _would_read_as_page_furniture(self, before: str, after: str) -> bool:
        """Joining must not make a line that a second cleaning would remove as a page number
        ("0•" + "a" reads as the footer "0 • a"): cleaning twice must equal cleaning once."""
        return bool(self._rules.page_number.match(f"{before.strip()} {after.strip()}"))

    def across_blank(self, before: str, after: str) -> Break:
        """A blank line ends a paragraph unless the sentence visibly runs on past it."""
        effective = _without_marker(before, self._rules)
        if self._would_read_as_page_furniture(before, after):
            return Break.PARAGRAPH
        if _starts_lower(after) and not self._rules.lettered_item.match(after):
            if before.endswith("-") and before[-2:-1].isalpha() and after[:1].isalpha():
                return self.hyphen(before, after)
            if not _ENDS_CLAUSE.search(effective):
                return Break.SPACE
        return Break.PARAGRAPH

    def across_newline(self, before: str, after: str, following: str | None,
                       before_starts_unit: bool, unit_is_item: bool) -> Break:
        """The break between two lines; ``following`` is the line after ``after``, if any."""
        rules = self._rules
        if after[:1] and after[0] in rules.bullet_glyphs:
            return Break.LINE
        if self._would_read_as_page_furniture(before, after):
            return Break.LINE
        if before.endswith(("-", "–")) and len(before) >= 2 and not before[-2].isspace():
            if before[-2].isalpha() and after[:1].isalpha():
                return self.hyphen(before, after)
            if before[-2].isdigit() and after[:1].isdigit():
                return Break.HYPHEN_KEPT  # a range split after its dash: "1970-\n1975"
        lettered = bool(rules.lettered_item.match(after))
        if not lettered and (before.endswith(",") or _starts_lower(after)):
            return Break.SPACE
        if not self.wrapped:
            return Break.LINE
        effective = _without_marker(before, rules)
        if not any(c.isalnum() for c in before) or not any(c.isalnum() for c in after):
            return Break.LINE  # a separator such as "***" stands on its own line
        short = self._short(effective)
        if lettered or rules.block_start.match(after):
            ends_row = bool(_ENDS_CLAUSE.search(effective)) or short or unit_is_item
            return Break.LINE if ends_row else Break.SPACE
        if _ENDS_SENTENCE.search(effective) and following is not None \
                and self._heading_like(after) and _starts_upper(following):
            return Break.LINE  # the break before a heading
        if _starts_upper(after) and short:
            if before_starts_unit and not _ENDS_WITH_PUNCTUATION.search(effective) \
                    and not effective.endswith("-"):
                return Break.LINE  # a heading
            if _ENDS_SENTENCE.search(effective) or effective.endswith(":"):
                return Break.LINE  # the short last line of a paragraph
            if len(effective) < rules.very_short_line_ratio * self.wrap_width \
                    and not _ENDS_WITH_PUNCTUATION.search(effective):
                return Break.LINE  # letterhead, address or date lines: no wrap leaves these
        return Break.SPACE


def wrap_statistics(lines: list[Line], kept: list[int], rules: CleaningRules) -> tuple[bool, float]:
    """Whether the text is hard-wrapped, and its typical wrapped line length (0 if not).

    Evidence is lines that visibly continue on the next one (it starts in lowercase, or a word
    is hyphenated across them); cleaned text has none left.
    """
    continuation_lengths = [
        len(lines[a].text) for a, b in zip(kept, kept[1:])
        if not _blank_between(lines, a, b) and _starts_lower(lines[b].text)
        and not rules.lettered_item.match(lines[b].text)
    ]
    if len(continuation_lengths) < rules.min_continuation_lines:
        return False, 0.0
    return True, float(statistics.median(continuation_lengths))


def _blank_between(lines: list[Line], a: int, b: int) -> bool:
    return any(lines[i].blank for i in range(a + 1, b))


def _copy_collapsing_spaces(builder: TextBuilder, text: str, start: int, end: int) -> None:
    position = start
    for run in _SPACE_RUN.finditer(text, start, end):
        builder.copy(position, run.start() + 1)
        position = run.end()
    builder.copy(position, end)


def repair_layout(text: str, rules: CleaningRules | None = None) -> MappedText:
    """Remove page furniture and rejoin lines and paragraphs; see the module docstring."""
    rules = rules or load_rules()
    lines = split_lines(text)
    furniture = find_page_furniture(lines, rules)
    kept = [i for i, line in enumerate(lines) if not line.blank and i not in furniture]
    builder = TextBuilder(text)
    if not kept:
        return builder.build()
    decider = _BreakDecider(text, lines, kept, rules)
    breaks: list[Break] = []
    before_starts_unit = True
    unit_is_item = bool(rules.block_start.match(lines[kept[0]].text))
    for n, (a, b) in enumerate(zip(kept, kept[1:])):
        before, after = lines[a].text, lines[b].text
        following = lines[kept[n + 2]].text if n + 2 < len(kept) else None
        furniture_between = any(i in furniture for i in range(a + 1, b))
        if _blank_between(lines, a, b) and not furniture_between:
            decision = decider.across_blank(before, after)
        else:
            decision = decider.across_newline(before, after, following, before_starts_unit,
                                              unit_is_item)
        breaks.append(decision)
        before_starts_unit = decision in (Break.PARAGRAPH, Break.LINE)
        if before_starts_unit:
            unit_is_item = bool(rules.block_start.match(after) or rules.lettered_item.match(after)
                                or after[:1] in rules.bullet_glyphs)

    for n, i in enumerate(kept):
        line = lines[i]
        decision = breaks[n] if n < len(breaks) else None
        end = line.end - 1 if decision is Break.HYPHEN_DROPPED else line.end
        _copy_collapsing_spaces(builder, text, line.start, end)
        if decision is None:
            break
        separator = line.separator
        if decision is Break.SPACE:
            builder.replace(" ", separator)
        elif decision is Break.LINE:
            builder.replace("\n", separator)
        elif decision is Break.PARAGRAPH:
            builder.replace("\n", separator)
            builder.replace("\n", lines[kept[n + 1] - 1].separator)
    return builder.build()
