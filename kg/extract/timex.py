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

import bisect
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
        "since": re.compile(r"\bsince\s+(?:the\s+)?$", flags),
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


def _is_verbless(tokens) -> bool:
    return not any(t.tag_ in FINITE_VERB_TAGS for t in tokens)


def _is_heading(sent: Span) -> bool:
    """A dateline, title or table row: short and without a finite verb."""
    if len(sent) > HEADING_MAX_TOKENS:
        return False
    return _is_verbless(sent)


def _is_dated(time: TimeExpression) -> bool:
    return bool(_patterns()["dateish"].search(time.text))


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


def _layout_blocks(doc) -> tuple[tuple[int, int], ...]:
    """Character spans of the text's layout blocks: lines when the text keeps one paragraph
    per line, else blank-line paragraphs. Computed once per Doc."""
    cached = doc.user_data.get("kg_layout_blocks")
    if cached is None:
        text = doc_text(doc)
        separator = r"\n" if _lines_are_paragraphs(doc) else r"\n[ \t]*\n"
        blocks = []
        pos = 0
        for m in re.finditer(separator, text):
            blocks.append((pos, m.start()))
            pos = m.end()
        blocks.append((pos, len(text)))
        cached = doc.user_data["kg_layout_blocks"] = tuple(
            (s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in blocks if text[s:e].strip())
    return cached


def _blocks_starting_in(sent: Span) -> list[tuple[int, int]]:
    """The layout blocks that begin inside ``sent``: spaCy often runs a title or a dateline into
    the next sentence, and the block keeps the layout's own boundary."""
    blocks = _layout_blocks(sent.doc)
    i = bisect.bisect_left(blocks, (sent.start_char, -1))
    found = []
    while i < len(blocks) and blocks[i][0] < sent.end_char:
        found.append(blocks[i])
        i += 1
    return found


def _layout_events(sent: Span) -> list[tuple[str, TimeExpression | None, int]]:
    """What the layout of ``sent`` says about headings, in text order, each with the offset
    where its block starts: ("record", None, at) for a block that opens a new record
    ("DOCUMENT No. 3", "***"); ("heading", time, at) for a title, dateline or table row that
    states a time; ("prose", None, at) for running text (a finite verb).

    A block is a heading when it has no finite verb and is short, or, whatever its length, when
    it states a full date (a record's dateline). A sentence that no such block opens (wrapped
    text, a dateline run into its record's body) is judged on its own."""
    doc = sent.doc
    text = doc_text(doc)
    marker = re.compile(_lexicon()["record_markers"], re.IGNORECASE)
    events: list[tuple[str, TimeExpression | None, int]] = []
    judged = False  # whether a heading or record block opening the sentence has judged it
    for start, end in _blocks_starting_in(sent):
        block = doc.char_span(start, end, alignment_mode="expand")
        if block is None or len(block) == 0:
            continue
        opening = start == sent.start_char
        # a record marker is a line of its own, even inside a hard-wrapped block; what follows
        # it in the block (a dateline) is read as a block of its own
        marker_end = None
        for line in re.finditer(r"[^\n]+", text[start:end]):
            if marker.match(line.group().strip()):
                marker_end = start + line.end()
        if marker_end is not None:
            events.append(("record", None, start))
            judged = judged or opening
            rest = text[marker_end:end]
            start = marker_end + len(rest) - len(rest.lstrip())
            block = doc.char_span(start, end, alignment_mode="expand") if start < end else None
            if block is None or len(block) == 0:
                continue
        if not _is_verbless(block):
            events.append(("prose", None, start))
        else:
            times = _absolute(find_times(block))
            if times and (len(block) <= HEADING_MAX_TOKENS or _is_dated(times[0])):
                events.append(("heading", times[0], start))
                judged = judged or opening
    if not judged:
        times = _absolute(find_times(sent))
        if times and _is_heading(sent):
            events.insert(0, ("heading", times[0], sent.start_char))
        elif not _is_verbless(sent):
            events.insert(0, ("prose", None, sent.start_char))
    return events


def _read_layout(heading: TimeExpression | None, table_rows: int, events) -> tuple[TimeExpression | None, int, bool]:
    """The heading in force and the count of table rows after reading layout events; the flag
    says whether a new record began (which also ends the story's time)."""
    cleared = False
    for kind, time, _ in events:
        if kind == "record":
            heading, table_rows, cleared = None, 0, True
        elif kind == "heading":
            heading = time
            # datelines govern the record below them; bare years in a run are table rows
            table_rows = 0 if _is_dated(time) else table_rows + 1
        elif table_rows:
            # running text after headings: a table's row years stop with the table, a single
            # title year ("1972" above a paragraph) goes on
            heading = None if table_rows > 1 else heading
            table_rows = 0
    return heading, table_rows, cleared


def _block_of(doc, offset: int) -> tuple[int, int] | None:
    blocks = _layout_blocks(doc)
    i = bisect.bisect_right(blocks, (offset, len(doc_text(doc)) + 1)) - 1
    if i >= 0 and blocks[i][0] <= offset < blocks[i][1]:
        return blocks[i]
    return None


def _absolute(times: list[TimeExpression]) -> list[TimeExpression]:
    return [t for t in times if t.relative is None and (t.year or t.end_year)]


def _starts_paragraph(sent: Span, previous_end: int | None) -> bool:
    if previous_end is None:
        return True
    return paragraph_break(sent.doc, previous_end, sent.start_char)


def _continues_narrative(sent: Span) -> bool:
    """Whether a sentence opens as a continuation of the previous one ("Then", "He", "That year")."""
    opening = sent.text.lstrip(" \"“‘'(").lower()
    return any(re.match(rf"{re.escape(w)}\b", opening) for w in _lexicon()["continuation_openers"])


def _tells_the_past(sent: Span) -> bool:
    """Whether the sentence's main clause narrates in the simple past ("Mexico had no relations",
    "The intervention was condemned"): inside a paragraph, such a sentence goes on with the
    story's time. Present-tense commentary ("Scholars see this as ...") and the past perfect of
    a flashback do not."""
    root = sent.root
    if root.tag_ == "VBD":
        return True
    auxes = [c for c in root.children if c.dep_ in {"aux", "auxpass"}]
    if root.tag_ == "VBN" and any(a.lower_ in {"had", "'d"} for a in auxes):
        return False
    return any(a.tag_ == "VBD" for a in auxes)


def _is_flashback(sent: Span, time: TimeExpression, year_in_force: int | None) -> bool:
    """Whether a time looks back from the narrative rather than moving it on: an earlier year
    told in the past perfect ("Sukarno had visited Pyongyang the previous year"), or a time
    inside a relative clause ("whom he invited in 2002"). Such a time dates its own clause
    but the story's time stays where it was."""
    root = _root_of(sent, time)
    if root is None:
        return False
    if _relative_clause_of(root) is not None:
        return True
    if time.end_year is None and _patterns()["since"].search(doc_text(sent.doc)[max(0, time.start - 12):time.start]):
        return True  # "had ceased ... since the early 1960s": a state lasting until the telling
    if year_in_force is None or time.year is None or time.year >= year_in_force:
        return False
    for tok in [root] + list(root.ancestors):
        if tok.pos_ in {"VERB", "AUX"} and tok.dep_ not in {"aux", "auxpass"}:
            return any(c.dep_ in {"aux", "auxpass"} and c.lower_ in {"had", "'d"} for c in tok.children) \
                and tok.tag_ == "VBN"
    return False


@dataclass(frozen=True)
class TimeContext:
    """What a sentence without its own time may inherit, advanced sentence by sentence.

    Carry rules, most specific first: (1) the last explicit time of the previous sentence(s)
    of the same paragraph, only when the sentence continues that narrative (opens with "Then",
    "That year", a pronoun ..., or follows a colon); (2) the time of the last heading, dateline
    or table row, until a line opens a new record ("DOCUMENT No. 3"); (3) the document's own
    date, only for genres whose date is the time of what they report (archival records, news)
    — a scholarly paper's publication year says nothing of its facts. Times that look back
    (past-perfect flashbacks, relative clauses) date their own clause but do not move (1).
    """

    document_year: int | None = None
    heading: TimeExpression | None = None
    previous: TimeExpression | None = None
    previous_end: int | None = None  # char offset where the last advanced sentence ended
    after_colon: bool = False  # the last advanced sentence ended with a colon
    table_rows: int = 0  # undated heading times read since the last running text

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
        heading, table_rows, cleared = _read_layout(self.heading, self.table_rows, _layout_events(sent))
        previous = None if cleared else previous
        narrative = [resolved for _, resolved in resolved_times(sent, self)
                     if (resolved.year or resolved.end_year)
                     and not _is_flashback(sent, resolved, self.year_in_force)]
        if narrative:
            previous = narrative[-1]
        return replace(self, heading=heading, previous=previous, previous_end=sent.end_char,
                       after_colon=sent.text.rstrip().endswith(":"), table_rows=table_rows)

    def fallback(self, sent: Span) -> TimeExpression | None:
        """The inherited time for a sentence that states none."""
        same_paragraph = not _starts_paragraph(sent, self.previous_end)
        continues = self.after_colon or _continues_narrative(sent) or _tells_the_past(sent)
        if self.previous is not None and same_paragraph and continues:
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


def _resolve(time: TimeExpression, context: "TimeContext | None",
             sentence_anchor: int | None = None) -> TimeExpression | None:
    """Fill a relative or open-start expression from the year in force.

    A relative expression counts from an earlier time of its own sentence when there is one
    ("in October 1958 (... after Algeria, earlier that year)"), else from the context."""
    anchor = context.year_in_force if context is not None else None
    if time.relative is not None:
        anchor = sentence_anchor if sentence_anchor is not None else anchor
        if anchor is None:
            return None
        return replace(time, year=anchor + time.relative)
    if time.year is None and time.end_year is not None and anchor is not None and anchor < time.end_year:
        return replace(time, year=anchor)
    return time


def resolved_times(sent: Span, context: "TimeContext | None") -> list[tuple[TimeExpression, TimeExpression]]:
    """The sentence's expressions, each with its resolved form (relative ones filled), left to
    right; expressions that cannot be resolved are left out."""
    out = []
    anchor: int | None = None
    for time in find_times(sent):
        resolved = _resolve(time, context, anchor)
        if resolved is None:
            continue
        out.append((time, resolved))
        if resolved.anchor_year is not None:
            anchor = resolved.anchor_year
    return out


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


def _relative_clause_of(token: Token) -> Token | None:
    """The head of the relative clause (who/whom/which/that ...) ``token`` sits in, if any.
    Clauses opened by "where"/"when" describe the same occasion and do not count."""
    for t in [token] + list(token.ancestors):
        if t.dep_ == "relcl":
            opener = t.doc[t.left_edge.i]
            if any(c.dep_ == "advmod" and c.lower_ in {"where", "when", "whereupon"} for c in t.children) \
                    or opener.lower_ in {"where", "when"}:
                return None
            return t
    return None


def _modifies_noun(token: Token) -> bool:
    """Whether a time expression hangs from a noun ("the plan up to 1990") rather than a verb.
    The parser often hangs such a phrase on the verb, so a noun naming a term ("period",
    "plan", "agreement") right before the phrase counts too."""
    for t in token.ancestors:
        if t.pos_ in {"ADP", "ADV", "PART", "SCONJ"} or t.dep_ in {"prep", "pcomp"}:
            continue
        if t.pos_ in {"NOUN", "PROPN"}:
            return True
        break
    before = token.i - 1
    while before >= 0 and token.doc[before].pos_ in {"ADP", "ADV", "PART", "DET"}:
        before -= 1
    return before >= 0 and token.doc[before].lower_ in _lexicon()["term_nouns"]


def _inside(token: Token, head: Token) -> bool:
    return token == head or head in token.ancestors


def time_for(trigger: Token, sent: Span, context: TimeContext | None = None) -> TimeExpression | None:
    """The time of the fact whose trigger is ``trigger``: the expression syntactically closest
    to it (an attached "in 1972" beats a year in another clause), else the inherited time."""
    best: tuple[int, int] | None = None
    chosen: TimeExpression | None = None
    # a layout block (a line of its own, a paragraph) ends a sentence even where the parser ran
    # a heading or a table into the next sentence: only the trigger's block is its sentence
    block = _block_of(sent.doc, trigger.idx)
    opens_later = block is not None and block[0] > sent.start_char
    for time, resolved in resolved_times(sent, context):
        if block is not None and not (block[0] <= time.start < block[1]):
            continue
        root = _root_of(sent, time)
        if root is None:
            continue
        clause = _relative_clause_of(root)
        if clause is not None and not _inside(trigger, clause):
            continue  # "met X, whom he invited in 2002": the year belongs to the inviting
        if time.year is None and time.end_year is not None and _modifies_noun(root):
            continue  # "an agreement for the period up to 1990": the agreement's term, not its date
        score = (_tree_distance(trigger, root), abs(root.i - trigger.i))
        if best is None or score < best:
            best, chosen = score, resolved
    if chosen is not None:
        return chosen
    if context is None:
        return None
    if opens_later:
        # the blocks of the sentence before the trigger's are read as sentences before it
        earlier = [e for e in _layout_events(sent) if e[2] <= block[0]]
        heading, table_rows, _ = _read_layout(context.heading, context.table_rows, earlier)
        context = replace(context, heading=heading, table_rows=table_rows, previous=None)
    return context.fallback(sent)
