"""IRIs for the things a build makes (entities, statements, evidence, sources, graphs, disagreements).

Every data IRI is minted here, from ``Settings.base_iri``; ontology terms come from
``kg.vocab``. Hash-based IRIs make the same fact in the same place get the same IRI in
every build.
"""
from __future__ import annotations

import hashlib
from urllib.parse import quote

from .model import Evidence, Statement


def _digest(*parts: object) -> str:
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:20]


def entity_iri(base: str, key: str) -> str:
    return f"{base}entity/{quote(key, safe='')}"


def key_from_entity_iri(base: str, iri: str) -> str | None:
    prefix = f"{base}entity/"
    if not iri.startswith(prefix):
        return None
    from urllib.parse import unquote

    return unquote(iri[len(prefix):])


def source_iri(base: str, source_id: str) -> str:
    return f"{base}source/{quote(source_id, safe='')}"


def graph_iri(base: str, source_id: str) -> str:
    return f"{base}graph/{quote(source_id, safe='')}"


def evidence_iri(base: str, evidence: Evidence) -> str:
    return f"{base}evidence/{_digest(evidence.source_id, evidence.char_start, evidence.char_end, evidence.rule)}"


def statement_iri(base: str, statement: Statement) -> str:
    q = statement.qualifiers
    ev = statement.evidence
    return f"{base}statement/" + _digest(
        ev.source_id, ev.char_start, ev.char_end, ev.rule, statement.subject.key, statement.predicate,
        statement.object.key, q.year, q.end_year, q.kind, q.quantity, q.unit, q.polarity, q.hedged,
        q.attributed_to,
    )


def disagreement_iri(base: str, kind: str, claim: tuple[str, str, str], scope: str) -> str:
    """One disagreement: its type, the fact (subject key, relation, object key) and its scope."""
    return f"{base}disagreement/{_digest(kind, *claim, scope)}"


def disagreement_side_iri(disagreement: str, order: int, source_id: str) -> str:
    return f"{disagreement}/side/{order}/{quote(source_id, safe='')}"


def build_iri(base: str, fingerprint: str) -> str:
    return f"{base}build/{fingerprint[:20]}"
