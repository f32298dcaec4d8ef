"""Rule files as data: they load, they name ontology terms, bad ones fail loudly; and the engine
works on hand-built Docs (no model)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from kg.errors import RuleError
from kg.extract import ExtractionContext, extract_doc
from kg.extract.relations_rules import compile_rules, load_rules, parse_path, parse_rule_file
from kg.model import SourceDocument, OffsetMap

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "kg.ttl"
GUIDELINE_PREDICATES = {
    "diplomaticRelations", "recognized", "memberOf", "signedAgreement", "providedAid", "sentPersonnel",
    "trainedForces", "trade", "defaultedOnDebt", "expelledDiplomats", "visited", "met", "supported",
    "opposed", "leaderOf", "diplomatOf", "militaryConflict", "participatedIn", "ideology",
}
CONCRETE = GUIDELINE_PREDICATES - {"supported", "opposed", "ideology"}


def test_packaged_rules_load_with_unique_ids():
    rules = load_rules()
    assert len(rules.rules) > 40
    assert len({r.id for r in rules.rules}) == len(rules.rules)
    assert rules.lexicon.group_nouns  # arguments.json is read as the lexicon, not as rules


def test_rules_cover_every_concrete_predicate():
    assert CONCRETE <= load_rules().predicates


def test_every_rule_predicate_exists_in_the_ontology():
    if not ONTOLOGY.exists():
        pytest.skip("ontology/kg.ttl is not there yet (written by the ontology engineer)")
    rdflib = pytest.importorskip("rdflib")
    graph = rdflib.Graph().parse(ONTOLOGY)
    terms = {str(s).rsplit("#", 1)[-1].rsplit("/", 1)[-1] for s in graph.subjects(rdflib.RDF.type, rdflib.OWL.ObjectProperty)}
    missing = sorted(load_rules().predicates - terms)
    assert not missing, f"rule predicates missing from ontology/kg.ttl: {missing}"


def test_rules_compile_once_per_rule_set():
    rules = load_rules()
    assert compile_rules(rules) is compile_rules(rules)
    other = load_rules(ROOT / "kg" / "extract" / "rules")
    assert compile_rules(other) is not compile_rules(rules)
    compiled = compile_rules(rules)
    # every lemma trigger is indexed under its lower-case and capitalised forms
    assert any(c.rule.id == "recognized.recognize" for c in compiled.by_lemma["recognize"])
    assert any(c.rule.id == "recognized.recognize" for c in compiled.by_lemma["Recognize"])
    assert all(not c.rule.trigger.lemmas for c in compiled.by_entity)


@pytest.mark.parametrize("bad, message", [
    ({"rules": [{"id": "x", "predicate": "visited", "trigger": {"lemmas": ["visit"]},
                 "subject": {"paths": ["SUBJ"], "types": ["Person"]}, "object": {"paths": ["OBJ"], "types": ["Town"]},
                 "confidence": 0.8}]}, "role types"),
    ({"rules": [{"id": "x", "predicate": "visited", "trigger": {"lemmas": ["visit"]},
                 "subject": {"paths": ["SUBJ"], "types": ["Person"]}, "object": {"paths": ["d0bj!"], "types": ["Place"]},
                 "confidence": 0.8}]}, "path step"),
    ({"rules": [{"id": "x", "predicate": "visited", "trigger": {"lemmas": ["visit"]},
                 "subject": {"paths": ["SUBJ"], "types": ["Person"]}, "object": {"paths": ["OBJ"], "types": ["Place"]},
                 "confidence": 3}]}, "confidence"),
    ({"rules": [{"id": "x", "predicate": "visited", "trigger": {"lemmas": ["visit"]}, "colour": "red",
                 "subject": {"paths": ["SUBJ"], "types": ["Person"]}, "object": {"paths": ["OBJ"], "types": ["Place"]},
                 "confidence": 0.8}]}, "unknown fields"),
    ({"no": "rules"}, "rules"),
])
def test_malformed_rules_raise_coded_errors(bad, message):
    with pytest.raises(RuleError) as info:
        parse_rule_file(json.dumps(bad), "bad.json")
    assert message in str(info.value) and "[E300]" in str(info.value)


def test_path_language():
    steps = parse_path("theme>prep:to|with>pobj", "t")
    assert steps[0].from_theme and steps[1].dep == "prep" and steps[1].lemmas == {"to", "with"}
    assert parse_path("<acl", "t")[0].up and parse_path("SUBJ", "t")[0].macro == "SUBJ"
    with pytest.raises(RuleError):
        parse_path("prep>theme", "t")


def _doc(words, heads, deps, pos, lemmas, ents):
    doc = Doc(Vocab(), words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas,
              sent_starts=[True] + [False] * (len(words) - 1))
    doc.ents = [Span(doc, s, e, label=label, span_id=key) for s, e, label, key in ents]
    return doc


def _source(text, offset_map=OffsetMap()):
    return SourceDocument(id="hand.txt", path=Path("hand.txt"), sha256="0", text=text, original_text=text,
                          offset_map=offset_map)


def test_hand_built_passive_with_agent_and_list_of_objects():
    # "Angola and Mozambique were recognized by Pyongyang ."
    words = ["Angola", "and", "Mozambique", "were", "recognized", "by", "Pyongyang", "."]
    doc = _doc(words, heads=[4, 0, 0, 4, 4, 4, 5, 4],
               deps=["nsubjpass", "cc", "conj", "auxpass", "ROOT", "agent", "pobj", "punct"],
               pos=["PROPN", "CCONJ", "PROPN", "AUX", "VERB", "ADP", "PROPN", "PUNCT"],
               lemmas=["Angola", "and", "Mozambique", "be", "recognize", "by", "Pyongyang", "."],
               ents=[(0, 1, "State", "angola"), (2, 3, "State", "mozambique"), (6, 7, "Place", "pyongyang")])
    facts = extract_doc(doc, _source(doc.text), 0,
                        ExtractionContext(actor_for={"pyongyang": "north-korea"}.get))
    got = {(f.subject.key, f.predicate, f.object.key) for f in facts}
    assert got == {("north-korea", "recognized", "angola"), ("north-korea", "recognized", "mozambique")}
    assert all(f.evidence.rule == "recognized.recognize" for f in facts)


def test_hand_built_capital_without_mapping_is_not_a_state():
    words = ["Pyongyang", "recognized", "Angola", "."]
    doc = _doc(words, heads=[1, 1, 1, 1], deps=["nsubj", "ROOT", "dobj", "punct"],
               pos=["PROPN", "VERB", "PROPN", "PUNCT"], lemmas=["Pyongyang", "recognize", "Angola", "."],
               ents=[(0, 1, "Place", "pyongyang"), (2, 3, "State", "angola")])
    assert extract_doc(doc, _source(doc.text), 0, ExtractionContext(actor_for=lambda key: None)) == []


def test_hand_built_offsets_shift_by_segment_and_map_to_original():
    words = ["Cuba", "recognized", "Angola", "."]
    doc = _doc(words, heads=[1, 1, 1, 1], deps=["nsubj", "ROOT", "dobj", "punct"],
               pos=["PROPN", "VERB", "PROPN", "PUNCT"], lemmas=["Cuba", "recognize", "Angola", "."],
               ents=[(0, 1, "State", "cuba"), (2, 3, "State", "angola")])
    prefix = "Intro text. "
    full = prefix + doc.text
    # the original file had 5 extra characters before the cleaned text
    source = _source(full, OffsetMap(clean=(0,), original=(5,)))
    (fact,) = extract_doc(doc, source, len(prefix), ExtractionContext(actor_for=lambda key: None))
    assert full[fact.subject.start:fact.subject.end] == "Cuba"
    assert fact.evidence.char_start == len(prefix) + 5
    assert fact.evidence.char_end == len(full.rstrip()) + 5
    assert fact.evidence.source_id == "hand.txt"


def test_hand_built_event_span_lends_its_named_actors_to_conflict_rules():
    # "the Soviet invasion of Afghanistan began ." with the whole phrase as one Event entity
    words = ["the", "Soviet", "invasion", "of", "Afghanistan", "began", "."]
    doc = _doc(words, heads=[2, 2, 5, 2, 3, 5, 5], deps=["det", "amod", "nsubj", "prep", "pobj", "ROOT", "punct"],
               pos=["DET", "ADJ", "NOUN", "ADP", "PROPN", "VERB", "PUNCT"],
               lemmas=["the", "soviet", "invasion", "of", "Afghanistan", "begin", "."],
               ents=[(1, 5, "Event", "soviet-afghan-war")])
    names = {"Soviet": ("State", "soviet-union"), "Afghanistan": ("State", "afghanistan")}
    facts = extract_doc(doc, _source(doc.text), 0, ExtractionContext(actor_for=lambda key: None,
                                                                       inner_lookup=names.get))
    got = {(f.subject.key, f.predicate, f.object.key, f.subject.text) for f in facts}
    assert got == {("soviet-union", "militaryConflict", "afghanistan", "Soviet")}
    # without a look-up the event stays whole and no conflict is invented
    assert extract_doc(doc, _source(doc.text), 0, ExtractionContext(actor_for=lambda key: None,
                                                                    inner_lookup=lambda s: None)) == []


def test_hand_built_regime_named_after_leader_only_for_state_roles():
    # "Cuba recognized the Mengistu regime ."
    words = ["Cuba", "recognized", "the", "Mengistu", "regime", "."]
    doc = _doc(words, heads=[1, 1, 4, 4, 1, 1], deps=["nsubj", "ROOT", "det", "compound", "dobj", "punct"],
               pos=["PROPN", "VERB", "DET", "PROPN", "NOUN", "PUNCT"],
               lemmas=["Cuba", "recognize", "the", "Mengistu", "regime", "."],
               ents=[(0, 1, "State", "cuba"), (3, 4, "Person", "mengistu")])
    context = ExtractionContext(actor_for=lambda key: None, state_led_by={"mengistu": "ethiopia"}.get)
    (fact,) = extract_doc(doc, _source(doc.text), 0, context)
    assert (fact.subject.key, fact.predicate, fact.object.key, fact.object.type) == (
        "cuba", "recognized", "ethiopia", "State")
    none = ExtractionContext(actor_for=lambda key: None, state_led_by=lambda key: None)
    assert extract_doc(doc, _source(doc.text), 0, none) == []
