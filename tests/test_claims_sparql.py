"""The saved queries conflicts.rq, asof.rq and source-facts.rq over an Oxigraph store loaded from
the fixture: they answer as kg.claims does, and their relation lists follow the rule data."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from pyoxigraph import DefaultGraph

from kg.claims import ClaimRules, claim_key, conflicts, default_rules, parse_rules
from kg.claims_compare import as_of
from kg.graph import BuildInfo, statement_quads
from kg.model import SourceDocument, SourceMetadata
from kg.sparql import run_query, saved_query
from kg.store import load_quads
from kg.vocab import KG_NAMESPACE, SYMMETRIC_RELATIONS
from test_claims_fixture import (
    BASE, CAMEROON, GENRES, KIM, MOSCOW, NAM, NORTH_KOREA, PAPER, POLEMIC, TELEGRAM, fixture_statements, statement,
)

QUERIES = Path(__file__).resolve().parent.parent / "kg" / "queries"


def _load(folder: Path, statements, rules: ClaimRules | None = None) -> Path:
    sources = [SourceDocument(id=sid, path=Path(sid), sha256="0" * 64, text="", original_text="",
                              metadata=SourceMetadata(genre=genre)) for sid, genre in GENRES.items()]
    store = folder / "store"
    load_quads(store, statement_quads(statements, sources, BuildInfo("test", "none"), BASE, claim_rules=rules))
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return _load(tmp_path_factory.mktemp("claims-sparql"), fixture_statements())


def _key(row: dict) -> tuple[str, str, str]:
    subject, obj = row["subject"].rsplit("/", 1)[1], row["object"].rsplit("/", 1)[1]
    if row["predicate"] in SYMMETRIC_RELATIONS and obj < subject:
        subject, obj = obj, subject
    return subject, row["predicate"], obj


def _disagreements(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["disagreement"], []).append(row)
    return grouped


def test_conflicts_query_finds_what_claims_finds(store):
    rows = run_query(store, "conflicts").as_dicts()
    found = _disagreements(rows)
    from_sparql = {(group[0]["type"], _key(group[0]), tuple(sorted({r["source"] for r in group})))
                   for group in found.values()}
    from_python = conflicts(fixture_statements(), GENRES)
    assert from_sparql == {(c.type, c.key, c.sources) for c in from_python}
    assert len(found) == len(from_python)
    # one row per statement on each side, the sides of a disagreement in order
    assert len(rows) == sum(len(side.attestations) for c in from_python for side in c.sides)
    for group in found.values():
        assert [r["side"] for r in group] == sorted(r["side"] for r in group)
    quantity = next(group for group in found.values() if group[0]["type"] == "quantity")
    assert [(r["value"], r["genre"]) for r in quantity] == [("2000", "scholarly"), ("5000", "archival")]
    assert "5000 Soviet soldiers" in quantity[1]["sentence"]
    assert quantity[0]["scope"] == "year 1975, kind troops"
    polarity = next(group for group in found.values() if group[0]["type"] == "polarity")
    assert [(r["side"], r["value"], r["source"]) for r in polarity] == [(1, "affirmed", PAPER),
                                                                      (2, "negated", POLEMIC)]


def test_conflicts_query_filters_by_entity(store):
    rows = run_query(store, "conflicts", params={"entity": "angola"}).as_dicts()
    assert {(row["type"], row["predicate"]) for row in rows} == {("polarity", "providedAid")}
    by_alias = run_query(store, "conflicts", params={"entity": "Kim Il-sung"}).as_dicts()
    assert {row["predicate"] for row in by_alias} == {"leaderOf"}


def test_conflicts_query_sees_no_conflict_in_agreeing_sources(tmp_path):
    agreeing = [s for s in fixture_statements() if s.predicate in ("visited",)] + [
        s for s in fixture_statements() if s.object.key == "egypt" or s.subject.key == "egypt"]
    assert run_query(_load(tmp_path, agreeing), "conflicts").rows == ()


@pytest.mark.parametrize("year", [1950, 1961, 1975, 1995])
def test_asof_query_answers_as_kg_asof_does(store, year):
    rows = run_query(store, "asof", params={"year": year}).as_dicts()
    assert {_key(row) for row in rows} == {h.key for h in as_of(fixture_statements(), year, GENRES)}
    assert all(row["since"] <= year for row in rows)


def test_asof_query_respects_ends_reported_by_other_sources(tmp_path):
    stmts = [statement(NORTH_KOREA, "memberOf", NAM, PAPER, "joined", year=1976),
             statement(NORTH_KOREA, "memberOf", NAM, TELEGRAM, "left", year=1976, end_year=1980)]
    store = _load(tmp_path, stmts)
    assert len(run_query(store, "asof", params={"year": 1978}).rows) == 2
    assert run_query(store, "asof", params={"year": 1985}).rows == ()
    assert as_of(stmts, 1985) == []


def test_source_facts_lists_one_source_by_id_or_file_name(store):
    by_id = run_query(store, "source-facts", params={"source": TELEGRAM}).as_dicts()
    by_name = run_query(store, "source-facts", params={"source": "telegram 1975.txt"}).as_dicts()
    expected = [s for s in fixture_statements() if s.evidence.source_id == TELEGRAM]
    assert by_id == by_name
    assert len(by_id) == len(expected)
    assert {row["genre"] for row in by_id} == {"archival"}
    assert {(_key(row), row["polarity"], row["hedged"]) for row in by_id} == {
        (claim_key(s), s.qualifiers.polarity, s.qualifiers.hedged) for s in expected}
    assert run_query(store, "source-facts", params={"source": "unknown.txt"}).rows == ()


def test_saved_queries_declare_their_parameters():
    assert [p.name for p in saved_query("asof").params] == ["year"]
    assert [(p.name, p.required) for p in saved_query("source-facts").params] == [("source", True)]
    assert [(p.name, p.required) for p in saved_query("conflicts").params] == [("entity", False)]


# --- the queries' relation lists follow the rule data ---------------------------------------

def _marked_lists(name: str) -> dict[str, set[str]]:
    """Relation lists in a query, by the marker comment that ends their line."""
    found: dict[str, set[str]] = {}
    for line in (QUERIES / name).read_text(encoding="utf-8").splitlines():
        marker = re.search(r"#\s*((?:time|as_of):\s*\w+|symmetric)\s*$", line)
        if marker:
            label = re.sub(r"\s+", " ", marker.group(1))
            found.setdefault(label, set()).update(re.findall(r"kg:(\w+)", line.split("#")[0]))
    return found


def test_conflicts_query_reads_what_the_build_derived_with_its_rules(tmp_path):
    visits = [statement(KIM, "visited", MOSCOW, PAPER, "Kim went to Moscow in 1956.", year=1956),
              statement(KIM, "visited", MOSCOW, TELEGRAM, "Kim went to Moscow in 1961.", year=1961)]
    assert run_query(_load(tmp_path / "default", visits), "conflicts").rows == ()  # visits repeat
    every_visit_once = parse_rules({"relations": {"visited": {"time": "once"}}})
    rows = run_query(_load(tmp_path / "custom", visits, every_visit_once), "conflicts").as_dicts()
    assert [(r["type"], r["side"], r["value"], r["source"]) for r in rows] == [
        ("year", 1, "1956", PAPER), ("year", 2, "1961", TELEGRAM)]
    assert "1961" in rows[1]["sentence"]


def test_conflicts_query_keeps_only_statements_that_can_clash(tmp_path):
    # a denial for 1970 contradicts the 1970 claim, not the 1972 one of a third source
    stmts = [statement(NORTH_KOREA, "diplomaticRelations", CAMEROON, PAPER, "Relations in 1970.", year=1970),
             statement(NORTH_KOREA, "diplomaticRelations", CAMEROON, TELEGRAM, "No relations in 1970.", year=1970,
                       polarity="negated"),
             statement(NORTH_KOREA, "diplomaticRelations", CAMEROON, POLEMIC, "Relations in 1972.", year=1972)]
    rows = run_query(_load(tmp_path, stmts), "conflicts").as_dicts()
    assert [(r["value"], r["source"]) for r in rows if r["type"] == "polarity"] == [
        ("affirmed", PAPER), ("negated", TELEGRAM)]
    assert [(r["value"], r["source"]) for r in rows if r["type"] == "year"] == [("1970", PAPER), ("1972", POLEMIC)]


def test_the_build_writes_each_disagreement_once_with_a_side_per_value_and_source():
    from kg.graph.disagreements import disagreement_quads
    from kg.vocab import KG

    sources = [SourceDocument(id=sid, path=Path(sid), sha256="0" * 64, text="", original_text="",
                              metadata=SourceMetadata(genre=genre)) for sid, genre in GENRES.items()]
    quads = statement_quads(fixture_statements(), sources, BuildInfo("test", "none"), BASE)
    kinds = [str(q.object.value) for q in quads if q.predicate.value == str(KG.disagreementType)]
    assert sorted(kinds) == sorted(c.type for c in conflicts(fixture_statements()))
    assert all(isinstance(q.graph_name, DefaultGraph) for q in quads if "disagreement/" in q.subject.value)
    shuffled = statement_quads(list(reversed(fixture_statements())), sources, BuildInfo("test", "none"), BASE)
    assert [q for q in quads if "disagreement/" in q.subject.value] == \
        [q for q in shuffled if "disagreement/" in q.subject.value]
    assert not any("disagreement/" in q.subject.value for q in statement_quads(
        fixture_statements(), sources, BuildInfo("test", "none"), BASE, disagreements=False))
    assert disagreement_quads([], BASE, {}, {}, lambda name: None, None, lambda s: None) == []


def test_query_relation_lists_match_claims_rules_and_the_ontology():
    rules = default_rules().relations
    by_as_of = {a: {n for n, r in rules.items() if r.as_of == a} for a in ("holds", "done")}
    assert _marked_lists("conflicts.rq") == {}  # conflicts.rq reads what the build derived from the rules
    assert _marked_lists("asof.rq") == {"as_of: holds": by_as_of["holds"], "as_of: done": by_as_of["done"],
                                        "symmetric": set(SYMMETRIC_RELATIONS)}


def test_disagreement_nodes_conform_to_the_shapes_and_a_one_sided_one_does_not():
    import pyshacl
    import rdflib
    from pyoxigraph import RdfFormat, serialize

    from kg import vocab

    sources = [SourceDocument(id=sid, path=Path(sid), sha256="0" * 64, text="", original_text="",
                              metadata=SourceMetadata(genre=genre)) for sid, genre in GENRES.items()]
    quads = statement_quads(fixture_statements(), sources, BuildInfo("test", "none"), BASE)
    dataset = rdflib.Dataset()
    dataset.parse(data=serialize(quads, format=RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
    merged = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        merged.add((s, p, o))
    shapes = rdflib.Graph().parse(vocab.shapes_path(), format="turtle")
    kg = rdflib.Namespace(KG_NAMESPACE)
    assert len(set(merged.subjects(rdflib.RDF.type, kg.Disagreement))) == len(conflicts(fixture_statements()))
    conforms, _, report = pyshacl.validate(merged, shacl_graph=shapes)
    assert conforms, report
    disagreement = next(merged.subjects(rdflib.RDF.type, kg.Disagreement))
    one_sided = rdflib.Graph() + merged
    for side in list(one_sided.objects(disagreement, kg.side))[1:]:
        one_sided.remove((disagreement, kg.side, side))
    assert not pyshacl.validate(one_sided, shacl_graph=shapes)[0]
