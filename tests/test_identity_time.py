"""Identity over time: time-scoped names read by year and document, successions in the graph."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from kg.extract.gazetteer import load_gazetteer
from kg.graph import BuildInfo, statement_quads
from kg.jsonl import dumps_statements, read_statements
from kg.model import Entity, Evidence, Extraction, Mention, Qualifiers, SourceDocument, SourceMetadata, Statement
from kg.resolve import resolve
from kg.timescope import (
    BY_CONTEXT, BY_PERIOD, OUT_OF_PERIOD, UNCLEAR, check_rules, count_cues_in_text, load_time_scoped_names, read_name,
)

BASE = "https://example.org/kg/"
KG = "https://w3id.org/histkg/ontology#"


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def _doc(text: str, date: str | None = None, source_id: str = "doc.txt") -> SourceDocument:
    return SourceDocument(source_id, Path(source_id), hashlib.sha256(text.encode()).hexdigest(), text, text,
                          metadata=SourceMetadata(date=date))


def _fact(doc: SourceDocument, subject: str, obj: str, predicate: str = "signedAgreement", year: int | None = None,
          subject_key: str | None = None, object_key: str | None = None) -> Extraction:
    """A fact between the first occurrences of two names, its evidence the sentence holding them."""
    text = doc.text
    s, o = text.index(subject), text.index(obj)
    start = text.rfind(". ", 0, min(s, o)) + 2 if text.rfind(". ", 0, min(s, o)) >= 0 else 0
    end = text.index(".", max(s, o)) + 1
    return Extraction(Mention(subject, s, s + len(subject), "State", subject_key),
                      predicate, Mention(obj, o, o + len(obj), "State", object_key),
                      Qualifiers(year=year), 0.9, Evidence(doc.id, start, end, text[start:end], "test.rule"))


GDR_TEXT = ("In 1977 Germany signed a treaty of friendship with Mozambique. Erich Honecker flew to Maputo for the "
            "ceremony. The GDR had trained Mozambican officials since 1975, and the SED welcomed them in East Berlin.")


def test_germany_in_a_1977_text_about_the_gdr_is_east_germany(gaz):
    doc = _doc(GDR_TEXT, "1979")
    [statement] = resolve([_fact(doc, "Germany", "Mozambique", year=1977, subject_key="germany")],
                          gazetteer=gaz, documents=[doc])
    assert statement.subject.key == "east-germany" and statement.subject.wikidata == "Q16957"
    assert statement.subject.iso_code == "DDDE"
    assert "Germany" in statement.subject.aliases  # how the text named it is kept
    [resolution] = statement.resolutions
    assert (resolution.role, resolution.surface, resolution.key, resolution.rule) == (
        "subject", "Germany", "east-germany", BY_CONTEXT)
    assert "1977" in resolution.note and "East Germany" in resolution.note


def test_germany_stays_germany_when_the_text_names_both_german_states(gaz):
    text = ("In 1977 Germany signed a treaty with Mozambique. East Germany and West Germany both courted Maputo; "
            "Bonn and the GDR competed, and Helmut Schmidt answered Honecker.")
    doc = _doc(text)
    [statement] = resolve([_fact(doc, "Germany", "Mozambique", year=1977, subject_key="germany")],
                          gazetteer=gaz, documents=[doc])
    assert statement.subject.key == "germany"
    assert statement.resolutions[0].rule == UNCLEAR


def test_one_mention_of_the_gdr_is_not_clear_enough(gaz):
    doc = _doc("In 1977 Germany signed a treaty with Mozambique. The GDR was not the only suitor.")
    [statement] = resolve([_fact(doc, "Germany", "Mozambique", year=1977, subject_key="germany")],
                          gazetteer=gaz, documents=[doc])
    assert statement.subject.key == "germany" and statement.resolutions[0].rule == UNCLEAR


def test_germany_after_reunification_is_germany_even_in_a_gdr_text(gaz):
    doc = _doc(GDR_TEXT.replace("In 1977", "In 1995"))
    [statement] = resolve([_fact(doc, "Germany", "Mozambique", year=1995, subject_key="germany")],
                          gazetteer=gaz, documents=[doc])
    assert statement.subject.key == "germany" and statement.resolutions[0].rule == OUT_OF_PERIOD


def test_the_document_date_stands_in_for_a_missing_fact_year(gaz):
    doc = _doc(GDR_TEXT.replace("In 1977 ", ""), "1977-03-01")
    [statement] = resolve([_fact(doc, "Germany", "Mozambique", subject_key="germany")], gazetteer=gaz,
                          documents=[doc])
    assert statement.subject.key == "east-germany"
    assert "in 1977" in statement.resolutions[0].note


def test_without_the_text_the_facts_of_the_document_are_the_context(gaz):
    text = ("In 1977 Germany signed a treaty with Mozambique. Honecker visited Maputo. "
            "The GDR aided Mozambique. East Germany trained Mozambique's police.")
    doc = _doc(text)
    facts = [_fact(doc, "Germany", "Mozambique", year=1977, subject_key="germany"),
             _fact(doc, "Honecker", "Maputo", "visited", subject_key="erich-honecker"),
             _fact(doc, "GDR", "Mozambique", "providedAid", subject_key="east-germany"),
             _fact(doc, "East Germany", "Mozambique's", "trainedForces", subject_key="east-germany")]
    statements = resolve(facts, gazetteer=gaz)  # no documents: only the entities of the facts count
    signed = next(s for s in statements if s.predicate == "signedAgreement")
    assert signed.subject.key == "east-germany" and signed.resolutions[0].rule == BY_CONTEXT


def test_the_congo_by_period_and_by_context(gaz):
    kinshasa = _doc("In 1980 the Congo received aid from China. Mobutu thanked Beijing from Kinshasa; "
                    "Zaire's debts grew.")
    [zaire] = resolve([_fact(kinshasa, "Congo", "China", "providedAid", 1980, "democratic-republic-of-the-congo")],
                      gazetteer=gaz, documents=[kinshasa])
    # the Kinshasa state in 1980 was called Zaire: the reading takes the name of its year
    assert zaire.subject.key == "zaire" and zaire.resolutions[0].rule == BY_CONTEXT
    bare = _doc("In 1980 the Congo received aid from China.")
    [brazzaville] = resolve([_fact(bare, "Congo", "China", "providedAid", 1980, "democratic-republic-of-the-congo")],
                            gazetteer=gaz, documents=[bare])
    assert brazzaville.subject.key == "republic-of-the-congo" and brazzaville.resolutions[0].rule == BY_PERIOD
    early = _doc("In 1965 the Congo received aid from China. Brazzaville praised Beijing; Massamba-Debat "
                 "spoke in Brazzaville.")
    [statement] = resolve([_fact(early, "Congo", "China", "providedAid", 1965, "democratic-republic-of-the-congo")],
                          gazetteer=gaz, documents=[early])
    assert statement.subject.key == "republic-of-the-congo"


def test_korea_after_1948_in_a_pyongyang_text(gaz):
    doc = _doc("In 1960 Korea signed a trade agreement with Cuba. Kim Il Sung received the Cuban envoy in "
               "Pyongyang, and the DPRK press praised the accord.")
    [statement] = resolve([_fact(doc, "Korea", "Cuba", "trade", 1960, "korean-peninsula")], gazetteer=gaz,
                          documents=[doc])
    assert statement.subject.key == "north-korea" and statement.subject.type == "State"
    old = _doc("In 1930 Korea traded with Japan.")
    [statement] = resolve([_fact(old, "Korea", "Japan", "trade", 1930, "korean-peninsula")], gazetteer=gaz,
                          documents=[old])
    assert statement.subject.key == "korean-peninsula"


def test_yugoslavia_after_the_breakup_is_the_federal_republic(gaz):
    doc = _doc("In 1995 Yugoslavia signed the agreement with Bosnia.")
    [statement] = resolve([_fact(doc, "Yugoslavia", "Bosnia", year=1995, subject_key="yugoslavia")], gazetteer=gaz,
                          documents=[doc])
    assert statement.subject.key == "serbia-and-montenegro" and statement.resolutions[0].rule == BY_PERIOD
    doc = _doc("In 1975 Yugoslavia signed the agreement with India.")
    [statement] = resolve([_fact(doc, "Yugoslavia", "India", year=1975, subject_key="yugoslavia")], gazetteer=gaz,
                          documents=[doc])
    assert statement.subject.key == "yugoslavia"


def test_explicit_names_are_never_reinterpreted(gaz):
    doc = _doc("In 1977 West Germany signed a treaty with Mozambique. Honecker, the GDR, East Berlin, the SED.")
    [statement] = resolve([_fact(doc, "West Germany", "Mozambique", year=1977, subject_key="west-germany")],
                          gazetteer=gaz, documents=[doc])
    assert statement.subject.key == "west-germany" and statement.resolutions == ()


def test_read_name_needs_dominance_and_a_valid_year(gaz):
    names = load_time_scoped_names()
    rule = names.rule_for("Germany", "germany")
    assert rule is not None and names.rule_for("the two Koreas", "korean-peninsula") is None
    assert read_name(gaz, names, rule, "Germany", 1977, {"east-germany": 6, "west-germany": 2}).key == "east-germany"
    assert read_name(gaz, names, rule, "Germany", 1977, {"east-germany": 5, "west-germany": 2}).key == "germany"
    assert read_name(gaz, names, rule, "Germany", 1938, {"east-germany": 9}).key == "germany"


def test_cues_are_counted_from_the_text_without_the_ambiguous_name(gaz):
    names = load_time_scoped_names()
    rule = names.rule_for("China", "china")
    counts = count_cues_in_text(gaz, rule, "China and the People\u2019s Republic of China; Chiang Kai-shek in "
                                           "Taipei. China.")
    # "Republic of China" inside the PRC's full name is not a Taiwan cue
    assert counts == {"china": 1, "taiwan": 2}


def test_time_scoped_rules_name_known_entries(gaz):
    assert check_rules(load_time_scoped_names(), gaz) == []


def test_resolutions_survive_statements_jsonl(gaz, tmp_path):
    doc = _doc(GDR_TEXT, "1979")
    statements = resolve([_fact(doc, "Germany", "Mozambique", year=1977, subject_key="germany")], gazetteer=gaz,
                         documents=[doc])
    path = tmp_path / "statements.jsonl"
    path.write_text(dumps_statements(statements, BASE), encoding="utf-8")
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["resolutions"][0]["rule"] == BY_CONTEXT and record["subject_wikidata"] == "Q16957"
    assert list(read_statements(path, BASE)) == statements


# -- successions in the graph --------------------------------------------------------------------

HISTORIANS_EXPECT = [
    ("soviet-union", "russia", 1991), ("soviet-union", "ukraine", 1991), ("zaire", "democratic-republic-of-the-congo", 1997),
    ("upper-volta", "burkina-faso", 1984), ("east-germany", "germany", 1990), ("west-germany", "germany", 1990),
    ("north-vietnam", "vietnam", 1976), ("south-vietnam", "vietnam", 1976), ("dahomey", "benin", 1975),
    ("rhodesia", "zimbabwe", 1980), ("ceylon", "sri-lanka", 1972), ("democratic-kampuchea", "people-s-republic-of-kampuchea", 1979),
    ("people-s-republic-of-kampuchea", "cambodia", 1989), ("yugoslavia", "croatia", 1991),
    ("yugoslavia", "serbia-and-montenegro", 1992), ("czechoslovakia", "czech-republic", 1993),
    ("czechoslovakia", "slovakia", 1993), ("north-yemen", "yemen", 1990), ("south-yemen", "yemen", 1990),
]


@pytest.mark.parametrize("before, after, year", HISTORIANS_EXPECT)
def test_successions_a_historian_expects(gaz, before, after, year):
    found = [s for s in gaz.successors_of(before) if s.successor == after]
    assert len(found) == 1 and found[0].year == year and found[0].basis


def test_every_predecessor_and_successor_field_is_a_recorded_succession(gaz):
    pairs = {(s.predecessor, s.successor) for s in gaz.successions}
    for entry in gaz.entries:
        if entry.successor:
            assert (entry.key, entry.successor) in pairs, entry.key
        if entry.predecessor:
            assert (entry.predecessor, entry.key) in pairs, entry.key


def test_burma_is_renamed_not_succeeded(gaz):
    burma = gaz.get("burma")
    assert [(c.year, c.former, c.new) for c in burma.name_changes] == [(1989, "Burma", "Myanmar")]
    assert burma.iso_code == "MMR" and burma.former_iso_code == "BUMM" and burma.wikidata == "Q836"
    assert not gaz.successors_of("burma") and gaz.keys_for("Myanmar") == ("burma",)


def _graph_statement(subject: Entity, obj: Entity) -> tuple[Statement, SourceDocument]:
    text = f"{subject.label} aided {obj.label}."
    doc = _doc(text, source_id="g.txt")
    return Statement(subject, "providedAid", obj, Qualifiers(year=1980), 0.9,
                     Evidence("g.txt", 0, len(text), text, "test.rule")), doc


def _quads(statements, sources):
    build = BuildInfo(kg_version="0", spacy_model="m")
    return statement_quads(statements, sources, build, BASE)


def test_successions_become_relations_with_a_dated_node_and_states_are_not_merged(gaz):
    soviet = Entity("soviet-union", "Soviet Union", "State", (), "SUHH", "Q15180")
    burma = Entity("burma", "Burma", "State", (), "MMR", "Q836")
    statement, doc = _graph_statement(soviet, burma)
    quads = _quads([statement], [doc])
    triples = {(q.subject.value, q.predicate.value, q.object.value) for q in quads}
    ussr, russia = BASE + "entity/soviet-union", BASE + "entity/russia"
    assert (ussr, KG + "successor", russia) in triples and (russia, KG + "predecessor", ussr) in triples
    node = BASE + "succession/soviet-union--russia"
    assert (node, KG + "fromState", ussr) in triples and (node, KG + "toState", russia) in triples
    assert (node, KG + "transitionYear", "1991") in triples and (node, KG + "successionType", "continuation") in triples
    # Russia is described (so the chain can be followed and joined), with ids from the table and ISO
    assert (russia, "http://www.w3.org/2002/07/owl#sameAs", "http://www.wikidata.org/entity/Q159") in triples
    assert (russia, KG + "isoCode", "RUS") in triples
    assert (ussr, "http://www.w3.org/2002/07/owl#sameAs", "http://www.wikidata.org/entity/Q15180") in triples
    burma_iri = BASE + "entity/burma"
    change = BASE + "name-change/burma-1989"
    assert (burma_iri, KG + "nameChange", change) in triples and (burma_iri, KG + "formerIsoCode", "BUMM") in triples
    assert {(change, KG + "formerName", "Burma"), (change, KG + "newName", "Myanmar"),
            (change, KG + "transitionYear", "1989")} <= triples


def test_a_state_without_successions_adds_nothing(gaz):
    cuba = Entity("cuba", "Cuba", "State", (), "CUB", "Q241")
    angola = Entity("angola", "Angola", "State", (), "AGO", "Q916")
    statement, doc = _graph_statement(cuba, angola)
    quads = _quads([statement], [doc])
    assert not [q for q in quads if q.predicate.value in (KG + "successor", KG + "predecessor")]
    assert {q.subject.value for q in quads if q.predicate.value.endswith("#type")
            and q.object.value == KG + "Entity"} == {BASE + "entity/cuba", BASE + "entity/angola"}


def test_resolutions_are_recorded_on_the_statement_node(gaz):
    doc = _doc(GDR_TEXT, "1979", "g.txt")
    statements = resolve([_fact(doc, "Germany", "Mozambique", year=1977, subject_key="germany")], gazetteer=gaz,
                         documents=[doc])
    quads = _quads(statements, [doc])
    by = {q.object.value for q in quads if q.predicate.value == KG + "resolvedBy"}
    notes = [q.object.value for q in quads if q.predicate.value == KG + "resolutionNote"]
    assert by == {BY_CONTEXT} and len(notes) == 1 and notes[0].startswith("subject: 'Germany' in 1977")


def test_identity_quads_are_deterministic(gaz):
    soviet = Entity("soviet-union", "Soviet Union", "State", (), "SUHH", "Q15180")
    yugoslavia = Entity("yugoslavia", "Yugoslavia", "State", (), "YUCS", "Q83286")
    statement, doc = _graph_statement(soviet, yugoslavia)
    assert _quads([statement], [doc]) == _quads([statement], [doc])
