"""End to end on the bundled sources: outputs, SHACL, determinism, round trips."""
from __future__ import annotations

import json

import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.builder import segments

pytestmark = pytest.mark.model


def test_segments_cover_the_text_and_respect_the_limit():
    text = ("Paragraph one is here.\n\n" * 50) + "x" * 30
    pieces = segments(text, limit=100)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))
    assert all(end - start <= 100 for start, end in pieces)
    assert all(text[end - 1] == "\n" for _, end in pieces[:-1])


def test_build_writes_every_output(corpus_build):
    out = corpus_build.out_dir
    for name in ("graph.ttl", "graph.trig", "statements.jsonl", "graph.html", "build.json"):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    assert (out / "store").is_dir()
    assert not list(out.glob(".kg-build-*")), "staging folder left behind"
    assert corpus_build.documents == 2 and not corpus_build.failures
    assert corpus_build.statements > 100
    assert corpus_build.entities_by_type.get("State", 0) > 30


def test_statements_jsonl_follows_the_scorer_contract(corpus_build):
    fields = {"doc", "predicate", "subject", "subject_label", "subject_aliases", "subject_type", "object",
              "object_label", "object_aliases", "object_type", "year", "end_year", "time_text", "kind",
              "kind_text", "quantity", "unit", "polarity", "hedged", "attributed_to", "evidence", "char_start",
              "char_end", "confidence", "rule"}
    lines = (corpus_build.out_dir / "statements.jsonl").read_text(encoding="utf-8").splitlines()
    originals = {}
    for line in lines:
        record = json.loads(line)
        assert fields <= record.keys()
        assert record["polarity"] in ("affirmed", "negated")
        path = f"sources/{record['doc']}"
        if path not in originals:
            from tests.conftest import REPO

            originals[path] = (REPO / path).read_text(encoding="utf-8")
        original = originals[path]
        # the offsets point into the original file: the evidence's words are there
        excerpt = " ".join(original[record["char_start"]:record["char_end"]].split())
        first_words = " ".join(record["evidence"].split()[:2])
        assert excerpt.startswith(first_words[:5]), (record["evidence"], excerpt)


def test_built_graph_passes_shacl(corpus_build):
    pyshacl = pytest.importorskip("pyshacl")
    from kg.vocab import load_ontology, shapes_path

    data = rdflib.Graph().parse(corpus_build.out_dir / "graph.ttl", format="turtle")
    conforms, _, report = pyshacl.validate(data, shacl_graph=rdflib.Graph().parse(shapes_path()),
                                           ont_graph=load_ontology(), inference="none")
    assert conforms, report


def test_turtle_and_trig_round_trip_to_the_store(corpus_build):
    from kg.store import read_quads

    out = corpus_build.out_dir
    trig = rdflib.Dataset()
    trig.parse(out / "graph.trig", format="trig")
    turtle = rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    merged = rdflib.Graph()
    for s, p, o, _ in trig.quads((None, None, None, None)):
        merged.add((s, p, o))
    assert isomorphic(merged, turtle)
    quads = read_quads(out / "store")
    from_store = rdflib.Graph()
    from_store.parse(data="".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads), format="nt")
    assert isomorphic(from_store, turtle)
    # one named graph per source document
    graphs = {str(g.identifier) for g in trig.graphs() if len(g) and str(g.identifier).find("/graph/") >= 0}
    assert len(graphs) == 2


def test_two_builds_are_byte_identical(corpus_build, tmp_path):
    from kg.builder import build
    from kg.settings import Settings
    from tests.conftest import SOURCES

    second = build([SOURCES], tmp_path / "again", Settings(n_process=1))
    for name in ("graph.ttl", "graph.trig", "statements.jsonl", "graph.html"):
        assert (corpus_build.out_dir / name).read_bytes() == (second.out_dir / name).read_bytes(), name


def test_saved_query_returns_rows_with_their_sources(corpus_build):
    import kg

    result = kg.query("relations-by-year", out=corpus_build.out_dir)
    assert result.rows
    source_col = result.columns.index("source")
    sentence_col = result.columns.index("sentence")
    assert all(row[source_col] and row[sentence_col] for row in result.rows)
