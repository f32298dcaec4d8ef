"""Time expressions: years, dates, ranges and decades, and which one a fact's trigger takes.

Public API (pure functions over spaCy spans):
    find_times(sent) -> list[TimeExpression]
    time_for(trigger, sent, context=None) -> TimeExpression | None
    TimeContext.for_document(document_year, genre) ; context.advance(sent) -> TimeContext

Conventions (``year`` = single year or start of a period, ``end_year`` = end of a period):
    "1972", "June 1961", "15 April 1975"     -> 1972 / None ...
    "between 1966 and 1983", "1966–83"      -> 1966 / 1983
    "the 1970s"                              -> 1970 / 1979
    "the early 1960s"                        -> 1960 / 1963
    "the mid-1970s" ("mid1970s")             -> 1974 / 1976
    "the late 1970s"                         -> 1977 / 1979
    "by 1975", "until 1975", "by the time X withdrew in 1973" -> None / 1975 (time_for fills the
        start from the year in force when it is earlier)
    "the following year", "that year"        -> relative: resolved by time_for from the context.
Years outside 1000-2100 are ignored, and so are numbers that count things ("1500 troops"),
amounts and page or document numbers.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span, Token

from .doctext import doc_text

LEXICONS = Path(__file__).parent / "lexicons"
MIN_YEAR, MAX_YEAR = 1000, 2100
# a finite verb or modal: a sentence without one is a heading, a dateline or a table row
FINITE_VERB_TAGS = {"VBD", "VBZ", "VBP", "MD"}
HEADING_MAX_TOKENS = 30


@dataclass(frozen=True)
class TimeExpression:
    """A time the text states: ``year`` (single year or period start), ``end_year`` (period end).

    ``start``/``end`` are character offsets in the Doc (end exclusive); ``text`` keeps the
    words as written ("the late 1970s", "between 1966 and 1983"). ``relative`` is set for
    expressions such as "the following year" (+1) whose year depends on the context; ``year``
    is then None until ``time_for`` resolves it.
    """

    year: int | None
    end_year: int | None
    text: str
    start: int
    end: int
    relative: int | None = None

    @property
    def anchor_year(self) -> int | None:
        """The year a later relative expression counts from (the end of a period)."""
        return self.end_year if self.end_year is not None else self.year


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    return json.loads((LEXICONS / "time.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    lex = _lexicon()
    month = "(?:" + "|".join(sorted(lex["months"], key=len, reverse=True)) + r")\.?"
    year = r"(?:1\d{3}|20\d{2}|2100)"
    decade = r"(?:(?P<part>early|mid|late)[\s-]?)?(?P<decade>1\d{2}0|20\d0)'?s"
    day = r"\d{1,2}(?:st|nd|rd|th)?"
    day_range = rf"{day}(?:\s*(?:[-–—]|to|and)\s*{day})?"
    relative = "|".join(re.escape(r) for r in sorted(lex["relative"], key=len, reverse=True))
    ends = "|".join(re.escape(p) for p in lex["end_prepositions"])
    starts = "|".join(re.escape(p) for p in lex["start_prepositions"])
    date = rf"(?:(?:{day_range}\s+)?{month},?\s+(?:{day_range},?\s+)?)?"
    flags = re.IGNORECASE
    return {
        # order matters only for ties: overlapping matches are resolved longest first
        "between": re.compile(rf"\bbetween\s+(?:the\s+)?(?P<a>{year}|{decade.replace('?P<part>', '?:').replace('?P<decade>', '?:')})"
                              rf"\s+and\s+(?:the\s+)?(?P<b>{year}|(?:(?:early|mid|late)[\s-]?)?(?:1\d{{2}}0|20\d0)'?s)\b", flags),
        "from_to": re.compile(rf"\b(?:from|in)\s+(?:the\s+(?:period|years?)\s+)?{date}(?P<a>{year})\s+(?:to|until|till|through|thru)\s+{date}(?P<b>{year})\b", flags),
        "dash": re.compile(rf"(?<![\d,.])\b(?P<a>{year})\s*[-–—/]\s*(?P<b>\d{{4}}|\d{{2}})\b(?!\d|,\d)", flags),
        "by_the_time": re.compile(rf"\bby\s+the\s+time\b[^.;:]*?\b(?P<a>{year})\b", flags),
        "date": re.compile(rf"\b(?:(?:early|mid|late)[\s-]+)?{date}(?P<a>{year})\b(?!'?s\b)", flags),
        "decade": re.compile(rf"\b(?:the\s+)?{decade}\b", flags),
        "relative": re.compile(rf"\b(?:in\s+|during\s+)?(?P<rel>{relative})\b", flags),
        "end_prep": re.compile(rf"\b(?P<prep>{ends})\s+(?:the\s+)?(?:end\s+of\s+)?$", flags),
        "start_prep": re.compile(rf"\b(?P<prep>{starts})\s+(?:the\s+)?$", flags),
        "dateish": re.compile(rf"{month}|{day}\s+{month}", flags),
    }


def _decade_bounds(decade_start: int, part: str | None) -> tuple[int, int]:
    if not part:
        return decade_start, decade_start + 9
    low, high = _lexicon()["decade_parts"][part.lower()]
    return decade_start + low, decade_start + high


def _period_bounds(text: str) -> tuple[int, int] | None:
    """Bounds of a year ("1966") or a decade ("the late 1970s") written alone."""
    match = re.fullmatch(r"(?:(early|mid|late)[\s-]?)?(\d{4})('?s)?", text.strip(), re.IGNORECASE)
    if not match:
        return None
    value = int(match.group(2))
    if match.group(3):
        return _decade_bounds(value, match.group(1))
    return value, value


def _valid(year: int | None) -> bool:
    return year is not None and MIN_YEAR <= year <= MAX_YEAR


def _tokens_at(sent: Span, start: int, end: int) -> list[Token]:
    return [t for t in sent if t.idx < end and t.idx + len(t.text) > start]


def _counts_something(sent: Span, start: int, end: int) -> bool:
    """Whether a four-digit number is a count, an amount or a reference number, not a year."""
    tokens = _tokens_at(sent, start, end)
    if not tokens:
        return True
    tok = tokens[0]
    lex = _lexicon()
    if tok.ent_type_ in {"MONEY", "PERCENT", "QUANTITY"}:
        return True
    before = doc_text(sent.doc)[max(sent.doc[sent.start].idx, start - 12):start].strip().lower()
    if any(before.endswith(prefix) for prefix in lex["non_year_prefixes"]):
        return True
    # "1500 troops": a number modifying a plural count noun is a head count, but "the 1955
    # Conference" or "the 1972 elections" name an event by its year
    head = tok.head
    if tok.dep_ in {"nummod", "quantmod"} and head != tok and head.tag_ == "NNS" \
            and head.lower_ not in lex["time_nouns"]:
        return True
    return False


def find_times(sent: Span) -> list[TimeExpression]:
    """All time expressions of a sentence, left to right, without overlaps (longest wins)."""
    text = sent.text
    base = sent.start_char
    found: list[TimeExpression] = []
    pats = _patterns()
    relatives = {k.lower(): v for k, v in _lexicon()["relative"].items()}

    def add(year, end_year, m_start, m_end, relative=None):
        found.append(TimeExpression(year, end_year, text[m_start:m_end], base + m_start, base + m_end, relative))

    for m in pats["between"].finditer(text):
        a, b = _period_bounds(m.group("a")), _period_bounds(m.group("b"))
        if a and b and _valid(a[0]) and _valid(b[1]) and a[0] <= b[1]:
            add(a[0], b[1], m.start(), m.end())
    for m in pats["from_to"].finditer(text):
        a, b = int(m.group("a")), int(m.group("b"))
        if a <= b:
            add(a, b, m.start(), m.end())
    for m in pats["dash"].finditer(text):
        a, tail = int(m.group("a")), m.group("b")
        b = int(tail) if len(tail) == 4 else (a // 100) * 100 + int(tail)
        if a < b <= MAX_YEAR and not _counts_something(sent, base + m.start(), base + m.end()):
            add(a, b, m.start(), m.end())
    for m in pats["by_the_time"].finditer(text):
        add(None, int(m.group("a")), m.start(), m.end())
    for m in pats["date"].finditer(text):
        year = int(m.group("a"))
        is_dated = bool(pats["dateish"].search(m.group(0)))
        if not is_dated and _counts_something(sent, base + m.start("a"), base + m.end("a")):
            continue
        add(*_with_preposition(text, m.start(), year, year), m.start(), m.end())
    for m in pats["decade"].finditer(text):
        low, high = _decade_bounds(int(m.group("decade")), m.group("part"))
        start = m.start()
        year, end_year = _with_preposition(text, start, low, high)
        add(year, end_year, start, m.end())
    for m in pats["relative"].finditer(text):
        add(None, None, m.start(), m.end(), relative=relatives[m.group("rel").lower()])

    found = [t for t in found if t.relative is not None or _valid(t.year) or _valid(t.end_year)]
    return _without_overlaps(found)


def _with_preposition(text: str, start: int, year: int, end_year: int) -> tuple[int | None, int | None]:
    """"by 1975" / "until the 1980s" end a period; "since 1960" opens one."""
    before = text[max(0, start - 24):start]
    if _patterns()["end_prep"].search(before):
        return None, end_year
    if _patterns()["start_prep"].search(before):
        return year, None
    return year, (end_year if end_year != year else None)


def _without_overlaps(found: list[TimeExpression]) -> list[TimeExpression]:
    chosen: list[TimeExpression] = []
    for cand in sorted(found, key=lambda t: (-(t.end - t.start), t.start)):
        if all(cand.end <= c.start or cand.start >= c.end for c in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda t: t.start)


def _is_heading(sent: Span) -> bool:
    """A dateline, title or table row: short and without a finite verb."""
    if len(sent) > HEADING_MAX_TOKENS:
        return False
    return not any(t.tag_ in FINITE_VERB_TAGS for t in sent)


def _lines_are_paragraphs(doc) -> bool:
    """Whether the text has one paragraph per line (cleaned text) rather than wrapped lines."""
    cached = doc.user_data.get("kg_lines_are_paragraphs")
    if cached is None:
        lines = [line for line in doc_text(doc).split("\n") if line.strip()]
        cached = bool(lines) and sum(len(line) for line in lines) / len(lines) > 150
        doc.user_data["kg_lines_are_paragraphs"] = cached
    return cached


def paragraph_break(doc, start: int, end: int) -> bool:
    """Whether the text between two sentences (``doc.text[start:end]``) ends a paragraph: a
    blank line, or any line break when the text keeps one paragraph per line."""
    text = doc_text(doc)
    while start > 0 and text[start - 1].isspace():  # spaCy keeps trailing whitespace in a sentence
        start -= 1
    gap = text[start:end] if start <= end else ""
    return gap.count("\n") >= 2 or ("\n" in gap and _lines_are_paragraphs(doc))


def _starts_paragraph(sent: Span, previous_end: int | None) -> bool:
    if previous_end is None:
        return True
    return paragraph_break(sent.doc, previous_end, sent.start_char)


def _continues_narrative(sent: Span) -> bool:
    """Whether a sentence opens as a continuation of the previous one ("Then", "He", "That year")."""
    opening = sent.text.lstrip(" \"“‘'(").lower()
    return any(re.match(rf"{re.escape(w)}\b", opening) for w in _lexicon()["continuation_openers"])


@dataclass(frozen=True)
class TimeContext:
    """What a sentence without its own time may inherit, advanced sentence by sentence.

    Carry rules, most specific first: (1) the last explicit time of the previous sentence(s)
    of the same paragraph, only when the sentence continues that narrative (opens with "Then",
    "That year", a pronoun ...); (2) the time of the last heading, dateline or table row;
    (3) the document's own date, only for genres whose date is the time of what they report
    (archival records, news) — a scholarly paper's publication year says nothing of its facts.
    """

    document_year: int | None = None
    heading: TimeExpression | None = None
    previous: TimeExpression | None = None
    previous_end: int | None = None  # char offset where the last advanced sentence ended

    @classmethod
    def for_document(cls, document_year: int | None, genre: str = "other") -> "TimeContext":
        return cls(document_year=document_year if genre in {"archival", "news"} else None)

    def advance(self, sent: Span) -> "TimeContext":
        """The context after ``sent`` has been read (call once per sentence, in order).

        ``time_for`` for facts of ``sent`` should use the context returned by advancing to the
        sentence *before* it; ``context.advance(sent)`` then gives the context for the next one.
        """
        new_paragraph = _starts_paragraph(sent, self.previous_end)
        previous = None if new_paragraph else self.previous
        times = find_times(sent)
        absolute = [t for t in times if t.relative is None and (t.year or t.end_year)]
        resolved = [_resolve(t, self) for t in times]
        resolved = [t for t in resolved if t is not None and (t.year or t.end_year)]
        heading = self.heading
        if absolute and _is_heading(sent):
            heading = absolute[0]
        if resolved:
            previous = resolved[-1]
        return replace(self, heading=heading, previous=previous, previous_end=sent.end_char)

    def fallback(self, sent: Span) -> TimeExpression | None:
        """The inherited time for a sentence that states none."""
        same_paragraph = not _starts_paragraph(sent, self.previous_end)
        if self.previous is not None and same_paragraph and _continues_narrative(sent):
            return self.previous
        if self.heading is not None:
            return self.heading
        if self.document_year is not None:
            return TimeExpression(self.document_year, None, str(self.document_year), 0, 0)
        return None

    @property
    def year_in_force(self) -> int | None:
        for t in (self.previous, self.heading):
            if t is not None and t.anchor_year is not None:
                return t.anchor_year
        return self.document_year


def _resolve(time: TimeExpression, context: "TimeContext | None") -> TimeExpression | None:
    """Fill a relative or open-start expression from the year in force."""
    anchor = context.year_in_force if context is not None else None
    if time.relative is not None:
        if anchor is None:
            return None
        return replace(time, year=anchor + time.relative)
    if time.year is None and time.end_year is not None and anchor is not None and anchor < time.end_year:
        return replace(time, year=anchor)
    return time


def _tree_distance(a: Token, b: Token) -> int:
    path_a = [a] + list(a.ancestors)
    index = {t.i: n for n, t in enumerate(path_a)}
    for n, t in enumerate([b] + list(b.ancestors)):
        if t.i in index:
            return index[t.i] + n
    return len(path_a) + 50  # different trees (a bad sentence split): far away


def _root_of(sent: Span, time: TimeExpression) -> Token | None:
    tokens = _tokens_at(sent, time.start, time.end)
    if not tokens:
        return None
    ids = {t.i for t in tokens}
    # the token of the expression whose head lies outside it
    for t in tokens:
        if t.head.i not in ids or t.head == t:
            return t
    return tokens[0]


def time_for(trigger: Token, sent: Span, context: TimeContext | None = None) -> TimeExpression | None:
    """The time of the fact whose trigger is ``trigger``: the expression syntactically closest
    to it (an attached "in 1972" beats a year in another clause), else the inherited time."""
    best: tuple[int, int] | None = None
    chosen: TimeExpression | None = None
    for time in find_times(sent):
        resolved = _resolve(time, context)
        if resolved is None:
            continue
        root = _root_of(sent, time)
        if root is None:
            continue
        score = (_tree_distance(trigger, root), abs(root.i - trigger.i))
        if best is None or score < best:
            best, chosen = score, resolved
    if chosen is not None:
        return chosen
    return context.fallback(sent) if context is not None else None
