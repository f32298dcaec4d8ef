"""SPARQL over the fixture store: saved queries, safe parameters, refusals, formats."""
from __future__ import annotations

import csv
import io
import json
import time
from decimal import Decimal

import pytest

from kg.errors import OutputMissingError, QueryError
from kg.iris import entity_iri
from kg.sparql import (
    Iri, QueryResult, _with_timeout, format_result, is_update, list_saved_queries, parse_saved_query, run_query,
)
from kg.store import load_quads, open_store

from test_graph_fixtures import BASE, SOURCE_A, SOURCE_B, sample_quads

SAVED = {"entity", "relations-by-year", "aid-flows", "agreements-by-party", "visits", "negated-or-hedged",
         "predicate-counts", "sources"}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("build") / "store"
    load_quads(path, sample_quads())
    return path


def _quad_count(path) -> int:
    return len(open_store(path, read_only=True))


def test_saved_queries_are_listed_with_their_headers():
    queries = {q.name: q for q in list_saved_queries()}
    assert SAVED <= set(queries)  # others may ship more saved queries
    for query in queries.values():
        assert query.title and query.title != query.name and query.description
    assert [(p.name, p.type, p.required) for p in queries["entity"].params] == [("entity", "string", True)]
    assert [(p.name, p.type, p.required) for p in queries["relations-by-year"].params] == [
        ("from", "integer", False), ("to", "integer", False)]


def test_entity_by_label_alias_key_or_iri(store_path):
    by_label = run_query(store_path, "entity", {"entity": "North Korea"})
    assert len(by_label.rows) == 6
    for spelling in ("dprk", "NORTH-KOREA", entity_iri(BASE, "north-korea")):
        assert run_query(store_path, "entity", {"entity": spelling}).rows == by_label.rows
    rows = by_label.as_dicts()
    assert {(r["role"], r["predicate"], r["otherLabel"]) for r in rows} == {
        ("subject", "diplomaticRelations", "Cameroon"), ("object", "diplomaticRelations", "Soviet Union"),
        ("object", "providedAid", "Soviet Union"), ("subject", "providedAid", "Angola"),
        ("object", "signedAgreement", "Cameroon"), ("subject", "memberOf", "Non-Aligned Movement")}
    negated = next(r for r in rows if r["predicate"] == "memberOf")
    assert negated["polarity"] == "negated" and negated["year"] == 1975
    assert negated["sentence"].startswith("In 1975") and negated["source"] == SOURCE_A.id
    assert SOURCE_A.text[negated["charStart"]:negated["charEnd"]] == negated["sentence"]
    assert run_query(store_path, "entity", {"entity": "Atlantis"}).rows == ()


def test_relations_by_year_with_range(store_path):
    everything = run_query(store_path, "relations-by-year")
    assert [(r["year"], r["stateA"], r["stateB"], r["source"]) for r in everything.as_dicts()] == [
        (1948, "Soviet Union", "North Korea", SOURCE_B.id), (1972, "North Korea", "Cameroon", SOURCE_A.id)]
    ranged = run_query(store_path, "relations-by-year", {"from": 1950, "to": "1980"})
    assert [r["year"] for r in ranged.as_dicts()] == [1972]


def test_aid_flows(store_path):
    rows = run_query(store_path, "aid-flows").as_dicts()
    soviet = next(r for r in rows if r["donorLabel"] == "Soviet Union")
    assert (soviet["recipientLabel"], soviet["kind"], soviet["quantity"], soviet["unit"], soviet["year"],
            soviet["endYear"], soviet["hedged"]) == ("North Korea", "economic", Decimal("2220"), "million rubles",
                                                     1960, 1970, False)
    hedged = next(r for r in rows if r["donorLabel"] == "North Korea")
    assert hedged["hedged"] is True and hedged["attributedTo"] == "us-intelligence"
    only_soviet = run_query(store_path, "aid-flows", {"donor": "soviets"}).as_dicts()
    assert [r["donorLabel"] for r in only_soviet] == ["Soviet Union"]
    assert run_query(store_path, "aid-flows", {"recipient": "angola"}).as_dicts()[0]["donorLabel"] == "North Korea"


def test_agreements_by_party_reads_both_sides(store_path):
    rows = run_query(store_path, "agreements-by-party", {"party": "North Korea"}).as_dicts()
    assert [(r["partyLabel"], r["counterpartLabel"], r["kind"], r["agreement"], r["year"]) for r in rows] == [
        ("North Korea", "Cameroon", "trade", "trade agreement", 1973)]
    assert len(run_query(store_path, "agreements-by-party").rows) == 2


def test_visits(store_path):
    rows = run_query(store_path, "visits", {"visitor": "Kim Il-sung"}).as_dicts()
    assert [(r["visitorLabel"], r["destinationLabel"], r["year"], r["timeText"]) for r in rows] == [
        ("Kim Il Sung", "Moscow", 1961, "June 1961")]


def test_negated_or_hedged(store_path):
    rows = run_query(store_path, "negated-or-hedged").as_dicts()
    assert {(r["predicate"], r["polarity"], r["hedged"], r["attributedTo"]) for r in rows} == {
        ("providedAid", "affirmed", True, "us-intelligence"), ("memberOf", "negated", False, None)}


def test_predicate_counts(store_path):
    rows = {r["predicate"]: r for r in run_query(store_path, "predicate-counts").as_dicts()}
    assert rows["diplomaticRelations"]["statements"] == 2 and rows["diplomaticRelations"]["sources"] == 2
    assert (rows["providedAid"]["statements"], rows["providedAid"]["hedgedCount"], rows["providedAid"]["plain"]) == (2, 1, 1)
    assert rows["memberOf"]["negated"] == 1 and rows["memberOf"]["plain"] == 0
    assert sum(r["statements"] for r in rows.values()) == 8


def test_sources(store_path):
    rows = run_query(store_path, "sources").as_dicts()
    assert [(r["source"], r["genre"], r["statements"], r["sha256"]) for r in rows] == [
        (SOURCE_A.id, "scholarly", 5, SOURCE_A.sha256), (SOURCE_B.id, "archival", 3, SOURCE_B.sha256)]


def test_parameter_injection_is_harmless(store_path):
    before = _quad_count(store_path)
    for attack in ('"> } ; DROP ALL #', "x\" ) } } DELETE WHERE { ?s ?p ?o } #", "\\\" } \n SELECT * {"):
        assert run_query(store_path, "entity", {"entity": attack}).rows == ()
    with pytest.raises(QueryError):
        run_query(store_path, "relations-by-year", {"from": "1950 } DROP ALL #"})
    assert _quad_count(store_path) == before


def test_parameter_errors(store_path):
    with pytest.raises(QueryError, match="needs parameter 'entity'"):
        run_query(store_path, "entity")
    with pytest.raises(QueryError, match="no parameter 'year'"):
        run_query(store_path, "visits", {"year": 1961})
    with pytest.raises(QueryError):
        run_query(store_path, "SELECT * WHERE { ?s ?p ?o }", {"anything": "x"})
    with pytest.raises(QueryError, match="No saved query"):
        run_query(store_path, "aid-flow")


def test_malformed_query_reports_the_engine_message(store_path):
    with pytest.raises(QueryError) as info:
        run_query(store_path, "SELECT ?s WHERE { ?s ?p }")
    assert info.value.code == "E600" and "Malformed SPARQL" in str(info.value) and "error at" in str(info.value)


def test_update_is_refused_unless_allowed(store_path, tmp_path):
    before = _quad_count(store_path)
    for update in ("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
                   "# a comment\nPREFIX ex: <http://example.org/>\nBASE <http://example.org/>\ndelete where { ?s ?p ?o }",
                   "DROP ALL"):
        with pytest.raises(QueryError, match="UPDATE is refused"):
            run_query(store_path, update)
    assert _quad_count(store_path) == before
    scratch = tmp_path / "store"
    load_quads(scratch, sample_quads())
    result = run_query(scratch, "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }", allow_update=True)
    assert result.kind == "update"
    assert _quad_count(scratch) < before


def test_is_update_looks_past_prologue_strings_and_comments():
    assert not is_update('SELECT * WHERE { ?s ?p "INSERT DATA" } # DELETE')
    assert not is_update("PREFIX insert: <http://x/> SELECT * WHERE { ?s insert:p ?o }")
    assert is_update("PREFIX : <http://x/>\nWITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }")


def test_ask_construct_limit_and_union_default_graph(store_path):
    assert run_query(store_path, "ASK { ?s a <https://w3id.org/histkg/ontology#Statement> }").boolean is True
    built = run_query(store_path, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", limit=3)
    assert built.kind == "construct" and len(built.rows) == 3 and built.truncated
    statements = "SELECT ?s WHERE { ?s a <https://w3id.org/histkg/ontology#Statement> }"
    assert len(run_query(store_path, statements).rows) == 8
    assert run_query(store_path, statements, union_default_graph=False).rows == ()
    assert all(isinstance(row[0], Iri) for row in run_query(store_path, statements).rows)


def test_query_from_rq_file(store_path, tmp_path):
    path = tmp_path / "labels.rq"
    path.write_text("# title: Labels\n# param: key string - entity key\n"
                    "SELECT ?label WHERE { #@params\n ?e <http://www.w3.org/2000/01/rdf-schema#label> ?label "
                    "FILTER(STRENDS(STR(?e), CONCAT('/', ?key))) }\n", encoding="utf-8")
    assert run_query(store_path, path, {"key": "moscow"}).rows == (("Moscow",),)
    assert run_query(store_path, str(path), {"key": "angola"}).rows == (("Angola",),)


def test_declared_params_need_the_marker():
    with pytest.raises(QueryError, match="#@params"):
        parse_saved_query("# param: x\nSELECT * WHERE { ?s ?p ?o }", "bad")


def test_timeout_gives_up_waiting():
    started = time.monotonic()
    with pytest.raises(QueryError, match="did not finish"):
        _with_timeout(lambda: time.sleep(2), 0.05)
    assert time.monotonic() - started < 1.5
    assert _with_timeout(lambda: 42, 1.0) == 42


def test_missing_store(tmp_path):
    with pytest.raises(OutputMissingError):
        run_query(tmp_path / "no-store", "sources")


def test_formats_escape_and_parse_back():
    result = QueryResult(("name", "amount", "iri", "flag"),
                         (("bad\x1b[2Jname\nrow", Decimal("2.5"), Iri("https://w3id.org/histkg/ontology#met"), True),
                          (None, Decimal("10"), Iri("http://example.org/x"), False)))
    table = format_result(result, "table")
    assert "\x1b" not in table and "\\x1b[2Jname\\nrow" in table and "kg:met" in table
    assert table.count("\n") == 5  # header, rule, two rows, footer
    rows = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert rows[1] == ["bad\x1b[2Jname\nrow", "2.5", "https://w3id.org/histkg/ontology#met", "true"]
    assert rows[2] == ["", "10", "http://example.org/x", "false"]
    data = json.loads(format_result(result, "json"))
    assert data["rows"][0]["amount"] == 2.5 and data["rows"][1]["amount"] == 10 and data["rows"][1]["name"] is None
    with pytest.raises(QueryError):
        format_result(result, "xml")


def test_real_result_formats(store_path):
    result = run_query(store_path, "sources")
    assert json.loads(format_result(result, "json"))["rows"][0]["source"] == SOURCE_A.id
    assert format_result(result, "table").splitlines()[-1] == "(2 rows)"
