"""Thin adapters from the relation engine to its neighbours (time, quantities, factuality,
gazetteer), so each neighbour's contract is called in exactly one place."""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Span, Token

from ..model import SourceDocument
from . import factuality, quantities, timex
from .gazetteer import load_gazetteer


def start_time_context(source: SourceDocument) -> timex.TimeContext:
    meta = source.metadata
    return timex.TimeContext.for_document(meta.year, meta.genre)


def start_factuality_context(source: SourceDocument | None = None) -> factuality.FactualityContext:
    """The factuality state at a document's start: an archival document opens in report mode
    (its sentences are someone's record), other genres in the narrator's voice."""
    return factuality.FactualityContext.for_document(source.metadata.genre if source is not None else "other")


def advance(context, sent: Span):
    """A time or factuality context moved past ``sent``."""
    return context.advance(sent)


def time_for(trigger: Token, sent: Span, context: timex.TimeContext) -> timex.TimeExpression | None:
    return timex.time_for(trigger, sent, context)


def quantity_for(head: Token, sent: Span) -> quantities.Quantity | None:
    return quantities.find_quantity(head, sent)


def assess(trigger: Token, sent: Span, context: factuality.FactualityContext) -> factuality.Factuality:
    return factuality.assess(trigger, sent, context)


@lru_cache(maxsize=1)
def default_actor_for():
    """``Gazetteer.actor_for`` of the packaged gazetteer."""
    return load_gazetteer().actor_for


@lru_cache(maxsize=1)
def default_inner_lookup():
    """Surface -> (type, key) of the packaged gazetteer, for names inside Event spans; only
    unambiguous names ("Soviet", "Afghanistan"; not "Korean")."""
    gazetteer = load_gazetteer()

    def lookup(surface: str) -> tuple[str, str] | None:
        entries = gazetteer.lookup(surface)
        return (entries[0].type, entries[0].key) if len(entries) == 1 else None

    return lookup


@lru_cache(maxsize=1)
def default_state_led_by():
    """Person key -> the one state the packaged gazetteer says they led (None when several)."""
    gazetteer = load_gazetteer()

    def state_led_by(person_key: str) -> str | None:
        states = {r.of for r in gazetteer.roles_of(person_key) if r.role == "leader"
                  and (entry := gazetteer.get(r.of)) is not None and entry.type == "State"}
        return states.pop() if len(states) == 1 else None

    return state_led_by
