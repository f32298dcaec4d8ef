"""Saved-query parameters that name an entity: resolved before the query runs (fast in Oxigraph),
or written into the query as a subquery (portable); both give the same rows."""
from __future__ import annotations

import re

import pytest
from pyoxigraph import Store

from kg.iris import entity_iri
from kg.sparql import (
    PARAMS_MARKER, _collect, bind_params, entity_params, list_saved_queries, parse_saved_query, resolve_entities, run_query,
    saved_query,
)
from kg.store import load_quads, open_store

from test_graph_fixtures import BASE, sample_quads


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("build") / "store"
    load_quads(path, sample_quads())
    return path


def _rows_of_text(store_path, text):
    return _collect(open_store(store_path, read_only=True), text, None, True).rows


def test_a_string_parameter_names_an_entity_when_its_query_uses_the_node_variable():
    query = parse_saved_query(f"# title: t\n# description: d\n# param: who string - x\n# param: n integer - y\n"
                              f"SELECT * WHERE {{ {PARAMS_MARKER} ?whoNode ?p ?o }}", "t")
    assert [p.name for p in entity_params(query)] == ["who"]
    plain = parse_saved_query(f"# title: t\n# description: d\n# param: who string - x\n"
                              f"SELECT * WHERE {{ {PARAMS_MARKER} ?whoNodes ?p ?o }}", "t")
    assert entity_params(plain) == ()


@pytest.mark.parametrize("spelling", ["North Korea", "north korea", "DPRK", "dprk", "NORTH-KOREA",
                                      entity_iri(BASE, "north-korea")])
def test_resolve_entities_by_label_alias_key_or_iri_ignoring_case(store_path, spelling):
    store = open_store(store_path, read_only=True)
    assert resolve_entities(store, spelling) == (entity_iri(BASE, "north-korea"),)


def test_resolve_entities_finds_nothing_for_an_unknown_or_hostile_name(store_path):
    store = open_store(store_path, read_only=True)
    assert resolve_entities(store, "Atlantis") == ()
    assert resolve_entities(store, '"> } ; DROP ALL #') == ()


def test_no_match_binds_no_row_so_the_query_has_no_answer():
    text = bind_params(saved_query("entity"), {"entity": "Atlantis"}, {"entity": ()})
    assert "VALUES (?entity ?entityNode) {  }" in text
    assert list(Store().query(text)) == []


def test_several_matches_bind_one_row_each():
    text = bind_params(saved_query("entity"), {"entity": "x"}, {"entity": ("http://a.example/1", "http://a.example/2")})
    assert '("x" <http://a.example/1>) ("x" <http://a.example/2>)' in text


@pytest.mark.parametrize("name,params", [
    ("entity", {"entity": "dprk"}), ("entity", {"entity": "Soviet Union"}), ("entity", {"entity": "Atlantis"}),
    ("aid-flows", {"donor": "ussr"}), ("aid-flows", {"recipient": "North Korea"}), ("aid-flows", {}),
    ("visits", {"visitor": "kim il sung"}), ("agreements-by-party", {"party": "north-korea"}),
    ("conflicts", {"entity": "North Korea"}), ("conflicts", {}),
])
def test_resolved_and_portable_texts_give_the_same_rows(store_path, name, params):
    portable = _rows_of_text(store_path, bind_params(saved_query(name), params))
    assert run_query(store_path, name, params).rows == portable
    if params and name == "entity" and params["entity"] != "Atlantis":
        assert portable  # the comparison is about real answers


def test_every_node_variable_belongs_to_a_declared_parameter():
    for query in list_saved_queries():
        for param in entity_params(query):
            assert param.type == "string"


def test_source_parameters_match_id_file_name_or_iri(store_path):
    from kg.iris import source_iri
    from kg.sparql import resolve_nodes
    from test_graph_fixtures import SOURCE_B

    store = open_store(store_path, read_only=True)
    wanted = (source_iri(BASE, SOURCE_B.id),)
    file_name = SOURCE_B.id.rsplit("/", 1)[-1]
    for spelling in (SOURCE_B.id, file_name, source_iri(BASE, SOURCE_B.id)):
        assert resolve_nodes(store, "source", spelling) == wanted, spelling
    assert resolve_nodes(store, "source", "memo") == ()  # a file name is matched whole


def test_identifier_parameters_match_wikidata_ids_and_iso_codes_in_any_case(store_path):
    from kg.sparql import resolve_nodes

    store = open_store(store_path, read_only=True)
    north_korea = (entity_iri(BASE, "north-korea"),)
    for spelling in ("Q423", "q423", "http://www.wikidata.org/entity/Q423"):
        assert resolve_nodes(store, "identifier", spelling) == north_korea, spelling
    assert resolve_nodes(store, "identifier", "Q1") == ()


def test_each_kind_of_node_parameter_is_matched_by_its_data_file():
    from kg.sparql import NODE_KINDS, node_matcher, node_params

    for kind in NODE_KINDS:
        matcher = node_matcher(kind)
        assert "?node" in matcher.pattern and "?value" in matcher.pattern and matcher.description
        # prefixed names are written out: the pattern goes into queries that declare other prefixes
        assert not re.search(r"(?<![<\w/#])(kg|skos|dcterms|owl|rdfs|rdf):[A-Za-z]", matcher.pattern), kind
    kinds = {q.name: [k for _, k in node_params(q)] for q in list_saved_queries()}
    assert kinds["source-facts"] == ["source"] and kinds["by-identifier"] == ["identifier"]
    assert kinds["entity"] == ["entity"]
