"""Ontology terms, as rdflib does vocabularies: a ``DefinedNamespace`` checked against the file.

``ontology/kg.ttl`` is the single source of truth. The ``KG`` class lists its terms so code
gets attribute completion and a typo fails at import (``_fail = True``); ``tests/test_ontology.py``
checks the class and the file list the same terms. Everything else here (the relations, which are
symmetric, the kinds each allows) is read from the file, never typed by hand.
"""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from .errors import OntologyError

KG_NAMESPACE = "https://w3id.org/histkg/ontology#"
ONTOLOGY_IRI = "https://w3id.org/histkg/ontology"

PROV_NAMESPACE = "http://www.w3.org/ns/prov#"
DCTERMS_NAMESPACE = "http://purl.org/dc/terms/"
SKOS_NAMESPACE = "http://www.w3.org/2004/02/skos/core#"
XSD_NAMESPACE = "http://www.w3.org/2001/XMLSchema#"
WIKIDATA_ENTITY_NAMESPACE = "http://www.wikidata.org/entity/"

# Fixed prefixes for every serialisation: output must not depend on dict order or on which
# terms happen to occur.
PREFIXES: dict[str, str] = {
    "kg": KG_NAMESPACE,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": XSD_NAMESPACE,
    "skos": SKOS_NAMESPACE,
    "prov": PROV_NAMESPACE,
    "dcterms": DCTERMS_NAMESPACE,
    "wd": WIKIDATA_ENTITY_NAMESPACE,
}


class KG(DefinedNamespace):
    """Every term of ``ontology/kg.ttl``."""

    _NS = Namespace(KG_NAMESPACE)
    _fail = True

    # classes
    Entity: URIRef
    Actor: URIRef
    State: URIRef
    Person: URIRef
    Organization: URIRef
    Place: URIRef
    Event: URIRef
    Agreement: URIRef
    Ideology: URIRef
    Source: URIRef
    Evidence: URIRef
    Statement: URIRef
    Build: URIRef
    Polarity: URIRef

    # polarity individuals
    Affirmed: URIRef
    Negated: URIRef

    # entity description
    isoCode: URIRef
    formerIsoCode: URIRef

    # identity over time
    Succession: URIRef
    NameChange: URIRef
    successor: URIRef
    predecessor: URIRef
    fromState: URIRef
    toState: URIRef
    transitionYear: URIRef
    successionType: URIRef
    nameChange: URIRef
    formerName: URIRef
    newName: URIRef
    resolvedBy: URIRef
    resolutionNote: URIRef

    # disagreements between sources (derived at build time)
    Disagreement: URIRef
    DisagreementSide: URIRef
    disagreementType: URIRef
    disputedSubject: URIRef
    disputedRelation: URIRef
    disputedObject: URIRef
    disagreementScope: URIRef
    side: URIRef
    sideValue: URIRef
    sideOrder: URIRef
    sideSource: URIRef
    sideStatement: URIRef

    # provenance
    source: URIRef
    charStart: URIRef
    charEnd: URIRef
    sentence: URIRef
    rule: URIRef
    genre: URIRef
    sha256: URIRef
    kgVersion: URIRef
    spacyModel: URIRef
    spacyModelVersion: URIRef
    settingsFingerprint: URIRef

    # statement qualifiers
    year: URIRef
    endYear: URIRef
    timeText: URIRef
    kind: URIRef
    kindText: URIRef
    quantity: URIRef
    unit: URIRef
    polarity: URIRef
    hedged: URIRef
    attributedTo: URIRef
    attributedToEntity: URIRef
    confidence: URIRef
    allowedKind: URIRef

    # relations
    relatedTo: URIRef
    diplomaticRelations: URIRef
    recognized: URIRef
    memberOf: URIRef
    signedAgreement: URIRef
    providedAid: URIRef
    sentPersonnel: URIRef
    trainedForces: URIRef
    trade: URIRef
    defaultedOnDebt: URIRef
    expelledDiplomats: URIRef
    visited: URIRef
    met: URIRef
    supported: URIRef
    opposed: URIRef
    leaderOf: URIRef
    diplomatOf: URIRef
    militaryConflict: URIRef
    participatedIn: URIRef
    ideology: URIRef


def ontology_path():
    """The packaged ``kg.ttl`` (a ``Traversable``; ``str()`` of it is a path for installed packages)."""
    return files("kg.ontology") / "kg.ttl"


def shapes_path():
    return files("kg.ontology") / "shapes.ttl"


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    graph = Graph()
    try:
        graph.parse(data=ontology_path().read_text(encoding="utf-8"), format="turtle")
    except Exception as exc:  # a broken ontology file is a packaging defect the user must hear about
        raise OntologyError(f"Cannot read the ontology file kg.ttl: {exc}",
                            "Reinstall kg; the packaged ontology is missing or malformed.") from exc
    return graph


def load_ontology() -> Graph:
    """A fresh copy of the ontology graph (callers may add to it)."""
    copy = Graph()
    for prefix, namespace in PREFIXES.items():
        copy.bind(prefix, namespace)
    for triple in _ontology():
        copy.add(triple)
    return copy


def _local(iri: URIRef) -> str | None:
    text = str(iri)
    return text[len(KG_NAMESPACE):] if text.startswith(KG_NAMESPACE) else None


def _derive_relations(graph: Graph) -> tuple[frozenset[str], frozenset[str], dict[str, frozenset[str]]]:
    relations = {
        name for prop in graph.transitive_subjects(RDFS.subPropertyOf, URIRef(KG.relatedTo))
        if prop != URIRef(KG.relatedTo) and (name := _local(prop))
    }
    symmetric = {
        name for prop in graph.subjects(RDF.type, OWL.SymmetricProperty)
        if (name := _local(prop)) in relations
    }
    kinds = {
        name: frozenset(str(value) for value in graph.objects(KG[name], URIRef(KG.allowedKind))
                        if isinstance(value, Literal))
        for name in relations
    }
    return frozenset(relations), frozenset(symmetric), kinds


def ontology_terms() -> frozenset[str]:
    """Local names of every ``kg:`` IRI the ontology declares (as a subject of a type)."""
    graph = _ontology()
    return frozenset(name for term in graph.subjects(RDF.type, None)
                     if isinstance(term, URIRef) and (name := _local(term)))


RELATIONS: frozenset[str]
SYMMETRIC_RELATIONS: frozenset[str]
ALLOWED_KINDS: dict[str, frozenset[str]]  # relation -> kind values; empty set: the relation takes no kind
RELATIONS, SYMMETRIC_RELATIONS, ALLOWED_KINDS = _derive_relations(_ontology())

ENTITY_CLASSES: dict[str, URIRef] = {
    name: URIRef(KG[name])
    for name in ("State", "Person", "Organization", "Place", "Event", "Agreement", "Ideology")
}


def relation_iri(local_name: str) -> URIRef:
    """The IRI of a relation by its local name (``"providedAid"``)."""
    if local_name not in RELATIONS:
        raise OntologyError(
            f"Unknown relation {local_name!r}.",
            f"Use one of the relations declared in ontology/kg.ttl: {', '.join(sorted(RELATIONS))}.",
        )
    return URIRef(KG_NAMESPACE + local_name)


def entity_class_iri(entity_type: str) -> URIRef:
    """The class IRI of an entity type name (``"State"``)."""
    try:
        return ENTITY_CLASSES[entity_type]
    except KeyError:
        raise OntologyError(
            f"Unknown entity type {entity_type!r}.",
            f"Use one of: {', '.join(ENTITY_CLASSES)}.",
        ) from None
