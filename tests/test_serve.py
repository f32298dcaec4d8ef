"""`kg serve`: SPARQL 1.1 Protocol over the build's store, read-only, with limits."""
from __future__ import annotations

import csv
import io
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg.graph import BuildInfo, statement_quads
from kg.model import Entity, Evidence, Qualifiers, SourceDocument, SourceMetadata, Statement
from kg.serve import ServeOptions, choose_type, make_server
from kg.store import load_quads

BASE = "https://w3id.org/histkg/id/"
KG = "https://w3id.org/histkg/ontology#"


def _statement(source: str, subject: Entity, obj: Entity, predicate: str, year: int, sentence: str) -> Statement:
    return Statement(subject=subject, predicate=predicate, object=obj, qualifiers=Qualifiers(year=year),
                     confidence=0.9, evidence=Evidence(source, 0, len(sentence), sentence, "test.rule"))


def small_output(folder: Path, extra_sentence: str | None = None) -> Path:
    """A build folder with a store of two sources and three facts, made without spaCy."""
    korea = Entity("north-korea", "North Korea", "State", ("DPRK",), "PRK")
    togo = Entity("togo", "Togo", "State", (), "TGO")
    cuba = Entity("cuba", "Cuba", "State", (), "CUB")
    sources = [SourceDocument(id=name, path=Path(name), sha256=str(i) * 64, text="", original_text="",
                              metadata=SourceMetadata(title=name)) for i, name in enumerate(("a.txt", "b.txt"))]
    statements = [
        _statement("a.txt", korea, togo, "diplomaticRelations", 1975, "North Korea and Togo established relations."),
        _statement("a.txt", korea, cuba, "providedAid", 1970, "North Korea sent aid to Cuba, \"quoted\" & <b>."),
        _statement("b.txt", cuba, togo, "diplomaticRelations", 1976, extra_sentence or "Cuba recognised Togo."),
    ]
    quads = statement_quads(statements, sources, BuildInfo("0.1.0", "test-model", "1.0"), BASE)
    load_quads(folder / "store", quads)
    return folder


@pytest.fixture
def endpoint(tmp_path):
    out = small_output(tmp_path / "out")
    server = make_server(out / "store", ServeOptions(host="127.0.0.1", port=0, limit=3, timeout_s=5))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}/sparql", out
    server.shutdown()
    server.server_close()


def _get(url: str, query: str, accept: str | None = None, **params) -> tuple[int, dict, bytes]:
    full = url + "?" + urllib.parse.urlencode({"query": query, **params}, doseq=True)
    request = urllib.request.Request(full, headers={"Accept": accept} if accept else {})
    return _open(request)


def _open(request) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


SELECT_RELATIONS = (f"SELECT ?s ?o WHERE {{ ?s <{KG}diplomaticRelations> ?o }} ORDER BY ?s")


def test_select_as_json_follows_the_results_format(endpoint):
    url, _ = endpoint
    status, headers, body = _get(url, SELECT_RELATIONS)
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    payload = json.loads(body)
    assert payload["head"]["vars"] == ["s", "o"]
    rows = [(b["s"]["value"], b["o"]["value"]) for b in payload["results"]["bindings"]]
    assert rows == [(BASE + "entity/cuba", BASE + "entity/togo"), (BASE + "entity/north-korea", BASE + "entity/togo")]
    assert payload["results"]["bindings"][0]["s"]["type"] == "uri"


def test_literals_keep_datatype_and_survive_xml_csv_and_tsv(endpoint):
    url, _ = endpoint
    query = (f"SELECT ?year ?sentence WHERE {{ ?st <{KG}year> ?year ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?ev ."
             f" ?ev <{KG}sentence> ?sentence FILTER(?year = \"1970\"^^<http://www.w3.org/2001/XMLSchema#gYear>) }}")
    _, _, body = _get(url, query)
    binding = json.loads(body)["results"]["bindings"][0]
    assert binding["year"] == {"type": "literal", "value": "1970",
                               "datatype": "http://www.w3.org/2001/XMLSchema#gYear"}
    assert binding["sentence"] == {"type": "literal", "value": 'North Korea sent aid to Cuba, "quoted" & <b>.'}
    status, headers, body = _get(url, query, accept="application/sparql-results+xml")
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+xml")
    import xml.etree.ElementTree as ET

    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    literal = ET.fromstring(body).find(".//r:binding[@name='sentence']/r:literal", ns)
    assert literal.text == 'North Korea sent aid to Cuba, "quoted" & <b>.'
    _, headers, body = _get(url, query, accept="text/csv")
    assert headers["Content-Type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(body.decode()))) == [
        ["year", "sentence"], ["1970", 'North Korea sent aid to Cuba, "quoted" & <b>.']]
    _, headers, body = _get(url, query, accept="text/tab-separated-values")
    lines = body.decode().splitlines()
    assert lines[0] == "?year\t?sentence"
    assert lines[1].startswith('"1970"^^<http://www.w3.org/2001/XMLSchema#gYear>\t"North Korea sent aid')


def test_post_forms_and_query_bodies_ask_and_construct(endpoint):
    url, _ = endpoint
    ask = f"ASK {{ <{BASE}entity/cuba> <{KG}diplomaticRelations> <{BASE}entity/togo> }}"
    request = urllib.request.Request(url, data=urllib.parse.urlencode({"query": ask}).encode(), method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    status, _, body = _open(request)
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}
    construct = f"CONSTRUCT {{ ?s <{KG}diplomaticRelations> ?o }} WHERE {{ ?s <{KG}diplomaticRelations> ?o }}"
    request = urllib.request.Request(url, data=construct.encode(), method="POST",
                                     headers={"Content-Type": "application/sparql-query",
                                              "Accept": "application/n-triples"})
    status, headers, body = _open(request)
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    assert len(body.decode().strip().splitlines()) == 2


def test_named_graph_parameters_scope_the_query(endpoint):
    url, _ = endpoint
    graph_b = BASE + "graph/b.txt"
    query = f"SELECT ?s WHERE {{ ?s <{KG}diplomaticRelations> ?o }}"
    _, _, body = _get(url, query, **{"default-graph-uri": graph_b})
    assert [b["s"]["value"] for b in json.loads(body)["results"]["bindings"]] == [BASE + "entity/cuba"]


def test_updates_are_refused_in_every_form(endpoint):
    url, out = endpoint
    update = f"INSERT DATA {{ <{BASE}entity/x> <{KG}diplomaticRelations> <{BASE}entity/y> }}"
    assert _get(url, update)[0] == 403
    for content_type, body in (("application/sparql-update", update.encode()),
                               ("application/x-www-form-urlencoded", urllib.parse.urlencode({"update": update}).encode())):
        request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
        assert _open(request)[0] == 403
    status, _, body = _get(url, f"ASK {{ <{BASE}entity/x> ?p ?o }}")
    assert json.loads(body)["boolean"] is False


def test_limits_errors_and_negotiation(endpoint):
    url, _ = endpoint
    status, headers, body = _get(url, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 200 and headers.get("X-KG-Truncated") == "true"
    assert len(json.loads(body)["results"]["bindings"]) == 3
    status, _, body = _get(url, "SELECT WHERE {")
    assert status == 400 and b"E600" in body
    assert _get(url, SELECT_RELATIONS, accept="image/png")[0] == 406
    assert _open(urllib.request.Request(url))[0] == 400
    assert _open(urllib.request.Request(url.replace("/sparql", "/nothing")))[0] == 404


def test_a_slow_query_is_stopped_at_the_time_limit(tmp_path):
    out = small_output(tmp_path / "out")
    server = make_server(out / "store", ServeOptions(port=0, timeout_s=0.2, limit=10))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        host, port = server.server_address[:2]
        # about two seconds of work (87 quads cubed, four times): long enough, short-lived after
        slow = "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { 1 2 3 4 } ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        status, _, body = _get(f"http://{host}:{port}/sparql", slow)
        assert status == 503 and b"did not finish" in body
    finally:
        server.shutdown()
        server.server_close()


def test_a_rebuilt_store_is_picked_up(endpoint):
    url, out = endpoint
    small_output(out, extra_sentence="Cuba and Togo exchanged ambassadors.")
    query = f"SELECT ?t WHERE {{ ?e <{KG}sentence> ?t FILTER(CONTAINS(?t, \"ambassadors\")) }}"
    assert len(json.loads(_get(url, query)[2])["results"]["bindings"]) == 1


def test_accept_header_choice():
    offered = ["application/sparql-results+json", "text/csv"]
    assert choose_type(None, offered) == "application/sparql-results+json"
    assert choose_type("text/csv;q=0.9, application/sparql-results+json;q=0.5", offered) == "text/csv"
    assert choose_type("text/*", offered) == "text/csv"
    assert choose_type("*/*", offered) == offered[0]
    assert choose_type("image/png", offered) is None
