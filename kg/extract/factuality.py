"""Factuality of a candidate fact: negation, hedging and attribution, scoped to its trigger.

Public API:
    assess(trigger, sent, context=None) -> Factuality
    FactualityContext.start() / context.advance(sent) -> FactualityContext (speaker carry-over)
Lexicons are data: lexicons/negation.json, hedging.json, attribution.json.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token


@dataclass(frozen=True)
class Factuality:
    polarity: str  # "affirmed" | "negated" (kg.model.POLARITIES)
    hedged: bool
    attributed_to: str | None  # the claimant's label ("Kim Il Sung", "US intelligence")
    cues: tuple[str, ...]  # the words that decided it, for evidence and debugging


@dataclass(frozen=True)
class FactualityContext:
    """The speaker of reported speech carried across the sentences of a paragraph/section."""

    speaker: str | None = None
    paragraph_start: int = 0

    def advance(self, sent: Span) -> "FactualityContext":
        raise NotImplementedError


def assess(trigger: Token, sent: Span, context: FactualityContext | None = None) -> Factuality:
    raise NotImplementedError
