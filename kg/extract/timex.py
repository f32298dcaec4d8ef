"""Time expressions: years, dates, ranges and decades, and which one a fact's trigger takes.

Public API (pure functions over spaCy spans):
    find_times(sent) -> list[TimeExpression]
    time_for(trigger, sent, context) -> TimeExpression | None
    TimeContext.start(document_year) / context.advance(sent) / context.with_heading_year(...)
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token


@dataclass(frozen=True)
class TimeExpression:
    """A time the text states: ``year`` (single year or period start), ``end_year`` (period end).

    ``start``/``end`` are character offsets in the Doc (end exclusive); ``text`` keeps the
    words as written ("the late 1970s", "between 1966 and 1983").
    """

    year: int | None
    end_year: int | None
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class TimeContext:
    """What a sentence without its own time may inherit, advanced sentence by sentence."""

    document_year: int | None = None
    heading_year: TimeExpression | None = None
    previous: TimeExpression | None = None  # last explicit time of the previous sentence(s)
    paragraph_start: int = 0  # char offset where the current paragraph starts

    def advance(self, sent: Span) -> "TimeContext":
        raise NotImplementedError


def find_times(sent: Span) -> list[TimeExpression]:
    raise NotImplementedError


def time_for(trigger: Token, sent: Span, context: TimeContext | None = None) -> TimeExpression | None:
    raise NotImplementedError
