"""Thin adapters from the relation engine to its neighbours (time, quantities, factuality,
gazetteer), so each neighbour's contract is called in exactly one place.

A neighbour whose body has not landed yet (``NotImplementedError``) or is not installed
degrades to "no information": no time, no quantity, affirmed and unhedged, no actor mapping.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Span, Token

from ..model import SourceDocument
from . import factuality, quantities, timex


@dataclass(frozen=True)
class _Affirmed:
    polarity: str = "affirmed"
    hedged: bool = False
    attributed_to: str | None = None
    cues: tuple[str, ...] = ()


AFFIRMED = _Affirmed()


def start_time_context(source: SourceDocument):
    meta = source.metadata
    try:
        return timex.TimeContext.for_document(meta.year, meta.genre)
    except (NotImplementedError, AttributeError):
        return None


def start_factuality_context(source: SourceDocument | None = None):
    """The factuality state at a document's start: an archival document opens in report mode
    (its sentences are someone's record), other genres in the narrator's voice."""
    genre = source.metadata.genre if source is not None else "other"
    try:
        return factuality.FactualityContext.for_document(genre)
    except (NotImplementedError, AttributeError, TypeError):
        return None


def advance(context, sent: Span):
    if context is None:
        return None
    try:
        return context.advance(sent)
    except NotImplementedError:
        return context


def time_for(trigger: Token, sent: Span, context) -> "timex.TimeExpression | None":
    try:
        return timex.time_for(trigger, sent, context)
    except NotImplementedError:
        return None


def quantity_for(head: Token, sent: Span) -> "quantities.Quantity | None":
    try:
        return quantities.find_quantity(head, sent)
    except NotImplementedError:
        return None


def assess(trigger: Token, sent: Span, context):
    try:
        return factuality.assess(trigger, sent, context)
    except NotImplementedError:
        return AFFIRMED


@lru_cache(maxsize=1)
def default_actor_for():
    """``Gazetteer.actor_for`` of the packaged gazetteer, or None while it is not there."""
    try:
        from .gazetteer import load_gazetteer  # type: ignore[attr-defined]
    except ImportError:
        return None
    return load_gazetteer().actor_for


@lru_cache(maxsize=1)
def default_inner_lookup():
    """Surface -> (type, key) of the packaged gazetteer, for names inside Event spans; only
    unambiguous names ("Soviet", "Afghanistan"; not "Korean")."""
    try:
        from .gazetteer import load_gazetteer  # type: ignore[attr-defined]
    except ImportError:
        return None
    gazetteer = load_gazetteer()

    def lookup(surface: str) -> tuple[str, str] | None:
        entries = gazetteer.lookup(surface)
        return (entries[0].type, entries[0].key) if len(entries) == 1 else None

    return lookup


@lru_cache(maxsize=1)
def default_state_led_by():
    """Person key -> the one state the packaged gazetteer says they led (None when several)."""
    try:
        from .gazetteer import load_gazetteer  # type: ignore[attr-defined]
    except ImportError:
        return None
    gazetteer = load_gazetteer()

    def state_led_by(person_key: str) -> str | None:
        states = {r.of for r in gazetteer.roles_of(person_key) if r.role == "leader"
                  and (entry := gazetteer.get(r.of)) is not None and entry.type == "State"}
        return states.pop() if len(states) == 1 else None

    return state_led_by
