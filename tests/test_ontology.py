"""The ontology is the single source of truth: code, shapes and saved queries agree with it."""
from __future__ import annotations

import re
from importlib.resources import files

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from kg import vocab
from kg.errors import OntologyError
from kg.vocab import KG, KG_NAMESPACE

SH = Namespace("http://www.w3.org/ns/shacl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")

GOLD_RELATIONS = {
    "diplomaticRelations", "recognized", "memberOf", "signedAgreement", "providedAid", "sentPersonnel",
    "trainedForces", "trade", "defaultedOnDebt", "expelledDiplomats", "visited", "met", "supported", "opposed",
    "leaderOf", "diplomatOf", "militaryConflict", "participatedIn", "ideology",
}
GOLD_SYMMETRIC = {"diplomaticRelations", "signedAgreement", "trade", "met"}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return vocab.load_ontology()


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(data=vocab.shapes_path().read_text(encoding="utf-8"), format="turtle")


def _kg_iris_in(graph: Graph) -> set[str]:
    return {str(t)[len(KG_NAMESPACE):] for triple in graph for t in triple
            if isinstance(t, URIRef) and str(t).startswith(KG_NAMESPACE)}


def test_defined_namespace_and_ontology_list_the_same_terms():
    declared_in_class = {name for name in KG.__annotations__}
    assert declared_in_class == set(vocab.ontology_terms())


def test_every_kg_iri_in_the_ontology_is_declared(ontology):
    assert _kg_iris_in(ontology) <= set(vocab.ontology_terms())


def test_unknown_term_fails_at_attribute_access():
    with pytest.raises(AttributeError):
        KG.providedAidd  # noqa: B018 -- the typo must not pass silently


def test_relations_are_derived_from_the_file_and_match_the_guidelines():
    assert vocab.RELATIONS == GOLD_RELATIONS
    assert vocab.SYMMETRIC_RELATIONS == GOLD_SYMMETRIC
    assert vocab.ALLOWED_KINDS["militaryConflict"] == {"war", "invasion", "coup", "intervention"}
    assert vocab.ALLOWED_KINDS["diplomaticRelations"] == frozenset()


def test_relation_iri_and_unknown_relation():
    assert vocab.relation_iri("providedAid") == URIRef(KG_NAMESPACE + "providedAid")
    with pytest.raises(OntologyError) as info:
        vocab.relation_iri("gaveAid")
    assert info.value.code == "E400" and "providedAid" in str(info.value)
    with pytest.raises(OntologyError):
        vocab.entity_class_iri("Country")


def test_every_property_has_label_domain_range_and_every_relation_a_definition(ontology):
    properties = set(ontology.subjects(RDF.type, OWL.ObjectProperty)) | set(ontology.subjects(RDF.type, OWL.DatatypeProperty))
    kg_properties = {p for p in properties if str(p).startswith(KG_NAMESPACE)}
    assert len(kg_properties) > 19
    for prop in kg_properties:
        assert (prop, RDFS.label, None) in ontology, prop
        assert (prop, RDFS.domain, None) in ontology, prop
        assert (prop, RDFS.range, None) in ontology, prop
        assert (prop, SKOS.definition, None) in ontology, prop
    for name in vocab.RELATIONS:
        assert (URIRef(KG[name]), RDF.type, OWL.ObjectProperty) in ontology


def test_union_domains_list_only_declared_classes(ontology):
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    for union in ontology.objects(None, OWL.unionOf):
        members = list(Collection(ontology, union))
        assert members and all(m in classes for m in members)


def test_ontology_metadata(ontology):
    onto = URIRef(vocab.ONTOLOGY_IRI)
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert (onto, OWL.versionInfo, None) in ontology
    assert (onto, URIRef("http://purl.org/dc/terms/title"), None) in ontology


def test_ontology_is_packaged_as_kg_ontology():
    assert (files("kg.ontology") / "kg.ttl").is_file()
    assert (files("kg.ontology") / "shapes.ttl").is_file()


def test_shapes_use_only_declared_terms(shapes):
    assert _kg_iris_in(shapes) <= set(vocab.ontology_terms())


def test_shapes_relation_list_is_the_ontology_relation_list(shapes):
    lists = [set(Collection(shapes, node)) for node in shapes.objects(None, SH["in"])]
    relation_lists = [values for values in lists if URIRef(KG.providedAid) in values]
    assert relation_lists == [{URIRef(KG[name]) for name in vocab.RELATIONS}]


def test_shapes_kind_lists_match_allowed_kinds(shapes):
    found: dict[str, set[str]] = {}
    for conjunction in shapes.objects(None, SH["and"]):
        predicate, kinds = None, None
        for member in Collection(shapes, conjunction):
            if (value := shapes.value(member, SH.hasValue)) is not None:
                predicate = str(value)[len(KG_NAMESPACE):]
            if (listed := shapes.value(member, SH["in"])) is not None:
                kinds = {str(v) for v in Collection(shapes, listed) if isinstance(v, Literal)}
        found[predicate] = kinds
    expected = {name: set(kinds) for name, kinds in vocab.ALLOWED_KINDS.items() if kinds}
    assert found == expected


def _query_terms() -> list[tuple[str, str]]:
    terms = []
    folder = files("kg") / "queries"
    entries = [*folder.iterdir(), *(folder / "match").iterdir()]  # saved queries and how parameters match
    for entry in entries:
        if not entry.name.endswith(".rq"):
            continue
        text = entry.read_text(encoding="utf-8")
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        terms += [(entry.name, t) for t in re.findall(r"(?<![\w?$])kg:([A-Za-z_][\w-]*)", body)]
        terms += [(entry.name, t) for t in re.findall(re.escape("<" + KG_NAMESPACE) + r"([^>]*)>", body) if t]
    return terms


def test_every_kg_term_in_saved_queries_exists_in_the_ontology():
    terms = _query_terms()
    assert terms, "the saved queries use kg: terms"
    unknown = [(name, term) for name, term in terms if term not in vocab.ontology_terms()]
    assert unknown == []
