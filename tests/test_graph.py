"""Statements -> quads -> files: graph model, SHACL, round trips, determinism, atomic writes."""
from __future__ import annotations

import dataclasses
import os
import random
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg import vocab
from kg.errors import ExportError, OntologyError
from kg.graph import (
    BuildInfo, atomic_write, data_prefixes, decimal_literal, ended_at_from_source_date_epoch, statement_quads,
    write_jsonld, write_nquads, write_outputs, write_trig, write_turtle, year_literal,
)
from kg.iris import entity_iri, graph_iri, source_iri, statement_iri
from kg.model import Qualifiers
from kg.settings import Settings
from kg.graph import settings_fingerprint

from test_graph_fixtures import expected_graphs as _expected_graphs, merged as _merged
from test_graph_fixtures import (
    BASE, KIM, NORTH_KOREA, SOURCE_A, SOURCE_B, sample_build, sample_quads, sample_sources, sample_statements,
)

KG = vocab.KG_NAMESPACE
RDF_TYPE = ox.NamedNode(str(rdflib.RDF.type))


@pytest.fixture(scope="module")
def quads():
    return sample_quads()


def _statement_nodes(quads) -> dict[str, ox.Quad]:
    return {q.subject.value: q for q in quads if q.predicate == RDF_TYPE and q.object.value == KG + "Statement"}


def test_one_node_per_distinct_statement_in_its_source_graph(quads):
    nodes = _statement_nodes(quads)
    distinct = {statement_iri(BASE, s) for s in sample_statements()}
    assert set(nodes) == distinct and len(distinct) == len(sample_statements()) - 1
    for statement in sample_statements():
        assert nodes[statement_iri(BASE, statement)].graph_name.value == graph_iri(BASE, statement.evidence.source_id)


def test_duplicate_statement_keeps_the_most_confident(quads):
    iri = statement_iri(BASE, sample_statements()[0])
    confidences = [q.object.value for q in quads if q.subject.value == iri and q.predicate.value == KG + "confidence"]
    assert confidences == ["0.9"]


def test_truthy_triple_only_for_affirmed_unhedged(quads):
    direct = {(q.subject.value, q.predicate.value, q.object.value, q.graph_name.value)
              for q in quads if q.predicate.value.startswith(KG) and q.predicate.value[len(KG):] in vocab.RELATIONS}
    expected = {(entity_iri(BASE, s.subject.key), KG + s.predicate, entity_iri(BASE, s.object.key),
                 graph_iri(BASE, s.evidence.source_id)) for s in sample_statements() if s.truthy}
    assert direct == expected
    negated_or_hedged = [s for s in sample_statements() if not s.truthy]
    assert len(negated_or_hedged) == 2
    for s in negated_or_hedged:
        assert not any(t[0] == entity_iri(BASE, s.subject.key) and t[1] == KG + s.predicate
                       and t[2] == entity_iri(BASE, s.object.key) for t in direct)


def test_descriptions_live_in_the_default_graph_and_no_blank_nodes(quads):
    for q in quads:
        assert not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
        if q.predicate == RDF_TYPE and q.object.value in (KG + "Entity", KG + "Source", KG + "Build"):
            assert isinstance(q.graph_name, ox.DefaultGraph)
    described = {q.subject.value for q in quads if q.predicate == RDF_TYPE and q.object.value == KG + "Entity"}
    assert entity_iri(BASE, "north-korea") in described and entity_iri(BASE, "moscow") in described


def test_qualifiers_and_attribution(quads):
    by_subject: dict[str, dict[str, list]] = {}
    for q in quads:
        by_subject.setdefault(q.subject.value, {}).setdefault(q.predicate.value, []).append(q.object)
    aid = by_subject[statement_iri(BASE, sample_statements()[1])]
    assert aid[KG + "quantity"][0] == ox.Literal("2220", datatype=ox.NamedNode(vocab.XSD_NAMESPACE + "decimal"))
    assert aid[KG + "year"][0] == ox.Literal("1960", datatype=ox.NamedNode(vocab.XSD_NAMESPACE + "gYear"))
    assert aid[KG + "endYear"][0].value == "1970" and aid[KG + "unit"][0].value == "million rubles"
    hedged = by_subject[statement_iri(BASE, sample_statements()[2])]
    assert hedged[KG + "hedged"][0].value == "true" and hedged[KG + "attributedTo"][0].value == "us-intelligence"
    assert KG + "attributedToEntity" not in hedged  # no such entity in the graph
    negated = by_subject[statement_iri(BASE, sample_statements()[3])]
    assert negated[KG + "polarity"][0].value == KG + "Negated"
    met = by_subject[statement_iri(BASE, sample_statements()[6])]
    assert met[KG + "attributedToEntity"][0].value == entity_iri(BASE, KIM.key)
    north_korea = by_subject[entity_iri(BASE, NORTH_KOREA.key)]
    assert north_korea["http://www.w3.org/2002/07/owl#sameAs"][0].value == "http://www.wikidata.org/entity/Q423"
    assert {a.value for a in north_korea["http://www.w3.org/2004/02/skos/core#altLabel"]} == {"DPRK", "Pyongyang"}
    source = by_subject[source_iri(BASE, SOURCE_B.id)]
    assert source["http://purl.org/dc/terms/identifier"][0].value == "archive/memo 1961.txt"


def test_input_order_does_not_matter(quads):
    shuffled = sample_statements()
    random.Random(7).shuffle(shuffled)
    assert statement_quads(shuffled, list(reversed(sample_sources())), sample_build(), BASE) == quads


def test_build_node_and_source_date_epoch():
    assert ended_at_from_source_date_epoch("0") == "1970-01-01T00:00:00Z"
    assert ended_at_from_source_date_epoch(None) is None
    with pytest.raises(OntologyError):
        ended_at_from_source_date_epoch("yesterday")
    info = BuildInfo.from_settings("0.1.0", Settings(model="m", base_iri=BASE), "3.8.0", {"SOURCE_DATE_EPOCH": "86400"})
    assert info.ended_at == "1970-01-02T00:00:00Z"
    assert info.settings_fingerprint == settings_fingerprint(Settings(model="m", base_iri=BASE, batch_size=7))
    assert info.settings_fingerprint != settings_fingerprint(Settings(model="other", base_iri=BASE))
    quads = statement_quads(sample_statements(), sample_sources(), dataclasses.replace(sample_build(), ended_at=info.ended_at), BASE)
    assert any(q.predicate.value == "http://www.w3.org/ns/prov#endedAtTime" for q in quads)
    assert not any(q.predicate.value == "http://www.w3.org/ns/prov#endedAtTime" for q in sample_quads())


def test_literal_helpers():
    assert decimal_literal("2,220", "Quantity").value == "2220"
    assert decimal_literal("1.50", "Quantity").value == "1.5"
    with pytest.raises(OntologyError):
        decimal_literal("about 50", "Quantity")
    assert year_literal(961).value == "0961" and year_literal(-44).value == "-0044"


def test_bad_input_raises_typed_errors():
    good = sample_statements()[0]
    with pytest.raises(OntologyError):
        statement_quads([dataclasses.replace(good, predicate="gaveAid")], sample_sources(), sample_build(), BASE)
    with pytest.raises(OntologyError):
        statement_quads([good], [SOURCE_B], sample_build(), BASE)
    with pytest.raises(OntologyError):
        statement_quads([dataclasses.replace(good, qualifiers=Qualifiers(polarity="maybe"))], sample_sources(),
                        sample_build(), BASE)


# --- SHACL ------------------------------------------------------------------------------------

def _shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(data=vocab.shapes_path().read_text(encoding="utf-8"), format="turtle")


def test_built_graph_conforms_to_the_shapes(quads):
    conforms, _, report = pyshacl.validate(_merged(_expected_graphs(quads)), shacl_graph=_shapes())
    assert conforms, report


def test_broken_graphs_fail_validation(quads):
    graph = _merged(_expected_graphs(quads))
    k = rdflib.Namespace(KG)
    statement = next(graph.subjects(rdflib.RDF.type, k.Statement))
    evidence = graph.value(statement, rdflib.PROV.wasDerivedFrom)

    no_evidence = rdflib.Graph() + graph
    no_evidence.remove((statement, rdflib.PROV.wasDerivedFrom, None))
    bad_offsets = rdflib.Graph() + graph
    bad_offsets.set((evidence, k.charStart, rdflib.Literal(10_000)))
    bad_polarity = rdflib.Graph() + graph
    bad_polarity.set((statement, k.polarity, k.Maybe))
    bad_predicate = rdflib.Graph() + graph
    bad_predicate.set((statement, rdflib.RDF.predicate, rdflib.URIRef("http://example.org/likes")))
    two_labels = rdflib.Graph() + graph
    two_labels.add((rdflib.URIRef(entity_iri(BASE, "north-korea")), rdflib.RDFS.label, rdflib.Literal("DPRK")))
    no_hash = rdflib.Graph() + graph
    no_hash.remove((rdflib.URIRef(source_iri(BASE, SOURCE_A.id)), k.sha256, None))
    for broken in (no_evidence, bad_offsets, bad_polarity, bad_predicate, two_labels, no_hash):
        conforms, _, report = pyshacl.validate(broken, shacl_graph=_shapes())
        assert not conforms


def test_unexpected_kind_is_only_a_warning(quads):
    graph = _merged(_expected_graphs(quads))
    statement = rdflib.URIRef(statement_iri(BASE, sample_statements()[4]))
    graph.set((statement, rdflib.URIRef(KG + "kind"), rdflib.Literal("friendship")))
    conforms, results, _ = pyshacl.validate(graph, shacl_graph=_shapes(), allow_warnings=True)
    assert conforms
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (None, sh.resultSeverity, sh.Warning) in results


# --- files ------------------------------------------------------------------------------------

def test_turtle_round_trips_isomorphically(quads, tmp_path):
    path = write_turtle(quads, tmp_path / "graph.ttl", data_prefixes(BASE))
    parsed = rdflib.Graph().parse(path, format="turtle")
    assert isomorphic(parsed, _merged(_expected_graphs(quads)))
    assert b"@prefix kg: <https://w3id.org/histkg/ontology#>" in path.read_bytes()


def test_trig_and_nquads_keep_the_named_graphs(quads, tmp_path):
    expected = _expected_graphs(quads)
    for path, fmt in ((write_trig(quads, tmp_path / "graph.trig", data_prefixes(BASE)), "trig"),
                      (write_nquads(quads, tmp_path / "graph.nq"), "nquads")):
        dataset = rdflib.Dataset()
        dataset.parse(path, format=fmt)
        named = {str(g.identifier): g for g in dataset.graphs() if len(g)}
        named.pop(str(rdflib.graph.DATASET_DEFAULT_GRAPH_ID), None)
        assert set(named) == {graph_iri(BASE, SOURCE_A.id), graph_iri(BASE, SOURCE_B.id)}
        for name, graph in named.items():
            assert isomorphic(graph, expected[name]), name
        assert isomorphic(dataset.default_graph, expected[None])


def test_jsonld_parses_to_the_same_triples(quads, tmp_path):
    path = write_jsonld(quads, tmp_path / "graph.jsonld")
    dataset = rdflib.Dataset()
    dataset.parse(path, format="json-ld")
    merged = rdflib.Graph()
    for graph in dataset.graphs():
        for triple in graph:
            merged.add(triple)
    assert isomorphic(merged, _merged(_expected_graphs(quads)))


def test_double_write_is_byte_identical(quads, tmp_path):
    first = write_outputs(quads, tmp_path / "one", formats=("ttl", "trig", "nq", "jsonld"), prefixes=data_prefixes(BASE))
    again = write_outputs(sample_quads(), tmp_path / "two", formats=("ttl", "trig", "nq", "jsonld"),
                          prefixes=data_prefixes(BASE))
    for fmt, path in first.items():
        assert path.read_bytes() == again[fmt].read_bytes(), fmt


def test_output_is_byte_identical_across_processes(tmp_path):
    """Another interpreter, another hash seed, shuffled input: the same bytes."""
    script = (
        "import random, sys\n"
        "from pathlib import Path\n"
        "from kg.graph import statement_quads, write_outputs, data_prefixes\n"
        "from test_graph_fixtures import BASE, sample_statements, sample_sources, sample_build\n"
        "statements = sample_statements(); random.Random(int(sys.argv[2])).shuffle(statements)\n"
        "quads = statement_quads(statements, sample_sources(), sample_build(), BASE)\n"
        "write_outputs(quads, Path(sys.argv[1]), formats=('ttl', 'trig'), prefixes=data_prefixes(BASE))\n"
    )
    tests_dir = str(Path(__file__).parent)
    for run, seed in (("a", "1"), ("b", "2")):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": tests_dir}
        subprocess.run([sys.executable, "-c", script, str(tmp_path / run), seed], check=True, env=env)
    for name in ("graph.ttl", "graph.trig"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"old complete graph\n")

    def failing(fh):
        fh.write(b"half a gra")
        raise RuntimeError("disk gone")

    with pytest.raises(RuntimeError):
        atomic_write(target, failing)
    assert target.read_bytes() == b"old complete graph\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_unknown_format_is_refused(quads, tmp_path):
    with pytest.raises(ExportError):
        write_outputs(quads, tmp_path, formats=("rdfxml-please",))


def test_default_prefixes_follow_the_configured_base_iri(quads, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_BASE_IRI", BASE)
    text = write_turtle(quads, tmp_path / "graph.ttl").read_text(encoding="utf-8")
    assert f"@prefix entity: <{BASE}entity/> ." in text and "entity:north-korea" in text
