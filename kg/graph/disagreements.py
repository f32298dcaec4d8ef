"""Disagreements between sources -> quads in the default graph (terms from ``ontology/kg.ttl``).

``kg.claims.conflicts`` finds where sources contradict each other; the build writes what it finds
so that a SPARQL store answers "where do the sources disagree?" by reading a few thousand nodes
instead of comparing every statement with every other (seconds at a million triples):

* a ``kg:Disagreement`` per conflict: its type, the fact (``kg:disputedSubject``,
  ``kg:disputedRelation``, ``kg:disputedObject``; a symmetric relation's parties in key order),
  its scope when there is one, and the build that derived it;
* a ``kg:DisagreementSide`` per position and source: the value, its place among the values
  (``kg:sideOrder`` from 1), the source and its statements (in the source's named graph).

The rules are those of ``kg claims`` (``kg/claims_rules.json``), so the graph and the command
always agree. IRIs are hashes of the disagreement's type, fact and scope: the same sources give
the same nodes, in the same order.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad

from ..claims import ClaimRules, Conflict, conflicts
from ..iris import disagreement_iri, disagreement_side_iri
from ..model import Statement
from ..vocab import KG, PROV_NAMESPACE, XSD_NAMESPACE

_RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_PROV_WAS_GENERATED_BY = NamedNode(PROV_NAMESPACE + "wasGeneratedBy")
_XSD_POSITIVE_INTEGER = NamedNode(XSD_NAMESPACE + "positiveInteger")
_K = {name: NamedNode(KG[name]) for name in (
    "Disagreement", "DisagreementSide", "disagreementType", "disputedSubject", "disputedRelation",
    "disputedObject", "disagreementScope", "side", "sideValue", "sideOrder", "sideSource", "sideStatement",
)}
_DEFAULT_GRAPH = DefaultGraph()


def _conflict_quads(conflict: Conflict, node: NamedNode, entity_nodes: Mapping[str, NamedNode],
                    source_nodes: Mapping[str, NamedNode], relation: NamedNode, build: NamedNode,
                    statement_node: Callable[[Statement], NamedNode]) -> list[Quad]:
    g = _DEFAULT_GRAPH
    quads = [Quad(node, _RDF_TYPE, _K["Disagreement"], g),
             Quad(node, _K["disagreementType"], Literal(conflict.type), g),
             Quad(node, _K["disputedSubject"], entity_nodes[conflict.subject.key], g),
             Quad(node, _K["disputedRelation"], relation, g),
             Quad(node, _K["disputedObject"], entity_nodes[conflict.object.key], g)]
    if conflict.scope:
        quads.append(Quad(node, _K["disagreementScope"], Literal(conflict.scope), g))
    quads.append(Quad(node, _PROV_WAS_GENERATED_BY, build, g))
    for order, side in enumerate(conflict.sides, start=1):
        by_source: dict[str, set[str]] = defaultdict(set)
        for attestation in side.attestations:
            by_source[attestation.source_id].add(statement_node(attestation.statement).value)
        # a side per value and source: a query pairs sides from two sources without reading
        # every statement's graph first
        for source_id in sorted(by_source):
            side_node = NamedNode(disagreement_side_iri(node.value, order, source_id))
            quads += [Quad(node, _K["side"], side_node, g),
                      Quad(side_node, _RDF_TYPE, _K["DisagreementSide"], g),
                      Quad(side_node, _K["sideValue"], Literal(side.value), g),
                      Quad(side_node, _K["sideOrder"], Literal(str(order), datatype=_XSD_POSITIVE_INTEGER), g),
                      Quad(side_node, _K["sideSource"], source_nodes[source_id], g)]
            quads += [Quad(side_node, _K["sideStatement"], NamedNode(iri), g) for iri in sorted(by_source[source_id])]
    return quads


def disagreement_quads(statements: Iterable[Statement], base_iri: str, entity_nodes: Mapping[str, NamedNode],
                       source_nodes: Mapping[str, NamedNode], relation_node: Callable[[str], NamedNode],
                       build: NamedNode, statement_node: Callable[[Statement], NamedNode],
                       rules: ClaimRules | None = None) -> list[Quad]:
    """Quads for every disagreement between the sources of ``statements`` (one statement per IRI,
    as the build writes them). ``entity_nodes`` and ``source_nodes`` map entity keys and source
    ids to nodes; ``relation_node`` and ``statement_node`` give the node of a relation name and of
    a statement."""
    quads: list[Quad] = []
    seen: set[str] = set()
    for conflict in conflicts(statements, rules=rules):
        iri = disagreement_iri(base_iri, conflict.type, conflict.key, conflict.scope)
        # two scopes printed alike (units differing only in case) stay two nodes, in a fixed order
        candidate, n = iri, 1
        while candidate in seen:
            n += 1
            candidate = f"{iri}-{n}"
        seen.add(candidate)
        quads += _conflict_quads(conflict, NamedNode(candidate), entity_nodes, source_nodes,
                                 relation_node(conflict.predicate), build, statement_node)
    return quads


__all__ = ["disagreement_quads"]
