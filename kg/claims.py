"""Claims, not truths: which sources assert, deny or hedge each fact, and where they disagree.

A *claim* is one fact (subject, relation, object; the parties of a symmetric relation in sorted
order) with every statement that speaks to it, each tagged with its source's genre. ``support``
groups statements into claims; ``conflicts`` finds the claims on which two different sources
disagree:

* ``polarity``  - one source affirms what another denies;
* ``hedging``   - one source asserts plainly what another only hedges;
* ``year`` / ``end_year`` - different years for a fact that happens once (see claims_rules.json);
* ``period``    - overlapping but different tenures (leaders, envoys);
* ``quantity``  - different numbers for the same fact, year, period, unit, kind and name.

Denial and hedging only disagree with statements they can be about: years, kinds and names must
be equal where both give them (a denial for 1970 does not contradict relations set up in 1972).
Statements of one source never make a conflict on their own: a historian's question is whether
*sources* disagree, and one text giving two numbers is more often an extraction slip.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib.resources import files
from itertools import combinations

from .errors import RuleError
from .model import Entity, Statement
from .vocab import RELATIONS, SYMMETRIC_RELATIONS

ClaimKey = tuple[str, str, str]  # (subject key, relation, object key)

STANCES = ("asserts", "hedges", "denies")
CONFLICT_TYPES = ("polarity", "hedging", "year", "end_year", "period", "quantity")
TIME_RULES = ("once", "once_per_name", "period", "repeatable")
AS_OF_RULES = ("holds", "done")
UNKNOWN_GENRE = "other"


# --- rules (data) -----------------------------------------------------------------------------

@dataclass(frozen=True)
class RelationRule:
    time: str = "repeatable"  # one of TIME_RULES
    as_of: str | None = None  # one of AS_OF_RULES, or None: an event, not a state of affairs


@dataclass(frozen=True)
class ClaimRules:
    relations: Mapping[str, RelationRule]
    quantity_scope: tuple[str, ...] = ("year", "end_year", "unit", "kind", "kind_text")

    def for_relation(self, predicate: str) -> RelationRule:
        # an unknown relation is repeatable: never report a disagreement that may not be there
        return self.relations.get(predicate, RelationRule())


_QUALIFIER_FIELDS = ("year", "end_year", "unit", "kind", "kind_text", "time_text", "attributed_to")


def parse_rules(data: Mapping, where: str = "claims_rules.json") -> ClaimRules:
    """Validate and read the rule data; raises ``RuleError`` naming what is wrong."""
    relations: dict[str, RelationRule] = {}
    raw = data.get("relations")
    if not isinstance(raw, Mapping):
        raise RuleError(f"{where}: 'relations' must be an object of relation name -> rule.")
    for name, rule in raw.items():
        if name not in RELATIONS:
            raise RuleError(f"{where}: {name!r} is not a relation of the ontology.",
                            f"Use one of: {', '.join(sorted(RELATIONS))}.")
        if not isinstance(rule, Mapping) or rule.get("time") not in TIME_RULES:
            raise RuleError(f"{where}: {name}.time must be one of {', '.join(TIME_RULES)}.")
        if rule.get("as_of") not in (*AS_OF_RULES, None):
            raise RuleError(f"{where}: {name}.as_of must be one of {', '.join(AS_OF_RULES)} or null.")
        relations[name] = RelationRule(time=rule["time"], as_of=rule.get("as_of"))
    scope = tuple(data.get("quantity_scope", ClaimRules.__dataclass_fields__["quantity_scope"].default))
    unknown = [f for f in scope if f not in _QUALIFIER_FIELDS]
    if unknown:
        raise RuleError(f"{where}: quantity_scope names unknown qualifiers {unknown}.",
                        f"Use some of: {', '.join(_QUALIFIER_FIELDS)}.")
    return ClaimRules(relations=relations, quantity_scope=scope)


@lru_cache(maxsize=1)
def default_rules() -> ClaimRules:
    """The packaged ``kg/claims_rules.json``."""
    text = (files("kg") / "claims_rules.json").read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RuleError(f"claims_rules.json is not valid JSON: {exc.msg} (line {exc.lineno}).") from None
    return parse_rules(data)


# --- claims and their support -----------------------------------------------------------------

@dataclass(frozen=True)
class Attestation:
    """One statement of a fact by one source, with that source's genre."""

    statement: Statement
    genre: str

    @property
    def source_id(self) -> str:
        return self.statement.evidence.source_id

    @property
    def stance(self) -> str:
        """``denies`` for a negated statement (hedged or not), ``hedges``, else ``asserts``."""
        q = self.statement.qualifiers
        if q.polarity == "negated":
            return "denies"
        return "hedges" if q.hedged else "asserts"

    @property
    def sort_key(self) -> tuple:
        ev = self.statement.evidence
        return (ev.source_id, ev.char_start, ev.char_end, ev.rule, _ReprOrder(self.statement))


class _ReprOrder:
    """Orders by ``repr(value)``, worked out only when the keys before it tie (rare): one repr per
    statement cost a quarter of a second at 12,000 statements."""

    __slots__ = ("value",)

    def __init__(self, value: object):
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ReprOrder) and repr(self.value) == repr(other.value)

    def __lt__(self, other: _ReprOrder) -> bool:
        return repr(self.value) < repr(other.value)

    def __hash__(self) -> int:
        return hash(repr(self.value))


@dataclass(frozen=True)
class SupportSummary:
    sources: int  # distinct sources that speak to the fact at all
    mentions: int  # statements (sentences x rules) that speak to it
    asserting_sources: int
    hedging_sources: int
    denying_sources: int
    genres: tuple[str, ...]  # distinct genres of those sources, sorted

    @property
    def denied(self) -> bool:
        return self.denying_sources > 0


@dataclass(frozen=True)
class Claim:
    """A fact (subject, relation, object) and every statement about it, grouped by stance."""

    subject: Entity
    predicate: str
    object: Entity
    assertions: tuple[Attestation, ...]
    hedges: tuple[Attestation, ...]
    denials: tuple[Attestation, ...]

    @property
    def key(self) -> ClaimKey:
        return (self.subject.key, self.predicate, self.object.key)

    @property
    def attestations(self) -> tuple[Attestation, ...]:
        return tuple(sorted((*self.assertions, *self.hedges, *self.denials), key=lambda a: a.sort_key))

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({a.source_id for a in self.attestations}))

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({a.statement.qualifiers.year for a in self.attestations
                             if a.statement.qualifiers.year is not None}))

    @property
    def support(self) -> SupportSummary:
        def count(group: Iterable[Attestation]) -> int:
            return len({a.source_id for a in group})

        every = self.attestations
        return SupportSummary(sources=count(every), mentions=len(every), asserting_sources=count(self.assertions),
                              hedging_sources=count(self.hedges), denying_sources=count(self.denials),
                              genres=tuple(sorted({a.genre for a in every})))


def claim_key(statement: Statement) -> ClaimKey:
    """The fact a statement speaks to; a symmetric relation's parties in sorted order."""
    s, p, o = statement.subject.key, statement.predicate, statement.object.key
    if p in SYMMETRIC_RELATIONS and o < s:
        s, o = o, s
    return (s, p, o)


def _oriented_parties(statements: Sequence[Statement], key: ClaimKey) -> tuple[Entity, Entity]:
    first = statements[0]
    if first.subject.key == key[0]:
        return first.subject, first.object
    return first.object, first.subject


def support(statements: Iterable[Statement], genres: Mapping[str, str]) -> list[Claim]:
    """Group statements into claims, sorted by key. ``genres`` maps source id -> genre (missing:
    "other"). Identical statements (the same sentence read twice) count once."""
    grouped: dict[ClaimKey, list[Statement]] = defaultdict(list)
    for statement in set(statements):
        grouped[claim_key(statement)].append(statement)
    claims = []
    for key in sorted(grouped):
        attestations = sorted((Attestation(s, genres.get(s.evidence.source_id, UNKNOWN_GENRE)) for s in grouped[key]),
                              key=lambda a: a.sort_key)
        subject, obj = _oriented_parties([a.statement for a in attestations], key)
        by_stance = {stance: tuple(a for a in attestations if a.stance == stance) for stance in STANCES}
        claims.append(Claim(subject=subject, predicate=key[1], object=obj, assertions=by_stance["asserts"],
                            hedges=by_stance["hedges"], denials=by_stance["denies"]))
    return claims


# --- conflicts --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ConflictSide:
    """What one side of a disagreement says, and who says it."""

    value: str  # "affirmed" / "negated", "asserted" / "hedged", "1972", "1948-1994", "2220 million rubles"
    attestations: tuple[Attestation, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({a.source_id for a in self.attestations}))


@dataclass(frozen=True)
class Conflict:
    type: str  # one of CONFLICT_TYPES
    subject: Entity
    predicate: str
    object: Entity
    sides: tuple[ConflictSide, ...]
    scope: str = ""  # what both sides share, e.g. "year 1975, unit troops" for a quantity conflict

    @property
    def key(self) -> ClaimKey:
        return (self.subject.key, self.predicate, self.object.key)

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({s for side in self.sides for s in side.sources}))


def normalized_name(text: str | None) -> str | None:
    """An agreement or project name compared loosely: case, spacing and a leading article ignored."""
    if not text:
        return None
    words = text.casefold().split()
    if words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words) or None


def normalized_unit(text: str | None) -> str | None:
    return " ".join(text.casefold().split()) or None if text else None


def quantity_value(text: str | None) -> Decimal | None:
    """A quantity as a number ("2,220" == "2220.0"); None when missing or not a number."""
    if text in (None, ""):
        return None
    try:
        number = Decimal(str(text).replace(",", "").replace("_", "").strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def format_quantity(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _compatible(a: Statement, b: Statement) -> bool:
    """Whether two statements can be about the same occurrence: equal wherever both say."""
    qa, qb = a.qualifiers, b.qualifiers
    pairs = ((qa.year, qb.year), (qa.kind, qb.kind), (normalized_name(qa.kind_text), normalized_name(qb.kind_text)))
    return all(x is None or y is None or x == y for x, y in pairs)


def _split_by_source_pairs(left: Sequence[Attestation], right: Sequence[Attestation]
                           ) -> tuple[tuple[Attestation, ...], tuple[Attestation, ...]]:
    """The members of each group that clash with a compatible member of the other from another source."""
    used_left, used_right = set(), set()
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            if a.source_id != b.source_id and _compatible(a.statement, b.statement):
                used_left.add(i)
                used_right.add(j)
    return (tuple(a for i, a in enumerate(left) if i in used_left),
            tuple(b for j, b in enumerate(right) if j in used_right))


def _more_than_one_source(sides: Sequence[ConflictSide]) -> bool:
    # some pair across two sides comes from two sources exactly when not everything is from one
    return sum(1 for side in sides if side.attestations) >= 2 and \
        len({a.source_id for side in sides for a in side.attestations}) >= 2


def _grouped_sides(attestations: Iterable[Attestation], value_of) -> tuple[ConflictSide, ...]:
    groups: dict[object, list[Attestation]] = defaultdict(list)
    labels: dict[object, str] = {}
    for a in attestations:
        found = value_of(a.statement)
        if found is None:
            continue
        sort_value, label = found
        groups[sort_value].append(a)
        labels[sort_value] = label
    return tuple(ConflictSide(labels[v], tuple(groups[v])) for v in sorted(groups))


def _period_label(start: int, end: int | None) -> str:
    return f"{start}-{end}" if end is not None else str(start)


def _time_conflicts(claim: Claim, rule: RelationRule) -> list[tuple[str, tuple[ConflictSide, ...], str]]:
    said = [a for a in claim.attestations if a.stance != "denies"]  # a denial's year is not a claimed year
    found = []
    if rule.time in ("once", "once_per_name"):
        scopes: dict[str | None, list[Attestation]] = defaultdict(list)
        for a in said:
            name = normalized_name(a.statement.qualifiers.kind_text) if rule.time == "once_per_name" else ""
            if name is not None:
                scopes[name].append(a)
        for name in sorted(scopes, key=str):
            scope = f"name {scopes[name][0].statement.qualifiers.kind_text}" if name else ""
            for field in ("year", "end_year"):
                sides = _grouped_sides(scopes[name], lambda s, f=field: None if getattr(s.qualifiers, f) is None
                                       else (getattr(s.qualifiers, f), str(getattr(s.qualifiers, f))))
                if len(sides) >= 2 and _more_than_one_source(sides):
                    found.append((field, sides, scope))
    elif rule.time == "period":
        full = [a for a in said if a.statement.qualifiers.year is not None
                and a.statement.qualifiers.end_year is not None]
        sides = _grouped_sides(full, lambda s: ((s.qualifiers.year, s.qualifiers.end_year),
                                                _period_label(s.qualifiers.year, s.qualifiers.end_year)))
        clashing: set[int] = set()
        for (i, x), (j, y) in combinations(enumerate(sides), 2):
            (xa, xb), (ya, yb) = _side_period(x), _side_period(y)
            overlap = xa <= yb and ya <= xb
            if overlap and _more_than_one_source((x, y)):
                clashing.update((i, j))
        if clashing:
            found.append(("period", tuple(side for i, side in enumerate(sides) if i in clashing), ""))
    return found


def _side_period(side: ConflictSide) -> tuple[int, int]:
    q = side.attestations[0].statement.qualifiers
    return q.year, q.end_year


def _quantity_conflicts(claim: Claim, scope_fields: Sequence[str]) -> list[tuple[str, tuple[ConflictSide, ...], str]]:
    scopes: dict[tuple, list[Attestation]] = defaultdict(list)
    for a in claim.attestations:
        q = a.statement.qualifiers
        if a.stance == "denies" or quantity_value(q.quantity) is None:
            continue
        scope = tuple(normalized_unit(q.unit) if f == "unit" else normalized_name(q.kind_text) if f == "kind_text"
                      else getattr(q, f) for f in scope_fields)
        scopes[scope].append(a)
    found = []
    for scope in sorted(scopes, key=repr):
        unit = scopes[scope][0].statement.qualifiers.unit

        def value_of(s: Statement, unit=unit):
            number = quantity_value(s.qualifiers.quantity)
            return number, f"{format_quantity(number)} {unit}".strip() if unit else format_quantity(number)

        sides = _grouped_sides(scopes[scope], value_of)
        if len(sides) >= 2 and _more_than_one_source(sides):
            first = scopes[scope][0].statement.qualifiers
            shared = [f"{f.replace('_', ' ')} {getattr(first, f)}" for f in scope_fields
                      if getattr(first, f) not in (None, "")]
            found.append(("quantity", sides, ", ".join(shared)))
    return found


def claim_conflicts(claim: Claim, rules: ClaimRules | None = None) -> list[Conflict]:
    """Every way sources disagree about one claim, in CONFLICT_TYPES order."""
    rules = rules or default_rules()
    found: list[tuple[str, tuple[ConflictSide, ...], str]] = []
    affirmed = (*claim.assertions, *claim.hedges)
    said, denied = _split_by_source_pairs(sorted(affirmed, key=lambda a: a.sort_key), claim.denials)
    if said and denied:
        found.append(("polarity", (ConflictSide("affirmed", said), ConflictSide("negated", denied)), ""))
    plain, hedged = _split_by_source_pairs(claim.assertions, claim.hedges)
    if plain and hedged:
        found.append(("hedging", (ConflictSide("asserted", plain), ConflictSide("hedged", hedged)), ""))
    found += _time_conflicts(claim, rules.for_relation(claim.predicate))
    found += _quantity_conflicts(claim, rules.quantity_scope)
    order = {t: i for i, t in enumerate(CONFLICT_TYPES)}
    found.sort(key=lambda f: (order[f[0]], f[2]))
    return [Conflict(type=kind, subject=claim.subject, predicate=claim.predicate, object=claim.object, sides=sides,
                     scope=scope) for kind, sides, scope in found]


def conflicts(statements: Iterable[Statement], genres: Mapping[str, str] | None = None,
              rules: ClaimRules | None = None) -> list[Conflict]:
    """Every disagreement between sources in ``statements``, sorted by claim then type."""
    # one source never disagrees with itself, and most facts have one source: grouping is cheap,
    # building claims is not (4 s -> 1 s at 53,000 statements)
    keyed = [(claim_key(statement), statement) for statement in statements]
    sources_of: dict[ClaimKey, set[str]] = defaultdict(set)
    for key, statement in keyed:
        sources_of[key].add(statement.evidence.source_id)
    disputable = [statement for key, statement in keyed if len(sources_of[key]) > 1]
    found = []
    for claim in support(disputable, genres or {}):
        found += claim_conflicts(claim, rules)
    return found


def conflict_keys(statements: Iterable[Statement]) -> set[ClaimKey]:
    """The (subject key, relation, object key) of every fact sources disagree about; symmetric
    relations with their parties in sorted order (use ``claim_key`` on an edge to look it up)."""
    return {conflict.key for conflict in conflicts(statements)}


__all__ = [
    "AS_OF_RULES", "CONFLICT_TYPES", "STANCES", "TIME_RULES", "Attestation", "Claim", "ClaimKey", "ClaimRules",
    "Conflict", "ConflictSide", "RelationRule", "SupportSummary", "claim_conflicts", "claim_key", "conflict_keys",
    "conflicts", "default_rules", "format_quantity", "normalized_name", "normalized_unit", "parse_rules",
    "quantity_value", "support",
]
