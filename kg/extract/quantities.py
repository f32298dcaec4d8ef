"""Quantities attached to aid, personnel and trade phrases: head counts, money, percentages.

Convention (follows the gold annotations): ``value`` is the number as a plain decimal string
without separators, as written ("2,220 billion rubles" -> "2220", unit "billion rubles";
"$20 million" -> "20", unit "million dollars"; "1,000 military personnel" -> "1000", unit
"military personnel"; "nearly 90%" -> "90", unit "percent"; "almost one-half" -> "50",
"percent"). Scale words (thousand/million/billion) stay in the unit for money, and are
multiplied out for head counts ("two thousand advisors" -> "2000").
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token


@dataclass(frozen=True)
class Quantity:
    value: str
    unit: str | None
    text: str
    start: int  # character offsets in the Doc, end exclusive
    end: int


def find_quantity(head: Token | Span, sent: Span) -> Quantity | None:
    raise NotImplementedError
