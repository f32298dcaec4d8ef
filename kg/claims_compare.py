"""Two questions built on claims: what one source says that another does not (``diff``), and
what held in a given year (``as_of``).

Both are pure functions over statements; the command line (``kg/cli_claims.py``) reads a
build's ``statements.jsonl`` and ``build.json`` and prints what they return.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .claims import (
    Attestation, Claim, ClaimKey, ClaimRules, Conflict, claim_key, conflicts, default_rules, normalized_name, support,
)
from .model import Entity, Statement

FactKey = tuple[ClaimKey, object]  # a claim and, for facts that recur, which occasion


def fact_key(statement: Statement, rules: ClaimRules | None = None) -> FactKey:
    """What makes two statements the same fact when comparing sources.

    A recurring fact (a visit, aid) is one fact per year: a visit in 1956 and one in 1984 are two
    facts, so a source that tells only one of them lacks the other. A named agreement is one fact
    per name. A one-off fact (relations established) is one fact whatever year each source gives:
    different years for it are a disagreement, not two facts.
    """
    rule = (rules or default_rules()).for_relation(statement.predicate)
    if rule.time == "repeatable":
        occasion: object = statement.qualifiers.year
    elif rule.time == "once_per_name":
        occasion = normalized_name(statement.qualifiers.kind_text)
    else:
        occasion = None
    return claim_key(statement), occasion


@dataclass(frozen=True)
class SourceDiff:
    source_a: str
    source_b: str
    only_a: tuple[Claim, ...]  # facts source A speaks to and source B does not
    only_b: tuple[Claim, ...]
    agreed: tuple[Claim, ...]  # facts both speak to without disagreeing
    disagreements: tuple[Conflict, ...]  # every conflict between the two sources


def diff(statements: Iterable[Statement], source_a: str, source_b: str, genres: Mapping[str, str] | None = None,
         rules: ClaimRules | None = None) -> SourceDiff:
    """Compare what two sources say (statements of other sources are ignored)."""
    rules = rules or default_rules()
    genres = genres or {}
    relevant = [s for s in set(statements) if s.evidence.source_id in (source_a, source_b)]
    disagreements = tuple(conflicts(relevant, genres, rules))
    disputed = {a.statement for c in disagreements for side in c.sides for a in side.attestations}

    by_fact: dict[FactKey, list[Statement]] = defaultdict(list)
    for statement in relevant:
        by_fact[fact_key(statement, rules)].append(statement)
    only_a, only_b, agreed = [], [], []
    for key in sorted(by_fact, key=lambda k: (k[0], repr(k[1]))):
        group = by_fact[key]
        sources = {s.evidence.source_id for s in group}
        claim = support(group, genres)[0]
        if sources == {source_a}:
            only_a.append(claim)
        elif sources == {source_b}:
            only_b.append(claim)
        elif not disputed.intersection(group):
            agreed.append(claim)
    return SourceDiff(source_a, source_b, tuple(only_a), tuple(only_b), tuple(agreed), disagreements)


@dataclass(frozen=True)
class Holding:
    """A state of affairs that held in the year asked about, and the statements that say so."""

    subject: Entity
    predicate: str
    object: Entity
    since: int  # the earliest year a supporting statement gives
    until: int | None  # the last year it held, when every supporting statement gives an end
    attestations: tuple[Attestation, ...]
    disputed: bool  # some source disagrees about the fact (see ``kg claims``)

    @property
    def key(self) -> ClaimKey:
        return (self.subject.key, self.predicate, self.object.key)

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({a.source_id for a in self.attestations}))


def _counts(attestation: Attestation, include_hedged: bool) -> bool:
    return attestation.stance == "asserts" or (include_hedged and attestation.stance == "hedges")


def _holding(claim: Claim, year: int, as_of: str, include_hedged: bool, disputed: bool) -> Holding | None:
    usable = [a for a in claim.attestations if _counts(a, include_hedged) and a.statement.qualifiers.year is not None]
    if as_of == "done":
        supporting = [a for a in usable if a.statement.qualifiers.year <= year]
    else:
        supporting = []
        ends = [a.statement.qualifiers.end_year for a in usable if a.statement.qualifiers.end_year is not None]
        for a in usable:
            q = a.statement.qualifiers
            if q.year > year or (q.end_year is not None and q.end_year < year):
                continue
            # an open-ended statement is overruled by another that says the fact ended after it
            # began and before the year asked about (relations broken off, a tenure over)
            if q.end_year is None and any(q.year <= end < year for end in ends):
                continue
            supporting.append(a)
    if not supporting:
        return None
    ends = [a.statement.qualifiers.end_year for a in supporting]
    until = None if as_of == "done" or any(e is None for e in ends) else max(ends)
    return Holding(subject=claim.subject, predicate=claim.predicate, object=claim.object,
                   since=min(a.statement.qualifiers.year for a in supporting), until=until,
                   attestations=tuple(supporting), disputed=disputed)


def as_of(statements: Iterable[Statement], year: int, genres: Mapping[str, str] | None = None,
          include_hedged: bool = False, rules: ClaimRules | None = None) -> list[Holding]:
    """What held in ``year``: relations established and not ended, memberships and tenures that
    span the year, agreements signed by then (per relation: ``as_of`` in claims_rules.json).

    Only affirmed, unhedged statements with a year count unless ``include_hedged``; undated
    statements cannot say when, so they never count.
    """
    rules = rules or default_rules()
    relevant = [s for s in statements if rules.for_relation(s.predicate).as_of is not None]
    claims = support(relevant, genres or {})
    disputed = {c.key for c in conflicts(relevant, genres or {}, rules)}
    held = []
    for claim in claims:
        holding = _holding(claim, year, rules.for_relation(claim.predicate).as_of, include_hedged,
                           claim.key in disputed)
        if holding is not None:
            held.append(holding)
    return held


__all__ = ["FactKey", "Holding", "SourceDiff", "as_of", "diff", "fact_key"]
